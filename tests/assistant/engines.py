"""The demo warehouse's engine asked end to end, for the engine tests: the engine built over the
demo warehouse (all demo tenants; fixture `engine` in tests/assistant/conftest.py), a question
asked as of the demo data's last day and answered without a question back, and the plan, table,
answer and figures read from its events."""

from __future__ import annotations

from datetime import date

from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import AnswerEvent, ClarificationEvent, DoneEvent, Event, PlanEvent, TableEvent
from assistant.core.planning.plans import MetricPlan
from assistant.core.protocols import Planner
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from tests.demo import TEST_END_DATE, DemoWarehouse

AS_OF = TEST_END_DATE


def demo_engine(demo_warehouse: DemoWarehouse, planner: Planner | None = None) -> Engine:
    """An engine over the demo warehouse, with `planner` where a test counts what it plans."""
    sl = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    return Engine(sl, WarehouseTenantDirectory(sl.warehouse), planner=planner)


def ask(engine: Engine, question: str, tenant: str = "nordwind-fashion", as_of: date = AS_OF) -> list[Event]:
    """The events of `question`, which must be answered to the end without a question back."""
    events = list(engine.ask(question, RequestContext(tenant_id=tenant, as_of=as_of)))
    assert isinstance(events[-1], DoneEvent)
    assert not any(isinstance(e, ClarificationEvent) for e in events), [
        getattr(e, "question", "") for e in events if isinstance(e, ClarificationEvent)
    ]
    return events


def first(events: list[Event], kind: type[Event]) -> Event:
    found = [e for e in events if isinstance(e, kind)]
    assert found, [e.type for e in events]
    return found[0]


def plan_of(events: list[Event]) -> MetricPlan:
    event = first(events, PlanEvent)
    assert isinstance(event, PlanEvent) and isinstance(event.plan, MetricPlan)
    return event.plan


def table_of(events: list[Event]) -> TableEvent:
    table = first(events, TableEvent)
    assert isinstance(table, TableEvent)
    return table


def answer_of(events: list[Event]) -> str:
    answer = first(events, AnswerEvent)
    assert isinstance(answer, AnswerEvent)
    return answer.text


def metrics_of(events: list[Event]) -> list[str]:
    return list(plan_of(events).query.metrics)
