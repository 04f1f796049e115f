"""'What share of shipments were delivered on time' on the logistics catalog with its real status
codes (DLV, RTS, … — no status value 'Delivered' names the part): 'delivered' is the word of the
count Delivered shipments, a part of all shipments, and 'on time' names a finer count. The share is
asked between the catalog's OTD (on-time ÷ delivered) and on-time ÷ all shipments, as when a value
names the part; it answered 'Share of what? by carrier …'. Said of the delivered shipments ('what
share of delivered shipments were on time') it is OTD. The second option of the question back plans
('On-time deliveries as % of shipments' was read as both the count and OTD: one lemma), and words
that spell one figure's label exactly name that figure alone ('on-time deliveries last month'
answered the count and OTD; 'on-time delivery' is OTD)."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

_CODES = {"shipment__shipment_status": ("DLV", "LOST", "INT", "CXL", "RTS")}


@pytest.mark.parametrize(
    "question",
    [
        "What share of shipments were delivered on time last month?",
        "share of shipments delivered on time last month",
        "what percentage of shipments arrived on time in September",
        "Wie viel Prozent der Sendungen kamen pünktlich an?",
        "Welcher Anteil der Sendungen wurde letzten Monat pünktlich zugestellt?",
    ],
)
def test_the_on_time_share_of_all_shipments_is_asked(catalogs: dict[str, Catalog], question: str) -> None:
    asked = plan(catalogs["logistics"], question, _CODES)
    assert isinstance(asked, ClarificationPlan), asked
    assert asked.options == ("On-time delivery (OTD)", "On-time deliveries as % of shipments"), asked


@pytest.mark.parametrize(
    "question",
    [
        "What share of delivered shipments were on time?",
        "on-time share of delivered shipments by carrier last month",
    ],
)
def test_the_on_time_share_of_delivered_shipments_is_otd(catalogs: dict[str, Catalog], question: str) -> None:
    found = plan(catalogs["logistics"], question, _CODES)
    assert isinstance(found, MetricPlan), found
    assert found.query.metrics == ("on_time_delivery_rate",) and found.derived is None, found


@pytest.mark.parametrize(
    "question", ["On-time deliveries as % of shipments", "On-time deliveries as % of shipments last month"]
)
def test_the_second_option_plans(catalogs: dict[str, Catalog], question: str) -> None:
    found = plan(catalogs["logistics"], question, _CODES)
    assert isinstance(found, MetricPlan), found
    assert found.derived is not None and found.derived.percent, found
    assert (found.derived.numerator, found.derived.denominator) == ("on_time_deliveries", "shipments")


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("on-time deliveries last month", "on_time_deliveries"),
        ("on-time deliveries by carrier", "on_time_deliveries"),
        ("on-time delivery last month", "on_time_delivery_rate"),
        ("on-time delivery by carrier last month", "on_time_delivery_rate"),
    ],
)
def test_a_label_spelt_exactly_names_that_figure_alone(
    catalogs: dict[str, Catalog], question: str, metric: str
) -> None:
    found = plan(catalogs["logistics"], question, _CODES)
    assert isinstance(found, MetricPlan), found
    assert found.query.metrics == (metric,), found
