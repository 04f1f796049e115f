"""Count words and rankings with two asks (issue #17, session 28) end to end on the demo warehouse:
a price per piece is the money figure over the units (no price metric in the catalog), derived and
said; a lower-case unit word beside another figure ('the most pieces … and what revenue') asks the
units too, not a brand named 'Pieces'; a ranking ranks by the figure its words govern and shows both."""

from __future__ import annotations

import pytest

from assistant.core.engine import Engine
from tests.assistant.engines import answer_of, ask, plan_of, table_of


@pytest.mark.parametrize(
    "question",
    [
        "average price per unit sold in shoes this year",
        "what price did a piece of womenswear sell for on average last month",
        "Average selling price per piece for menswear in the online shop last month",
    ],
)
def test_a_price_per_piece_is_the_money_over_the_units(engine: Engine, question: str) -> None:
    events = ask(engine, question)
    plan = plan_of(events)
    assert plan.derived is not None
    assert (plan.derived.numerator, plan.derived.denominator) == ("net_sales", "units_sold")
    table = table_of(events)
    ((price, sales, units),) = table.rows
    assert abs(float(price) - float(sales) / float(units)) < 1e-9
    text = answer_of(events)
    assert "per unit sold" in text and "Net sales ÷ Units sold" in text


@pytest.mark.parametrize(
    ("question", "ranked_by"),
    [
        ("Which 3 categories sold the most pieces this year, and what revenue did they bring?", "units_sold"),
        (
            "which brands brought in the most revenue last month and how many pieces did they sell",
            "net_sales",
        ),
        (
            "Welche 3 Marken hatten dieses Jahr den höchsten Umsatz und wie viele Stück haben sie verkauft?",
            "net_sales",
        ),
    ],
)
def test_a_ranking_with_two_asks_ranks_by_the_figure_its_words_govern(
    engine: Engine, question: str, ranked_by: str
) -> None:
    events = ask(engine, question)
    plan = plan_of(events)
    assert set(plan.query.metrics) == {"units_sold", "net_sales"}
    assert [o.name for o in plan.query.order_by] == [ranked_by]
    table = table_of(events)
    ranked = [row[table.columns.index(ranked_by)] for row in table.rows]
    assert ranked == sorted(ranked, reverse=True) and len(ranked) > 1
    assert plan.query.metrics[0] == ranked_by  # the answer speaks of the ranked figure first


@pytest.mark.parametrize(
    ("question", "category"),
    [
        ("Welche Marken haben dieses Jahr im Radbereich am meisten Umsatz gemacht?", "Cycling"),
        ("Wie viel Stück haben wir dieses Jahr in der Wanderabteilung verkauft?", "Hiking"),
        ("Umsatz in der Skisparte im Januar 2026", "Ski"),
    ],
)
def test_a_compound_naming_an_area_of_the_range_is_the_category_it_begins(
    engine: Engine, question: str, category: str
) -> None:
    # 'Rad' begins the items and subcategories of one category (Radhelme, Radbekleidung …); 'Ski'
    # is a category itself: the area head (-bereich, -abteilung, -sparte) names that level
    plan = plan_of(ask(engine, question, tenant="alpin-sport"))
    filters = [(f.dimension, f.values) for f in plan.query.filters if f.operator != "is not null"]
    assert filters == [("product__category", (category,))]
