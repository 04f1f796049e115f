"""The engine's LLM-cache scope cannot be crossed: two tenants' questions interleaved step by step
on one thread (as a lazy consumer could drive them) each plan under their own tenant, and no
scope leaks to the caller between steps. Against the OpenAI-compatible stub, on the demo warehouse.
"""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import SecretStr

from assistant.core.context import RequestContext
from assistant.core.events import DoneEvent, Event, PlanEvent
from assistant.core.llm.call_cache import current_scope
from assistant.runtime.services import build_engine, build_semantic_layer, llm_cache_counts
from assistant.runtime.settings import Settings
from semantic_layer.facade import SemanticLayer
from tests.assistant.llm.servers import OpenAiStub, Text, ToolCall
from tests.demo import DemoWarehouse

QUESTION = "net sales by store in September 2026"
BY_STORE = ToolCall(
    "query_metrics",
    {
        "metrics": ["net_sales"],
        "group_by": ["store__store_name"],
        "time_range": {"start": "2026-09-01", "end": "2026-09-30"},
    },
)


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


def test_interleaved_questions_of_two_tenants_never_share_llm_entries(layer: SemanticLayer) -> None:
    with OpenAiStub() as stub:
        settings = Settings(
            llm={
                "model": "openai/test-model",
                "base_url": stub.base_url,
                "api_key": SecretStr("test-key"),
                "timeout_s": 5,
                "max_retries": 0,
                "narratives": False,
                "cache_ttl_s": 300,
            }
        )
        engine = build_engine(settings, semantic_layer=layer)
        assert engine.llm_cache is not None
        stub.enqueue(BY_STORE, BY_STORE, Text("unused"))
        as_of = date(2026, 10, 31)
        runs = {
            tenant: engine.ask(QUESTION, RequestContext(tenant_id=tenant, as_of=as_of))
            for tenant in ("nordwind-fashion", "alpin-sport")
        }
        events: dict[str, list[Event]] = {tenant: [] for tenant in runs}
        while runs:
            for tenant in list(runs):  # one step of each, in turn
                try:
                    events[tenant].append(next(runs[tenant]))
                except StopIteration:
                    del runs[tenant]
                assert current_scope() is None  # nothing leaks out between steps
        for tenant, got in events.items():
            assert any(isinstance(e, PlanEvent) and e.planner == "llm" for e in got), tenant
            assert isinstance(got[-1], DoneEvent)
        planner_calls = [r for r in stub.requests if r.body.get("tools")]
        assert len(planner_calls) == 2  # byte-identical prompts, one model call per tenant
        assert planner_calls[0].body == planner_calls[1].body
        assert llm_cache_counts(engine) == {"hit": 0, "miss": 2, "store": 2}
        # each tenant's repeat is now a hit on its own entry
        for tenant in ("alpin-sport", "nordwind-fashion"):
            list(engine.ask(QUESTION, RequestContext(tenant_id=tenant, as_of=as_of)))
        assert len(stub.requests) == 2
        assert llm_cache_counts(engine) == {"hit": 2, "miss": 2, "store": 2}
