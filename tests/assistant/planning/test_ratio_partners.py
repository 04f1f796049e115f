"""A rate narrowed or broken down through an entity its denominator's facts may lack is asked about
(`assistant/core/planning/partner_scope.py`, `semantic_layer/partners.py`): 'occupancy for OTA
bookings' kept only the room-nights with a reservation on both sides and read 100 %. The figure that
can be narrowed so (occupied room-nights by channel) and the rate overall are offered. A ratio whose
two sides both count facts without the partner (on-time rate by carrier: own-fleet deliveries on
both sides) and a breakdown every fact has (occupancy by hotel) are answered."""

from __future__ import annotations

import pytest

from assistant.core.planning.partner_scope import outside_the_partners
from assistant.core.planning.plans import MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan
from tests.byo_projects import Project, metrics_of, rows

_HOTEL_VALUES = {"reservation__channel_group": ("OTA", "Direct", "Corporate", "Trade")}


def _metric_plan(
    catalog: Catalog, question: str, values: dict[str, tuple[str, ...]] | None = None
) -> MetricPlan:
    found = plan(catalog, question, values)
    assert isinstance(found, MetricPlan), found
    return found


@pytest.mark.parametrize(
    "question",
    [
        "occupancy for OTA bookings last month",
        "Auslastung für OTA-Buchungen im September",
        "occupancy by channel group",
    ],
)
def test_occupancy_through_the_reservation_is_asked_when_vacant_nights_have_none(
    catalogs: dict[str, Catalog], question: str
) -> None:
    catalog = catalogs["hospitality"]
    beyond = {("available_room_nights", "reservation")}
    asked = outside_the_partners(
        _metric_plan(catalog, question, _HOTEL_VALUES), catalog, lambda m, e: (m, e) in beyond
    )
    assert asked is not None
    assert "Occupied room-nights by channel group" in asked.options, asked
    assert "Occupancy overall" in asked.options


def test_the_same_rule_on_another_shape_a_carriers_on_time_rate(catalogs: dict[str, Catalog]) -> None:
    # logistics: on-time deliveries over delivered shipments, by the subcontracted carrier (empty when
    # our own fleet ran the linehaul). Asked only when the denominator alone has such shipments.
    catalog = catalogs["logistics"]
    found = _metric_plan(catalog, "on-time delivery rate by carrier last quarter")
    denominator_only = outside_the_partners(found, catalog, lambda m, e: m == "delivered_shipments")
    assert denominator_only is not None and "carrier" in denominator_only.question.lower()
    assert outside_the_partners(found, catalog, lambda m, e: e == "carrier") is None  # both sides: a rate


def test_a_plain_figure_or_a_local_breakdown_asks_nothing(catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs["hospitality"]
    for question in ("occupied room nights for OTA bookings last month", "occupancy by hotel last month"):
        found = _metric_plan(catalog, question, _HOTEL_VALUES)
        assert outside_the_partners(found, catalog, lambda m, e: e == "reservation") is None, question


_OCCUPIED_OTA_SEPT = (
    "select count(*) from analytics.room_nights n join analytics.reservations r "
    "on r.confirmation_no = n.confirmation_no where n.is_occupied and r.channel_group = 'OTA' "
    "and n.stay_date between date '2026-09-01' and date '2026-09-30'"
)


@pytest.mark.parametrize(
    "question",
    [
        "What was occupancy for OTA bookings in September 2026?",
        "occupancy by channel group last month",
        "Auslastung nach Kanalgruppe im September 2026",
        "RevPAR by channel group last month",
    ],
)
def test_end_to_end_a_rate_over_vacant_nights_by_the_reservation_is_asked(
    hotels: Project, question: str
) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]
    assert "channel group" in str(answer["answer"]), answer["answer"]


def test_end_to_end_the_figure_that_can_be_narrowed_and_the_rates_that_can_are_answered(
    hotels: Project,
) -> None:
    ((occupied,),) = hotels.sql(_OCCUPIED_OTA_SEPT)
    answer = hotels.ask("occupied room nights for OTA bookings in September 2026")
    assert answer["kind"] == "data" and rows(answer)[0][0] == occupied, answer["answer"]
    for question in ("ADR by channel group last month", "occupancy by hotel last month"):
        answer = hotels.ask(question)
        assert answer["kind"] == "data", (question, answer["answer"])
    assert metrics_of(hotels.ask("occupancy by hotel last month")) == ["occupancy_rate"]
