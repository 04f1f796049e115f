"""The engine with an LLM configured (through Settings, as a deployment would), on the demo
warehouse, against a local OpenAI-compatible server: planning, narratives, generated SQL, outages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from assistant.core.answering.formatting import format_value
from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import AnswerEvent, DoneEvent, Event, PlanEvent, SqlEvent, TableEvent
from assistant.runtime.services import build_engine, build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.facade import SemanticLayer
from semantic_layer.query import SemanticQuery, TimeRange
from tests.assistant.llm.servers import Failure, OpenAiStub, Reply, Text, ToolCall
from tests.demo import DemoWarehouse

CTX = RequestContext(tenant_id="nordwind-fashion", as_of=date(2026, 10, 31))
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


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.fixture
def stub() -> Iterator[OpenAiStub]:
    with OpenAiStub() as server:
        yield server


def engine_for(stub: OpenAiStub, layer: SemanticLayer) -> Engine:
    settings = Settings(
        llm={
            "model": "openai/test-model",
            "base_url": stub.base_url,
            "api_key": "test-key",
            "timeout_s": 5,
            "max_retries": 0,
        }
    )
    return build_engine(settings, semantic_layer=layer)


def events_of(engine: Engine, question: str) -> list[Event]:
    return list(engine.ask(question, CTX))


def only(events: list[Event], kind: type[Event]) -> Event:
    found = [e for e in events if isinstance(e, kind)]
    assert len(found) == 1, [e.type for e in events]
    return found[0]


def test_llm_plans_and_phrases_a_grounded_answer(stub: OpenAiStub, layer: SemanticLayer) -> None:
    engine = engine_for(stub, layer)
    query = SemanticQuery(
        metrics=("net_sales",),
        group_by=("store__store_name",),
        time_range=TimeRange(start=date(2026, 9, 1), end=date(2026, 9, 30)),
    )
    rows = layer.run(query, "nordwind-fashion").result.rows
    best_store, best_value = max(rows, key=lambda r: float(r[1]))  # type: ignore[arg-type]
    amount = format_value(best_value, "currency", locale="de-DE", currency="EUR")
    stub.enqueue(BY_STORE, Reply(Text(f"{best_store} led with {amount} last month."), completion_tokens=12))
    events = events_of(engine, "which 3 stores sold the most last month?")
    plan = only(events, PlanEvent)
    assert isinstance(plan, PlanEvent) and plan.planner == "llm"
    answer = only(events, AnswerEvent)
    assert isinstance(answer, AnswerEvent) and answer.text.replace(
        "\xa0", " "
    ) == f"{best_store} led with {amount} last month.".replace("\xa0", " ")
    done = events[-1]
    assert (
        isinstance(done, DoneEvent)
        and done.usage["prompt_tokens"] == 200
        and done.usage["completion_tokens"] == 32
    )
    assert "tenant_id = 'nordwind-fashion'" in only(events, SqlEvent).sql  # type: ignore[union-attr]


def test_a_hallucinated_number_falls_back_to_the_template(stub: OpenAiStub, layer: SemanticLayer) -> None:
    engine = engine_for(stub, layer)
    stub.enqueue(BY_STORE, Text("Nordwind Hamburg led with 9.999.999,00 €, up 48 % on last year."))
    answer = only(events_of(engine, "which 3 stores sold the most last month?"), AnswerEvent)
    assert isinstance(answer, AnswerEvent)
    assert "9.999.999" not in answer.text and "48" not in answer.text
    assert "had the highest net sales last month" in answer.text


def test_generated_sql_is_guarded_and_labelled_unverified(stub: OpenAiStub, layer: SemanticLayer) -> None:
    engine = engine_for(stub, layer)
    sql = (
        "SELECT count(DISTINCT customer_id) AS customers FROM marts.dim_customers WHERE loyalty_tier = 'gold'"
    )
    stub.enqueue(ToolCall("run_sql", {"sql": sql, "rationale": "count of gold customers"}))
    events = events_of(engine, "how many gold customers do we have registered?")
    executed = only(events, SqlEvent)
    assert isinstance(executed, SqlEvent) and not executed.verified
    assert set(re.findall(r"tenant_id = '([^']+)'", executed.sql)) == {"nordwind-fashion"}
    table = only(events, TableEvent)
    assert isinstance(table, TableEvent) and table.total_rows == 1 and int(table.rows[0][0]) > 0
    answer = only(events, AnswerEvent)
    assert isinstance(answer, AnswerEvent) and not answer.verified and "not verified" in answer.text


def test_hostile_generated_sql_never_runs(stub: OpenAiStub, layer: SemanticLayer) -> None:
    engine = engine_for(stub, layer)
    hostile = ToolCall("run_sql", {"sql": "SELECT * FROM read_csv('/etc/passwd')", "rationale": "x"})
    stub.enqueue(hostile, hostile, hostile)  # the guard rejects it at planning time, three times
    events = events_of(engine, "show me everything")
    assert not any(isinstance(e, SqlEvent | TableEvent) for e in events)


def test_an_llm_outage_falls_back_to_the_offline_planner(stub: OpenAiStub, layer: SemanticLayer) -> None:
    engine = engine_for(stub, layer)
    stub.enqueue(*[Failure(500)] * 4)
    events = events_of(engine, "net sales by store last month")
    plan = only(events, PlanEvent)
    assert isinstance(plan, PlanEvent)
    answer = only(events, AnswerEvent)
    assert isinstance(answer, AnswerEvent) and "had the highest net sales last month" in answer.text


def test_a_non_finite_value_from_generated_sql_is_shown_not_crashed(
    stub: OpenAiStub, layer: SemanticLayer
) -> None:
    engine = engine_for(stub, layer)
    sql = (
        "SELECT CAST('inf' AS DOUBLE) AS ratio, CAST('nan' AS DOUBLE) AS other FROM marts.dim_stores LIMIT 1"
    )
    stub.enqueue(ToolCall("run_sql", {"sql": sql, "rationale": "edge case"}))
    events = events_of(engine, "ratio of stores to nothing")
    assert isinstance(events[-1], DoneEvent)
    table = only(events, TableEvent)
    assert isinstance(table, TableEvent) and table.formatted[0] == ("∞", "–")
