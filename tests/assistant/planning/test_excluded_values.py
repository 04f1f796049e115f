"""A summable figure held to a value its own definition leaves out is asked about, not answered with 0
(`assistant/core/planning/excluded_values.py`): 'Wie viele Sendungen wurden letzten Monat storniert?'
was Shipments with status Cancelled — 0, as Shipments never count cancelled bookings. A value the
figure counts in some period is answered (a month without one is a true 0)."""

from __future__ import annotations

import pytest

from assistant.core.planning.excluded_values import excluded_by_definition
from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan
from tests.byo_projects import Project

_STATUSES = {"shipment__shipment_status": ("Delivered", "Lost", "Cancelled", "In transit")}


def test_a_value_the_figure_never_counts_is_asked(catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs["logistics"]
    found = plan(catalog, "how many cancelled shipments last month", _STATUSES)
    assert isinstance(found, MetricPlan), found
    asked = excluded_by_definition(found, catalog, lambda m, f: "Cancelled" not in f.values)
    assert asked is not None and "Cancelled" in asked.question and "Shipments" in asked.question
    assert excluded_by_definition(found, catalog, lambda m, f: True) is None


@pytest.mark.parametrize(
    "question",
    [
        "how many cancelled shipments last month",
        "Wie viele Sendungen wurden letzten Monat storniert?",
        "freight revenue of cancelled shipments this year",
    ],
)
def test_end_to_end_cancelled_shipments_are_asked_not_zero(freight: Project, question: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]
    assert "Cancelled" in str(answer["answer"])


def test_end_to_end_a_status_the_figure_counts_is_answered(freight: Project) -> None:
    answer = freight.ask("how many shipments were returned to sender this year")
    assert answer["kind"] == "data", answer["answer"]
