"""Confidently wrong answers found by probing the planner with fresh phrasings (session 31): each a
number for a question whose qualifier was silently dropped or misread. The planner now asks back.

- qualifiers the stop-word lists hold ('large', 'small', 'new', 'old', 'non', 'member') were excused
  as function words: 'net sales of large stores' was every store's;
- a percentage of two figures not measured alike (units over money, a count over revenue) was
  divided and shown as a share ('0,0 %', '2.791.267 %');
- a figure's word naming a group of people ('net sales of new customers', 'returning customers',
  'Umsatz mit Bestandskunden') was answered as a second total beside the first;
- 'average daily net sales' was the average order value by day.
"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {
        "store__store_name": ("Nordwind Hamburg", "Nordwind München", "Nordwind Online-Shop"),
        "store__city": ("Hamburg", "München"),
        "product__category": ("Ski", "Cycling", "Womenswear"),
        "sale_line__channel": ("online", "store"),
    },
    "logistics": {"lane__origin_depot__depot_name": ("Bremen Hemelingen", "Hamburg Billbrook")},
    "hospitality": {"property__region": ("Tirol", "Lisboa")},
}


def _asked(catalogs: dict[str, Catalog], project: str, question: str) -> Plan:
    return plan(catalogs[project], question, VALUES.get(project))


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Net sales of large stores last month"),
        ("retail", "Net sales of small stores in September 2026"),
        ("retail", "Net sales in the old stores last month"),
        ("retail", "Net sales of non-member customers last month"),
        ("logistics", "Shipments from large shippers last month"),
        ("logistics", "Freight revenue of small shippers last month"),
        ("hospitality", "Occupancy of large hotels last month"),
        ("hospitality", "ADR of small hotels in September 2026"),
    ],
)
def test_a_qualifier_of_the_stop_word_lists_is_asked_about(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(_asked(catalogs, project, question), ClarificationPlan)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Which store had the biggest net sales last month"),
        ("retail", "Net sales of the smallest store last month"),
        ("hospitality", "How many different guests stayed with us last month?"),
    ],
)
def test_a_ranking_word_and_a_distinct_count_still_answer(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(_asked(catalogs, project, question), MetricPlan)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Anteil der Retouren am Umsatz im September 2026"),
        ("retail", "Returned units as a share of net sales in September 2026"),
        ("hospitality", "Share of no-shows in room revenue in September 2026"),
        ("logistics", "Shipments as a percentage of freight revenue last month"),
    ],
)
def test_a_share_of_figures_not_measured_alike_is_asked(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    asked = _asked(catalogs, project, question)
    assert isinstance(asked, ClarificationPlan), asked
    assert "not measured alike" in asked.question


def test_a_share_of_like_figures_is_still_answered(catalogs: dict[str, Catalog]) -> None:
    asked = _asked(catalogs, "retail", "Discounts as a percentage of gross sales last month")
    assert isinstance(asked, MetricPlan), asked


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Net sales of new customers last month"),
        ("retail", "Umsatz von Neukunden im September 2026"),
        ("retail", "Net sales new vs returning customers last month"),
        ("retail", "Average order value of returning customers this year"),
        ("retail", "Wie hoch war der Umsatz mit Bestandskunden im September 2026?"),
    ],
)
def test_a_group_of_people_named_by_a_figure_is_asked(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(_asked(catalogs, project, question), ClarificationPlan)


@pytest.mark.parametrize("question", ["Net sales and new customers last month", "New customers last month"])
def test_figures_listed_side_by_side_still_answer(catalogs: dict[str, Catalog], question: str) -> None:
    assert isinstance(_asked(catalogs, "retail", question), MetricPlan)


@pytest.mark.parametrize(
    "question",
    [
        "Average daily net sales in September 2026",
        "Average net sales per day in September 2026",
        "Average weekly net sales in Q3 2026",
        "Durchschnittlicher Umsatz pro Tag im September 2026",
    ],
)
def test_an_average_of_a_total_per_period_is_asked(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _asked(catalogs, "retail", question)
    assert isinstance(asked, ClarificationPlan), asked


def test_the_average_figure_by_day_still_answers(catalogs: dict[str, Catalog]) -> None:
    asked = _asked(catalogs, "retail", "Average order value per day in September 2026")
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.metrics == ("average_order_value",)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Net sales excluding same-day orders last month"),
        ("logistics", "Average transit days for domestic lanes excluding same-day"),
        ("retail", "Net sales excluding the online shop and returns last month"),
        ("retail", "Umsatz ohne Rabatte im September 2026"),
    ],
)
def test_what_is_left_out_must_be_read(catalogs: dict[str, Catalog], project: str, question: str) -> None:
    assert isinstance(_asked(catalogs, project, question), ClarificationPlan)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Net sales excluding the online shop last month"),
        ("retail", "Umsatz ohne Online-Shop im September 2026"),
        ("retail", "Net sales and units sold excluding the online shop last month"),
    ],
)
def test_a_value_left_out_still_answers(catalogs: dict[str, Catalog], project: str, question: str) -> None:
    asked = _asked(catalogs, project, question)
    assert isinstance(asked, MetricPlan), asked
    assert any(f.operator in ("!=", "not in") for f in asked.query.filters), asked.query.filters


@pytest.mark.parametrize(
    ("project", "question", "part", "whole"),
    [
        ("retail", "Share of discounts in gross sales last month", "discount_amount", "gross_sales"),
        ("retail", "What share of gross sales were discounts last month", "discount_amount", "gross_sales"),
        ("retail", "Percentage of returned units in units sold last month", "returned_units", "units_sold"),
        (
            "hospitality",
            "Share of cancelled bookings in bookings last month",
            "cancelled_bookings",
            "bookings",
        ),
    ],
)
def test_the_share_words_of_names_the_part(
    catalogs: dict[str, Catalog], project: str, question: str, part: str, whole: str
) -> None:
    asked = _asked(catalogs, project, question)
    assert isinstance(asked, MetricPlan), asked
    assert asked.derived is not None, asked
    assert (asked.derived.numerator, asked.derived.denominator) == (part, whole)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Net sales from customers who signed up this year"),
        ("retail", "Net sales of customers that placed orders online last month"),
    ],
)
def test_a_figure_in_a_relative_clause_on_people_is_asked(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(_asked(catalogs, project, question), ClarificationPlan)
