"""What one member of a counted group spends on average ('what did an average loyalty customer spend
with us', 'average spend per customer', 'Wie viel gibt ein Kunde im Schnitt bei uns aus?', 'Umsatz pro
Kunde'): the money figure over the count of those members measured on the same facts (the customers
who bought, not those who signed up), both held to the facts that have a member (a walk-in's spend is
nobody's: total net sales over the known customers read 278 for 173 a customer).

Only where a figure counts the group (the retail catalog declares `counts: customer`); the logistics
and hospitality catalogs count no person group, and their 'per guest' / 'per shipper' questions keep
their readings (asked, never this ratio)."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog
from semantic_layer.query import Filter
from semantic_layer.where_filters import render_filter
from tests.assistant.planning.project_catalogs import plan

VALUES = {"retail": {"store__store_name": ("Nordwind Hamburg", "Nordwind Berlin")}}


def _ask(catalogs: dict[str, Catalog], project: str, question: str) -> Plan:
    return plan(catalogs[project], question, VALUES.get(project))


@pytest.mark.parametrize(
    "question",
    [
        "what did an average loyalty customer spend with us last quarter?",
        "average spend per customer last quarter",
        "what does a typical member spend?",
        "net sales per customer last quarter",
        "Wie viel gibt ein Kunde im Schnitt bei uns aus?",
        "Umsatz pro Kunde im letzten Quartal",
        "Was hat ein Stammkunde letztes Jahr durchschnittlich ausgegeben?",
        "Wie viel hat ein durchschnittlicher Kunde letztes Jahr bei uns ausgegeben?",
        "durchschnittliche Ausgaben pro Stammkunde 2025",
    ],
)
def test_spend_of_an_average_member_is_money_over_the_members_who_bought(
    catalogs: dict[str, Catalog], question: str
) -> None:
    asked = _ask(catalogs, "retail", question)
    assert isinstance(asked, MetricPlan), (question, asked)
    assert asked.query.metrics == ("net_sales", "active_customers")
    assert asked.derived is not None and (asked.derived.numerator, asked.derived.denominator) == (
        "net_sales",
        "active_customers",
    )
    assert Filter(dimension="customer", operator="is not null") in asked.query.filters
    assert any("known customer" in u for u in asked.understood)


def test_a_named_ratio_over_a_count_of_members_is_held_to_the_facts_with_a_member(
    catalogs: dict[str, Catalog],
) -> None:
    asked = _ask(catalogs, "retail", "net sales per active customer last quarter")
    assert isinstance(asked, MetricPlan)
    assert Filter(dimension="customer", operator="is not null") in asked.query.filters
    # a ratio over a count of another kind (a price per piece) holds nothing
    priced = _ask(catalogs, "retail", "average selling price per piece last month")
    assert isinstance(priced, MetricPlan)
    assert not [f for f in priced.query.filters if f.dimension == "customer"]


@pytest.mark.parametrize(
    "question",
    [
        "how much does the average shopper spend per visit?",  # per visit: another average
        "Durchschnittsbon pro Stammkunde",  # the average receipt of a regular customer: asked
    ],
)
def test_spend_per_another_thing_is_not_this_reading(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _ask(catalogs, "retail", question)
    assert not (isinstance(asked, MetricPlan) and asked.query.metrics == ("net_sales", "active_customers")), (
        question
    )


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("hospitality", "what does an average guest spend with us?"),
        ("hospitality", "Wie viel gibt ein Gast im Schnitt bei uns aus?"),
        ("logistics", "average spend per shipper last quarter"),
    ],
)
def test_no_counted_group_keeps_the_other_readings(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    asked = _ask(catalogs, project, question)
    assert isinstance(asked, ClarificationPlan) or asked.derived is None, (question, asked)


def test_an_entity_filter_renders_as_the_entity() -> None:
    where = render_filter(
        Filter(dimension="customer", operator="is not null"), dialect="duckdb", is_time=False, is_entity=True
    )
    assert where == "{{ Entity('customer') }} IS NOT NULL"
