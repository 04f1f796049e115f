"""Classes of the third held-out set (session 28), end to end on the demo warehouse: a value word and
a figure word on either side of a colon or of a period read earlier are no one phrase ('in store over
the last 3 months: revenue' is not 'store revenue'); 'rank/sort X by Y' breaks down by X; a stock
asked 'in units and at cost' is both figures; 'from best to worst', 'busiest hour first' order every
row; 'jeden Monat', 'every month' are a grain; 'wie lief', 'how did … perform' name nothing; 'how long
will the stock last' is the figure whose description says so; a store word in the singular set
against online is the channel."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.engine import Engine
from semantic_layer.query import Grain
from tests.assistant.engines import ask, plan_of, table_of


@pytest.mark.parametrize(
    "question",
    [
        "online vs in store last quarter: revenue and number of orders",
        "in store vs online, over the last 3 months: revenue and orders for each",
        "Online gegen Filiale im letzten Quartal: Umsatz und Anzahl Bons",
    ],
)
def test_channels_set_against_each_other_are_all_sales_by_channel_not_the_store_only_figure(
    engine: Engine, question: str
) -> None:
    events = ask(engine, question)
    plan = plan_of(events)
    assert plan.query.metrics == ("net_sales", "orders")
    assert plan.query.group_by == ("sale_line__channel",)
    channels = {row[0]: row[1] for row in table_of(events).rows}
    assert set(channels) == {"online", "store"} and float(channels["online"]) > 0


def test_the_store_only_figure_named_in_one_phrase_still_reads(engine: Engine) -> None:
    assert plan_of(ask(engine, "Hamburg last month: store revenue")).query.metrics == ("store_net_sales",)


@pytest.mark.parametrize(
    ("question", "metric", "by"),
    [
        ("Rank our branches by sales per square metre for 2025", "sales_per_sqm", "store__store_name"),
        ("Rank the brands by gross margin this year", "gross_margin", "product__brand"),
        ("Sortiere die Filialen nach Umsatz im letzten Monat", "net_sales", "store__store_name"),
    ],
)
def test_rank_x_by_y_breaks_down_by_x_and_orders_every_row(
    engine: Engine, question: str, metric: str, by: str
) -> None:
    events = ask(engine, question)
    plan = plan_of(events)
    assert plan.query.metrics == (metric,) and plan.query.group_by == (by,)
    assert plan.query.order_by[0].name == metric and plan.query.order_by[0].descending
    assert plan.query.limit is None and len(table_of(events).rows) > 3


@pytest.mark.parametrize(
    "question",
    [
        "How much Womenswear stock is on hand, in units and at cost?",
        "Womenswear stock at the moment, in units and in value at cost",
        "Wie viel Lagerbestand Damenmode haben wir aktuell, in Stück und zum Einstandswert?",
    ],
)
def test_stock_asked_in_units_and_at_cost_is_both_figures(engine: Engine, question: str) -> None:
    plan = plan_of(ask(engine, question))
    assert plan.query.metrics == ("on_hand_units", "inventory_value")


def test_stock_at_cost_alone_is_the_value_at_cost(engine: Engine) -> None:
    assert plan_of(ask(engine, "Womenswear stock at cost")).query.metrics == ("inventory_value",)


@pytest.mark.parametrize(
    ("question", "descending"),
    [
        ("What was our margin rate per category in Q3 2026? Sort from best to worst.", True),
        ("Marge je Marke letztes Jahr, vom besten zum schlechtesten", True),
        ("net sales by store last month, sort from worst to best", False),
    ],
)
def test_from_best_to_worst_orders_every_row(engine: Engine, question: str, descending: bool) -> None:
    plan = plan_of(ask(engine, question))
    assert plan.query.order_by[0].descending is descending
    assert plan.query.order_by[0].name in plan.query.metrics and plan.query.limit is None


@pytest.mark.parametrize(
    ("question", "descending"),
    [
        ("Net sales by hour this year, busiest hour first", True),
        ("units sold by hour in September, quietest hour first", False),
    ],
)
def test_a_superlative_before_first_orders_the_breakdown_it_names(
    engine: Engine, question: str, descending: bool
) -> None:
    plan = plan_of(ask(engine, question))
    assert plan.query.group_by == ("sale_line__sale_hour",)
    assert plan.query.order_by[0].descending is descending and plan.query.limit is None


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("units sold every month this year", Grain.MONTH),
        ("Umsatz je Woche im September", Grain.WEEK),
        ("Wie viel Umsatz hatten wir jedes Quartal 2025?", Grain.QUARTER),
    ],
)
def test_each_and_every_period_word_is_a_grain(engine: Engine, question: str, grain: Grain) -> None:
    plan = plan_of(ask(engine, question))
    assert "metric_time" in plan.query.group_by and plan.query.time_grain == grain


@pytest.mark.parametrize(
    "question",
    [
        "Wie lief der Black Friday 2025 (28.11.)? Umsatz und Anzahl Bons bitte",
        "How did Black Friday 2025 perform? Net sales and orders please",
    ],
)
def test_how_did_it_go_before_named_figures_names_nothing(engine: Engine, question: str) -> None:
    plan = plan_of(ask(engine, question))
    assert plan.query.metrics == ("net_sales", "orders")
    assert plan.query.time_range is not None
    assert (plan.query.time_range.start, plan.query.time_range.end) == (
        date(2025, 11, 28),
        date(2025, 11, 28),
    )


@pytest.mark.parametrize(
    "question",
    [
        "How long will our Womenswear stock last at the current pace?",
        "how many weeks will the Womenswear stock last at the current selling pace",
    ],
)
def test_how_long_the_stock_lasts_is_the_figure_whose_description_says_so(
    engine: Engine, question: str
) -> None:
    assert plan_of(ask(engine, question)).query.metrics == ("weeks_of_supply",)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("Average order value by store this year, lowest first", "average_order_value"),
        ("Units on order from suppliers by category", "on_order_units"),
    ],
)
def test_order_as_a_noun_before_by_is_no_ordering_verb(engine: Engine, question: str, metric: str) -> None:
    assert plan_of(ask(engine, question)).query.metrics == (metric,)
