"""The LLM-call cache in the running service (MERCURIOS_LLM_CACHE_TTL_S), over real HTTP, on both
backends — in process with SQLite, and Redis with PostgreSQL — against the OpenAI-compatible stub.

A tenant repeating a question is planned from the cache (the stub is not asked again, the turn
spends 0 tokens), another tenant asking the very same question is planned by the model (its
planner prompt is byte-identical, and still never served from the first tenant's entry), and
`/metrics` counts the hits and misses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from assistant.channels.server import create_app
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer, read_sse
from tests.assistant.api.conftest import ALPIN, NORDWIND, Backend, start_services
from tests.assistant.llm.servers import OpenAiStub, Text, ToolCall

QUESTION = {"question": "net sales by store in September 2026", "as_of": "2026-10-31"}
BY_STORE = ToolCall(
    "query_metrics",
    {
        "metrics": ["net_sales"],
        "group_by": ["store__store_name"],
        "time_range": {"start": "2026-09-01", "end": "2026-09-30"},
        "order_by": [{"name": "net_sales", "descending": True}],
        "limit": 3,
    },
)


@pytest.fixture
def stub() -> Iterator[OpenAiStub]:
    with OpenAiStub() as server:
        yield server


def done_of(client: object) -> dict[str, object]:
    with client.stream("POST", "/v1/chat", json=QUESTION) as r:  # type: ignore[attr-defined]
        events = list(read_sse(r))
    assert events[-1].event == "done", [(e.event, e.data) for e in events]
    return events[-1].data


def metric(text: str, result: str) -> float:
    match = re.search(rf'^mercurios_llm_cache_total{{result="{result}"}} (\S+)$', text, re.MULTILINE)
    assert match, text
    return float(match.group(1))


def test_a_repeated_question_is_planned_from_the_cache_per_tenant(
    backend: Backend, api_semantic_layer: SemanticLayer, stub: OpenAiStub
) -> None:
    settings = backend.settings.updated(
        llm={
            "model": "openai/test-model",
            "base_url": stub.base_url,
            "api_key": SecretStr("test-key"),
            "timeout_s": 5.0,
            "max_retries": 0,
            "cache_ttl_s": 300.0,
        }
    )
    services = start_services(Backend(backend.name, settings), api_semantic_layer)
    keys = {t: services.keys.create(t, "analyst").token for t in (NORDWIND, ALPIN)}
    # planner, then narrator (its text is checked against the result; the template may win)
    stub.enqueue(BY_STORE, Text("Here are your best stores."), BY_STORE, Text("Here are your best stores."))
    with LiveServer(create_app(services=services)) as server:
        with server.client(keys[NORDWIND]) as nordwind:
            first = done_of(nordwind)
            assert len(stub.requests) == 2  # planned and narrated by the model
            assert first["usage"]["prompt_tokens"] == 200  # type: ignore[index]
            again = done_of(nordwind)
            assert len(stub.requests) == 2  # planned from the LLM cache, answer from the answer cache
            assert again["cache"] == "hit"
            assert again["usage"].get("prompt_tokens", 0) == 0  # type: ignore[attr-defined]
            assert again["usage"]["llm_cache_hits"] == 1  # type: ignore[index]  # the plan, from the cache
            assert first["usage"].get("llm_cache_hits", 0) == 0  # type: ignore[attr-defined]
        with server.client(keys[ALPIN]) as alpin:
            done_of(alpin)
        assert len(stub.requests) == 4  # the other tenant's question reached the model
        nordwind_plan, alpin_plan = stub.requests[0], stub.requests[2]
        assert nordwind_plan.body.get("tools") and alpin_plan.body.get("tools")
        assert nordwind_plan.body == alpin_plan.body  # byte-identical prompt, still not shared
        with server.client() as anonymous:
            text = anonymous.get("/metrics").text
        assert metric(text, "hit") == 1.0
        assert metric(text, "miss") == 4.0  # two tenants × (plan, narrate)
