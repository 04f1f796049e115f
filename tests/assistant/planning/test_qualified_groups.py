"""A group of an entity's members named by a word before the entity's noun, found by probing the
retail project (session 32): each was a confident number with the group dropped. Now asked back.

- a figure's word qualifying the noun: 'net sales of discounted products' was net sales and
  discounts per product, 'what share of net sales came from discounted items' the discount ratio
  per product, 'how much did we sell on markdown' the discounts given;
- an attribute's word qualifying it: 'seasonal items', 'own-brand products' were breakdowns by season
  and brand of every product;
- a synonym of the entity naming a kind of it ('regular customer', 'Stammkunde' beside 'customer'):
  'Umsatz von Stammkunden' was every sale's net sales.
"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {
        "product__category": ("Menswear", "Womenswear"),
        "product__subcategory": ("Sneaker", "Jeans"),
        "sale_line__channel": ("online", "store"),
    },
    "logistics": {"lane__origin_depot__depot_name": ("Bremen Hemelingen", "Hamburg Billbrook")},
    "hospitality": {"property__region": ("Tirol", "Lisboa")},
}


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "net sales of discounted products last month"),
        ("retail", "net sales of sale items in Menswear last month"),
        ("retail", "what share of net sales came from discounted items this year"),
        ("retail", "How much did we sell on markdown this year?"),
        ("retail", "how much did we sell on sale last month"),
        ("retail", "net sales of seasonal items last month"),
        ("retail", "net sales of own-brand products this year"),
        ("retail", "Umsatz von Stammkunden letzten Monat"),
        ("retail", "Wie viel Umsatz machten Stammkunden im September?"),
        ("retail", "how much did our regular customers spend this year"),
    ],
)
def test_a_group_named_before_an_entitys_noun_is_asked(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(plan(catalogs[project], question, VALUES[project]), ClarificationPlan)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Wie viele unterschiedliche Stammkunden haben im Oktober 2026 bei uns eingekauft?"),
        ("retail", "net sales of Menswear products last month"),
        ("retail", "net sales and discounts by product last month"),
        ("retail", "net sales by brand last month"),
        ("retail", "how much did we sell last month"),
        ("logistics", "Shipments by origin depot last month"),
        ("hospitality", "Room revenue by region last month"),
    ],
)
def test_the_entity_its_values_and_breakdowns_still_answer(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(plan(catalogs[project], question, VALUES[project]), MetricPlan)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("logistics", "Freight revenue of discounted shipments last month"),
        ("logistics", "Shipments of seasonal customers last month"),
        ("hospitality", "Room revenue of discounted reservations last month"),
        ("hospitality", "ADR of corporate rate bookings last month"),
    ],
)
def test_the_same_groups_are_asked_in_the_other_projects(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(plan(catalogs[project], question, VALUES[project]), ClarificationPlan)


@pytest.mark.parametrize(
    "question",
    [
        "how many units were returned last quarter",
        "how many items were returned last month",
        "how many pieces of Sneaker were returned last quarter",
    ],
)
def test_a_participle_that_begins_a_figure_is_no_yes_no_filter_on_another(
    catalogs: dict[str, Catalog], question: str
) -> None:
    # it was units sold of the return lines: -189 for 189 units brought back
    asked = plan(catalogs["retail"], question, VALUES["retail"])
    assert isinstance(asked, ClarificationPlan) and "Returned units" in asked.options


@pytest.mark.parametrize(
    ("project", "question", "figure"),
    [
        ("retail", "Wie viele Teile wurden im September zurückgegeben?", "returned_units"),
        ("logistics", "Wie viele Sendungen wurden im September zurückgegeben?", "returns_to_sender"),
        ("retail", "returned units last month", "returned_units"),
        ("hospitality", "how many reservations were cancelled last month", "cancelled_bookings"),
    ],
)
def test_given_back_and_a_figure_named_by_its_participle_answer(
    catalogs: dict[str, Catalog], project: str, question: str, figure: str
) -> None:
    # 'zurückgegeben' was 'given back', dropped: every shipment / every unit sold was answered
    p = plan(catalogs[project], question, VALUES[project])
    assert isinstance(p, MetricPlan) and p.query.metrics == (figure,), p
