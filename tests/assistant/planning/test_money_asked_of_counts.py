"""An amount of money asked of counts and units alone (session 33, precision probing).

'Retouren in Euro letzten Monat online' was 31 returned units; 'returned units last month in EUR'
filtered the currency and gave units; 'how much did new customers spend last month?' was the
number of new customers (12); 'bookings in euros' the number of bookings. A question that asks for
money in so many words ('in euros', 'in CHF', 'how much … spend', 'wie viel … ausgegeben') and a plan
of counts or units only answer another question: asked, with the reading offered. A distinct count
('Unique guests') is a number of people even in a project with no meta.
"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {"sale_line__channel": ("online", "store"), "tenant__currency": ("EUR", "CHF")},
    "logistics": {"lane__origin_depot__depot_name": ("Bremen Hemelingen",)},
    "hospitality": {"property__region": ("Tirol",)},
}


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Retouren in Euro letzten Monat online"),
        ("retail", "returns in euros last month"),
        ("retail", "returned units last month in EUR"),
        ("retail", "how much did new customers spend last month?"),
        ("retail", "Wie viel haben Neukunden im Oktober ausgegeben?"),
        ("logistics", "how many claims did we get last month in EUR"),
        ("hospitality", "bookings in euros last month"),
        ("hospitality", "wie viel haben Gäste im Oktober ausgegeben"),
        ("hospitality", "how much did guests spend in October"),
    ],
)
def test_money_asked_of_counts_is_asked(catalogs: dict[str, Catalog], project: str, question: str) -> None:
    assert isinstance(plan(catalogs[project], question, VALUES[project]), ClarificationPlan)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "net sales in euros last month"),
        ("retail", "how much money did we refund for returns last month"),
        ("retail", "how much did customers spend on average per order last month"),
        ("logistics", "claimed amount in euros last month"),
        ("hospitality", "room revenue in euros last month"),
    ],
)
def test_amounts_in_money_still_answer(catalogs: dict[str, Catalog], project: str, question: str) -> None:
    assert isinstance(plan(catalogs[project], question, VALUES[project]), MetricPlan)
