"""An entity's word before 'per' and a figure: what is counted for each, no breakdown (session 33).

'items per receipt last week' was the number of receipts per product (orders by product name, 37
rows); 'basket size (items per receipt)' the same table; 'consignees per shipment last month' the
shipments' total with the consignees dropped. The words before 'per' are counted for each of the
figure's things; the answer is a figure divided by that one (units per transaction), asked with the
figures the catalog divides by it as options. A breakdown named before a grain ('net sales by store
per month', 'Umsatz je Filiale pro Monat') is untouched.
"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {"product__category": ("Shoes",)},
    "logistics": {"lane__origin_depot__depot_name": ("Bremen Hemelingen",)},
    "hospitality": {"property__region": ("Tirol",)},
}


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "items per receipt last week"),
        ("retail", "basket size (items per receipt) last week"),
        ("retail", "articles per receipt"),
        ("retail", "products per basket last month"),
        ("logistics", "consignees per shipment last month"),
        ("logistics", "Empfänger pro Sendung letzten Monat"),
    ],
)
def test_things_counted_per_a_figure_are_asked(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    planned = plan(catalogs[project], question, VALUES[project])
    assert isinstance(planned, ClarificationPlan)


def test_the_figures_divided_by_it_are_offered(catalogs: dict[str, Catalog]) -> None:
    planned = plan(catalogs["retail"], "items per receipt last week", VALUES["retail"])
    assert isinstance(planned, ClarificationPlan)
    assert "Units per transaction" in planned.options


@pytest.mark.parametrize(
    ("project", "question", "group"),
    [
        ("retail", "net sales by store per month", "store__store_name"),
        ("retail", "Umsatz je Filiale pro Monat", "store__store_name"),
        ("retail", "net sales per category per week", "product__category"),
        ("logistics", "shipments per carrier last month", "carrier__party_name"),
        ("hospitality", "bookings per property last month", "property__property_name"),
    ],
)
def test_breakdowns_before_a_grain_or_after_per_still_answer(
    catalogs: dict[str, Catalog], project: str, question: str, group: str
) -> None:
    planned = plan(catalogs[project], question, VALUES[project])
    assert isinstance(planned, MetricPlan)
    assert group in planned.query.group_by


def test_units_per_receipt_in_german_still_answers(catalogs: dict[str, Catalog]) -> None:
    planned = plan(catalogs["retail"], "Artikel pro Bon letzte Woche", VALUES["retail"])
    assert isinstance(planned, MetricPlan)
    assert planned.query.metrics == ("units_per_transaction",)
