"""'<X> share', '<X> rate', '<X>quote' where no metric defines the rate but two counts do (session 32):
X names a count that is part of another count of the same things by definition (cancelled bookings
of bookings, failed attempts of all attempts, returns to sender of shipments) and the two are dated
alike — that part over its whole, derived, in percent. A part with no such whole (no-shows: dated by
arrival, bookings by booking date; not among the arrivals) is asked, and a rate the catalog defines
(retail's return rate, hospitality's occupancy) reads as before."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

_CANCELLED = ("cancelled_bookings", "bookings")
_RETURNED = ("returns_to_sender", "shipments")
_FAILED = ("failed_delivery_attempts", "delivery_attempts")
_CHANNEL, _HOTEL = "reservation__channel_group", "property__property_name"
_SERVICE, _DEPOT = "shipment__service_code", "depot__depot_name"


@pytest.mark.parametrize(
    ("project", "question", "ratio", "group"),
    [
        ("hospitality", "Cancellation share by channel group in Q1 2026", _CANCELLED, _CHANNEL),
        ("hospitality", "What was the cancellation rate by hotel last year?", _CANCELLED, _HOTEL),
        ("hospitality", "Stornoquote je Hotel 2025", _CANCELLED, _HOTEL),
        ("hospitality", "Stornoanteil nach Kanalgruppe im ersten Quartal 2026", _CANCELLED, _CHANNEL),
        ("hospitality", "Wie hoch war die Stornorate im Oktober?", _CANCELLED, None),
        ("logistics", "return-to-sender rate by service last year", _RETURNED, _SERVICE),
        ("logistics", "Retourenquote nach Serviceart", _RETURNED, _SERVICE),
        ("logistics", "Retourenquote je Service letztes Jahr", _RETURNED, _SERVICE),
        ("logistics", "failed attempt rate by depot", _FAILED, _DEPOT),
        # the whole said too, the part read from its verb ('went back to the sender')
        ("logistics", "What share of shipments went back to the sender last year?", _RETURNED, None),
        (
            "logistics",
            "Retourenquote nach Serviceart für 2025 - also welcher Anteil der verschickten Sendungen ging "
            "an den Absender zurück?",
            _RETURNED,
            _SERVICE,
        ),
    ],
)
def test_a_rate_of_a_part_no_metric_defines_is_the_part_over_its_whole(
    catalogs: dict[str, Catalog], project: str, question: str, ratio: tuple[str, str], group: str | None
) -> None:
    part, whole = ratio
    p = plan(catalogs[project], question)
    assert isinstance(p, MetricPlan), p
    assert p.derived is not None and (p.derived.numerator, p.derived.denominator) == (part, whole)
    assert p.derived.percent and not p.share_of_total
    assert set(p.query.metrics) == {part, whole}
    assert p.query.group_by == ((group,) if group else ())
    assert any("derived" in u for u in p.understood)


@pytest.mark.parametrize("question", ["no-show rate last month", "No-Show-Quote im September"])
def test_a_part_dated_unlike_its_whole_is_asked(catalogs: dict[str, Catalog], question: str) -> None:
    # no-shows are dated by the planned arrival, bookings by the booking date, and no-shows are no
    # arrivals: no whole holds them dated alike — asked, naming the dating, never guessed
    p = plan(catalogs["hospitality"], question)
    assert isinstance(p, ClarificationPlan), p
    assert "not dated like Bookings" in p.question


@pytest.mark.parametrize(
    "question",
    [
        "return rate by store last month",
        "Retourenquote je Filiale im Oktober",
        "What was the return rate in 2025?",
    ],
)
def test_a_rate_the_catalog_defines_is_kept(catalogs: dict[str, Catalog], question: str) -> None:
    p = plan(catalogs["retail"], question)
    assert isinstance(p, MetricPlan), p
    assert p.query.metrics == ("return_rate",) and p.derived is None


@pytest.mark.parametrize("question", ["Occupancy last month", "Auslastung im letzten Monat"])
def test_occupancy_reads_as_before(catalogs: dict[str, Catalog], question: str) -> None:
    p = plan(catalogs["hospitality"], question)
    assert isinstance(p, MetricPlan), p
    assert p.query.metrics == ("occupancy_rate",) and p.derived is None


def test_the_part_and_another_rate_named_stay_two_figures(catalogs: dict[str, Catalog]) -> None:
    p = plan(catalogs["logistics"], "returns to sender and the on-time rate")
    assert isinstance(p, MetricPlan), p
    assert p.query.metrics == ("returns_to_sender", "on_time_delivery_rate") and p.derived is None


def test_the_whole_by_definition_is_read_from_the_manifest(catalogs: dict[str, Catalog]) -> None:
    # RTS is one status of the shipments, which take every status but cancelled: a part by definition
    returns = catalogs["logistics"].metric("returns_to_sender")
    assert returns is not None and "shipments" in returns.within
