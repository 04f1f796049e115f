"""A rate divided by a count is no figure: 'on-time deliveries per shipment' was read as OTD ÷
shipments and answered '0'. Asked instead, naming the rate's own count beside the other figure; a
quotient of two counts or of money and a count ('freight revenue per shipment') is still derived."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan


@pytest.mark.parametrize(
    ("project", "question", "count"),
    [
        ("logistics", "pünktliche Zustellungen pro Sendung letzten Monat", "On-time deliveries"),
        ("hospitality", "occupancy per booking last month", "Occupied room-nights"),
        ("retail", "conversion rate per session last month", None),
    ],
)
def test_a_rate_over_a_count_is_asked(
    catalogs: dict[str, Catalog], project: str, question: str, count: str | None
) -> None:
    asked = plan(catalogs[project], question)
    assert isinstance(asked, ClarificationPlan), asked
    if count is not None:
        assert "is a rate" in asked.question and count in asked.question, asked.question


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("logistics", "freight revenue per shipment last month"),
        ("hospitality", "room revenue per occupied room night last month"),
        # 'on-time deliveries' spells the count's label: the count per shipment, not OTD per shipment
        ("logistics", "on-time deliveries per shipment last month"),
        ("retail", "net sales per unit sold last month"),
    ],
)
def test_a_quotient_of_amounts_and_counts_is_still_derived(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    answered = plan(catalogs[project], question)
    assert isinstance(answered, MetricPlan), answered
    assert answered.derived is not None, answered
