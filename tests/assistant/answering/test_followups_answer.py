"""Every follow-up the assistant offers answers when it is asked.

The golden conversations (the retail and follow-up suites) are asked on the demo warehouse; each
suggestion offered is then asked as the next turn of its own copy of that conversation, and must
end in an answer — not an error, a clarification or a refusal. Suggestions that lead to the same
kind of plan (template × the shape of the plan it follows) are asked once, the first in suite
order, so the test stays well under a minute or two; every template must be among them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import AnswerEvent, ClarificationEvent, ErrorEvent, Event, RefusalEvent
from assistant.core.memory import InMemoryConversationStore
from assistant.core.planning.plans import MetricPlan
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from eval.suite import Case, load_suite
from tests.demo import DemoWarehouse

# every template of assistant/core/answering/followups.py
TEMPLATES = {"and by …?", "what about vs last year?", "show it weekly", "show it monthly", "why?", "only …"}


# a German question is offered its follow-ups in German (assistant/core/answering/asked_in_german.py)
_GERMAN = {
    "und im Vergleich zum Vorjahr?": "what about vs last year?",
    "und wöchentlich?": "show it weekly",
    "und monatlich?": "show it monthly",
    "warum?": "why?",
}


def template(suggestion: str) -> str:
    if re.fullmatch(r"(?:and by|und nach) .+\?", suggestion):
        return "and by …?"
    if suggestion.startswith(("only ", "nur ")):
        return "only …"
    return _GERMAN.get(suggestion, suggestion)


def in_german(suggestion: str) -> bool:
    return suggestion in _GERMAN or suggestion.startswith(("und nach ", "nur "))


def shape(plan: MetricPlan) -> tuple[object, ...]:
    """What decides whether a follow-up compiles: comparison, share, drill-down, grouping, grain."""
    q = plan.query
    return (
        plan.comparison,
        plan.share_of_total,
        plan.drill_down,
        "metric_time" in q.group_by,
        q.time_grain,
        len([g for g in q.group_by if g != "metric_time"]),
        bool(q.filters),
        plan.period.start is None,
    )


@dataclass
class Offered:
    case: Case
    conversation: str
    plan: MetricPlan
    suggestion: str


@pytest.fixture(scope="module")
def engine(demo_warehouse: DemoWarehouse) -> Iterator[Engine]:
    sl = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    yield Engine(sl, WarehouseTenantDirectory(sl.warehouse), store=InMemoryConversationStore())


def _ctx(case: Case, conversation: str) -> RequestContext:
    return RequestContext(tenant_id=case.tenant, conversation_id=conversation, as_of=case.as_of)


def _plan(engine: Engine, case: Case, conversation: str) -> MetricPlan | None:
    turns = engine.store.turns(case.tenant, conversation)
    return turns[-1].plan if turns and isinstance(turns[-1].plan, MetricPlan) else None


def _failure(events: list[Event]) -> Event | None:
    bad = [e for e in events if isinstance(e, ErrorEvent | ClarificationEvent | RefusalEvent)]
    if bad:
        return bad[0]
    return None if any(isinstance(e, AnswerEvent) for e in events) else events[-1]


@pytest.fixture(scope="module")
def offered(engine: Engine) -> list[Offered]:
    """Each golden conversation asked once; every suggestion its last answer offered."""
    out: list[Offered] = []
    for suite in ("retail", "followups"):
        for case in load_suite(suite).cases:
            conversation = f"golden-{suite}-{case.id}"
            events: list[Event] = []
            for question in (*case.turns, case.question):
                events = list(engine.ask(question, _ctx(case, conversation)))
            answer = next((e for e in events if isinstance(e, AnswerEvent)), None)
            plan = _plan(engine, case, conversation)
            if answer is None or plan is None:
                continue
            out += [Offered(case, conversation, plan, s) for s in answer.followups]
    return out


def test_every_offered_follow_up_answers_when_asked(engine: Engine, offered: list[Offered]) -> None:
    chosen: dict[tuple[object, ...], Offered] = {}
    for o in offered:
        chosen.setdefault((template(o.suggestion), shape(o.plan), in_german(o.suggestion)), o)
    assert {template(o.suggestion) for o in chosen.values()} == TEMPLATES
    failures = []
    for i, o in enumerate(chosen.values()):
        branch = f"{o.conversation}-next-{i}"
        for turn in engine.store.turns(o.case.tenant, o.conversation):  # the conversation so far
            engine.store.append(o.case.tenant, branch, turn)
        events = list(engine.ask(o.suggestion, _ctx(o.case, branch)))
        failure = _failure(events)
        if failure is not None:
            failures.append(f"{o.case.id}: {o.case.question!r} → {o.suggestion!r}: {failure}")
    print(f"{len(chosen)} suggestions asked (of {len(offered)} offered)")
    assert not failures, "\n".join(failures)


def test_a_year_over_year_total_does_not_offer_a_weekly_series(offered: list[Offered]) -> None:
    """The reported case: 'show it weekly' after 'net sales last month vs last year' could only
    answer "a year-over-year time series needs a month, quarter or year grain"."""
    after = [o.suggestion for o in offered if o.case.id == "nwf-sales-last-month-vs-ly"]
    assert after and "show it weekly" not in after
    long_yoy = [o.suggestion for o in offered if o.case.id == "nwf-ytd-orders-growth"]
    assert "show it monthly" in long_yoy and "show it weekly" not in long_yoy
