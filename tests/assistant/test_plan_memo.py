"""The plan memo (core/plan_memo): a question asked again is not re-read by the planner — and its
plan never crosses a tenant, a date or a conversation's context."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import ClarificationEvent, DoneEvent, Event, PlanEvent, RefusalEvent, TableEvent
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import MetricPlan, Plan
from tests.assistant.engines import demo_engine
from tests.demo import DemoWarehouse

AS_OF = date(2026, 10, 31)


class CountingPlanner(OfflinePlanner):
    """The offline planner, counting the questions it actually reads."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def plan(self, inp: PlannerInput) -> Plan:
        self.calls.append(inp.question)
        return super().plan(inp)


@pytest.fixture(scope="module")
def engine(demo_warehouse: DemoWarehouse) -> Iterator[Engine]:
    yield demo_engine(demo_warehouse, planner=CountingPlanner())


def ask(
    engine: Engine, question: str, tenant: str, conversation: str | None = None, as_of: date = AS_OF
) -> list[Event]:
    ctx = RequestContext(tenant_id=tenant, conversation_id=conversation, as_of=as_of)
    events = list(engine.ask(question, ctx))
    assert isinstance(events[-1], DoneEvent)
    return events


def plan_of(events: list[Event]) -> Plan:
    return next(e.plan for e in events if isinstance(e, PlanEvent))


def calls(engine: Engine) -> list[str]:
    planner = engine.planner
    assert isinstance(planner, CountingPlanner)
    return planner.calls


def test_a_question_asked_again_is_planned_once_and_answered_the_same(engine: Engine) -> None:
    question = "units sold by store type this year"
    first = ask(engine, question, "alpin-sport")
    read = len(calls(engine))
    again = ask(engine, question, "alpin-sport")
    assert len(calls(engine)) == read  # the planner did not read it again
    assert plan_of(again) == plan_of(first)
    t1, t2 = (next(e for e in ev if isinstance(e, TableEvent)) for ev in (first, again))
    assert t1.rows == t2.rows


@pytest.mark.parametrize(
    ("owner", "other"),
    [("casa-living", "nordwind-fashion"), ("casa-living", "alpin-sport")],
)
def test_a_plan_naming_one_tenants_store_is_not_served_to_another(
    engine: Engine, owner: str, other: str
) -> None:
    """Zürich is a store city of casa-living only: its plan (a filter on that city) is kept for
    casa-living; another tenant asking the same words is asked which place it means."""
    for question in ("net sales in Zürich last month", "Umsatz in Zürich letzten Monat"):
        mine = ask(engine, question, owner)
        assert isinstance(plan_of(mine), MetricPlan)
        assert "Zürich" in str(plan_of(mine).model_dump())
        before = len(calls(engine))
        theirs = ask(engine, question, other)
        assert len(calls(engine)) == before + 1  # read anew for the other tenant
        asked = next(e for e in theirs if isinstance(e, ClarificationEvent))
        assert "Zürich" in asked.question
        assert not any(isinstance(e, TableEvent) for e in theirs)
        # and the owner's plan is still its own
        assert plan_of(ask(engine, question, owner)) == plan_of(mine)


def test_naming_another_tenant_is_refused_though_the_named_tenant_asked_the_same(engine: Engine) -> None:
    question = "net sales of Alpin Sport last month"
    ask(engine, question, "alpin-sport")
    refused = ask(engine, question, "casa-living")
    assert any(isinstance(e, RefusalEvent) and e.reason == "cross_tenant" for e in refused)


def test_a_follow_up_is_read_in_its_conversation_not_from_another(engine: Engine) -> None:
    ask(engine, "net sales last month", "nordwind-fashion", "memo-a")
    by_category = ask(engine, "and by category?", "nordwind-fashion", "memo-a")
    planned = plan_of(by_category)
    assert isinstance(planned, MetricPlan) and planned.query.metrics == ("net_sales",)
    # the same words after another figure: that figure by category
    ask(engine, "orders last month", "nordwind-fashion", "memo-b")
    other = plan_of(ask(engine, "and by category?", "nordwind-fashion", "memo-b"))
    assert isinstance(other, MetricPlan) and other.query.metrics != planned.query.metrics
    # and with nothing before it: asked back, not the kept follow-up
    alone = ask(engine, "and by category?", "nordwind-fashion", "memo-c")
    assert any(isinstance(e, ClarificationEvent) for e in alone)


def test_the_same_question_on_another_day_reads_that_days_period(engine: Engine) -> None:
    question = "Bestellungen letzte Woche"
    one = plan_of(ask(engine, question, "alpin-sport", as_of=date(2026, 10, 31)))
    two = plan_of(ask(engine, question, "alpin-sport", as_of=date(2026, 10, 20)))
    assert isinstance(one, MetricPlan) and isinstance(two, MetricPlan)
    assert one.period != two.period
