"""A count asked together with its own rate ('cancelled bookings and the cancellation rate', 'failed
attempts and the failure rate'): the word before the rate word names the same count the question
names, so the two are one ask — that part over the whole holding it, derived, in percent, beside the
count itself. Another figure named beside a rate word is still its own ask ('no-shows and the
occupancy rate'), and a rate of a part read from 'how many … were cancelled, and the … rate' shows
in percent too (was 'per booking 0,18')."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

_CANCELLED = ("cancelled_bookings", "bookings")
_FAILED = ("failed_delivery_attempts", "delivery_attempts")
_RETURNED = ("returns_to_sender", "shipments")
_BOOKING_STATUS = {"reservation__reservation_status": ("Checked out", "Cancelled", "No-show", "Reserved")}


@pytest.mark.parametrize(
    ("project", "question", "ratio"),
    [
        ("hospitality", "cancelled bookings and the cancellation rate last month", _CANCELLED),
        ("hospitality", "cancelled bookings and the cancellation share last month", _CANCELLED),
        ("hospitality", "Stornierungen und Stornoquote letzten Monat", _CANCELLED),
        ("logistics", "failed delivery attempts and the failure rate last month", _FAILED),
        ("logistics", "returns to sender and the return-to-sender rate by service", _RETURNED),
    ],
)
def test_a_count_and_its_own_rate_are_one_ask_in_percent(
    catalogs: dict[str, Catalog], project: str, question: str, ratio: tuple[str, str]
) -> None:
    found = plan(catalogs[project], question)
    assert isinstance(found, MetricPlan), found
    assert found.derived is not None, found
    assert (found.derived.numerator, found.derived.denominator) == ratio
    assert found.derived.percent, found


@pytest.mark.parametrize(
    "question",
    [
        "How many bookings were cancelled last month, and the cancellation rate?",
        "How many bookings were cancelled this year, and what is the cancellation rate?",
    ],
)
def test_a_rate_of_a_part_read_from_its_count_is_in_percent(
    catalogs: dict[str, Catalog], question: str
) -> None:
    found = plan(catalogs["hospitality"], question, _BOOKING_STATUS)
    assert isinstance(found, MetricPlan), found
    assert found.derived is not None and found.derived.percent, found
    assert (found.derived.numerator, found.derived.denominator) == _CANCELLED


def test_another_figure_beside_a_rate_word_is_its_own_ask(catalogs: dict[str, Catalog]) -> None:
    found = plan(catalogs["hospitality"], "no-shows and the occupancy rate last month")
    assert isinstance(found, MetricPlan), found
    assert found.derived is None, found
    assert set(found.query.metrics) == {"no_shows", "occupancy_rate"}, found
