"""Issue 19, finding 5: generated SQL with a join that has no key equality never runs.

The LLM (a local OpenAI-compatible stub) writes `JOIN … ON true` over the fact table — a cartesian
product that counted billions of rows before the statement timeout. The guard refuses it before
execution (rule `join_conditions`); the caller gets no SQL, no rows, and a clear error.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from assistant.channels.server import create_app
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.api.conftest import NORDWIND, Backend, start_services
from tests.assistant.llm.servers import OpenAiStub, ToolCall

CARTESIAN = (
    "SELECT count(*) AS pairs FROM marts.fct_sales a JOIN marts.fct_sales b ON true",
    "SELECT count(*) AS pairs FROM marts.fct_sales a, marts.dim_stores s",
    "SELECT count(*) AS pairs FROM marts.fct_sales a JOIN marts.fct_sales b ON a.tenant_id = b.tenant_id",
)


@pytest.fixture(scope="module")
def llm_api(
    backend: Backend, api_semantic_layer: SemanticLayer
) -> Iterator[tuple[LiveServer, OpenAiStub, str]]:
    with OpenAiStub() as stub:
        settings = backend.settings.updated(
            llm={
                "model": "openai/test-model",
                "base_url": stub.base_url,
                "api_key": SecretStr("test-key"),
                "timeout_s": 5,
                "max_retries": 0,
            },
            cache_namespace=f"joins-{uuid.uuid4().hex[:8]}",
        )
        services = start_services(Backend(backend.name, settings), api_semantic_layer)
        key = services.keys.create(NORDWIND, "analyst").token
        with LiveServer(create_app(services=services)) as server:
            yield server, stub, key


@pytest.mark.parametrize("sql", CARTESIAN)
def test_a_cartesian_join_written_by_the_llm_is_refused_before_it_runs(
    llm_api: tuple[LiveServer, OpenAiStub, str], sql: str
) -> None:
    server, stub, key = llm_api
    stub.requests.clear()
    call = ToolCall("run_sql", {"sql": sql, "rationale": "pairs of sales"})
    stub.enqueue(call, call, call)  # the planner's repair loop asks again after each refusal
    with server.client(key) as client:
        body = client.post(
            "/v1/ask", json={"question": f"how many pairs of sales lines {uuid.uuid4().hex[:6]}"}
        ).json()
    assert body["sql"] is None and body["rows"] == [], body
    assert body["kind"] in ("error", "refusal", "clarification"), body
    assert any("join_conditions" in r.text for r in stub.requests)  # the planner was told which rule
