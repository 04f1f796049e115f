"""Issue #17's held-out classes end to end on the demo warehouse (session 27): the empty group of a
breakdown reached through an optional join (sales without a customer) left out and said; stock asked
in German ('an Lager', 'wie lange reicht', 'in Stück und Wert'); 'current' is the last count up to
as_of; 'Standort' is a store; loyalty sign-ups in everyday words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import AnswerEvent, ClarificationEvent, DoneEvent, Event, PlanEvent, TableEvent
from assistant.core.planning.plans import MetricPlan
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from tests.demo import DemoWarehouse

AS_OF = date(2026, 10, 31)


@pytest.fixture(scope="module")
def engine(demo_warehouse: DemoWarehouse) -> Iterator[Engine]:
    sl = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    yield Engine(sl, WarehouseTenantDirectory(sl.warehouse))


def _ask(engine: Engine, question: str, tenant: str = "nordwind-fashion", as_of: date = AS_OF) -> list[Event]:
    events = list(engine.ask(question, RequestContext(tenant_id=tenant, as_of=as_of)))
    assert isinstance(events[-1], DoneEvent)
    assert not any(isinstance(e, ClarificationEvent) for e in events), [e.type for e in events]
    return events


def _one(events: list[Event], kind: type[Event]) -> Event:
    found = [e for e in events if isinstance(e, kind)]
    assert found, [e.type for e in events]
    return found[0]


def _table(events: list[Event]) -> TableEvent:
    table = _one(events, TableEvent)
    assert isinstance(table, TableEvent)
    return table


def _answer(events: list[Event]) -> str:
    answer = _one(events, AnswerEvent)
    assert isinstance(answer, AnswerEvent)
    return answer.text


def _plan(events: list[Event]) -> MetricPlan:
    event = _one(events, PlanEvent)
    assert isinstance(event, PlanEvent) and isinstance(event.plan, MetricPlan)
    return event.plan


def _metrics(events: list[Event]) -> list[str]:
    return list(_plan(events).query.metrics)


@pytest.mark.parametrize(
    "question",
    [
        "net sales by customer segment (RFM) this year, biggest first",
        "Umsatz nach Kundensegment (RFM) dieses Jahr",
    ],
)
def test_sales_without_a_customer_are_no_segment_row_and_the_answer_says_what_they_hold(
    engine: Engine, question: str
) -> None:
    events = _ask(engine, question)
    table = _table(events)
    segments = [row[0] for row in table.rows]
    assert segments and None not in segments
    text = _answer(events)
    assert (
        "Not shown: net sales without a known customer segment" in text and "€" in text.split("Not shown")[1]
    )


def test_a_top_n_of_segments_still_has_n_rows_when_the_empty_one_is_left_out(engine: Engine) -> None:
    table = _table(_ask(engine, "top 3 customer segments (RFM) by net sales this year"))
    assert len(table.rows) == 3 and None not in [row[0] for row in table.rows]


def test_a_breakdown_of_the_facts_own_column_keeps_every_row(engine: Engine) -> None:
    text = _answer(_ask(engine, "net sales by sales channel last month"))
    assert "Not shown" not in text


def test_german_stock_on_the_shelf_and_how_long_it_lasts(engine: Engine) -> None:
    events = _ask(engine, "wieviel Stück Damenmode in Hamburg an Lager und wie lange reicht das?")
    assert _metrics(events) == ["on_hand_units", "weeks_of_supply"]


def test_german_stock_in_units_and_value_reads_the_elided_compound(engine: Engine) -> None:
    events = _ask(engine, "Aktueller Lagerbestand in Stück und Wert je Filiale")
    assert _metrics(events) == ["on_hand_units", "inventory_value"]
    assert _table(events).columns[0] == "store__store_name"


def test_current_stock_is_the_last_count_up_to_as_of(engine: Engine) -> None:
    plan = _plan(_ask(engine, "current stock by store", as_of=date(2026, 10, 15)))
    assert plan.query.time_range.end == date(2026, 10, 15)


def test_welcher_standort_is_a_store_not_its_city(engine: Engine) -> None:
    table = _table(_ask(engine, "Welcher Standort hat im dritten Quartal am meisten verkauft (Stück)?"))
    assert table.columns[0] == "store__store_name" and table.rows[0][0] is not None


@pytest.mark.parametrize(
    "question",
    [
        "New loyalty cards issued per month this year",
        "How many people joined the loyalty club in each month of Q3 2026?",
        "Wie viele Neukunden haben sich dieses Jahr angemeldet, "
        "verglichen mit dem gleichen Zeitraum im Vorjahr?",
    ],
)
def test_loyalty_sign_ups_in_everyday_words_are_new_customers(engine: Engine, question: str) -> None:
    assert _metrics(_ask(engine, question)) == ["new_customers"]
