"""Words that are stored values and were read as something else (session 32, precision), on the real
catalogs (parsed with dbt, no warehouse) with a few of the tenant's values:

- **An all-caps code before a period** ('shipments to AT last month', 'Sendungen nach AT letzten
  Monat'): 'AT' was taken as the 'at' of 'at last month' and blanked with the period, so the
  shipments of every country were answered. A lead word in capitals in a question that is not all
  capitals is a code and stays for the values (`signals._a_code`).
- **A change word that names a status** ('claims for lost shipments', 'how many shipments were
  lost', 'verlorene Sendungen'): read as the value 'Lost' (`status_words.py`), not as a decrease
  compared with last year; after a noun ('which stores lost sales') it is still a change.
- **An entity another figure counts, opening the question** ('claims for express shipments',
  'Reklamationen für Expresssendungen'): 'claims' was excused as context and the shipments answered;
  asked now (`whole_question._counted_entity_asked`).
- **A figure named with a one-letter word** ('F&B revenue per occupied room'): re-read as Room
  revenue (the 'revenue' that reaches the room status) because 'F' and 'B' were no words of it.
- **The rate of a part held to the part** ('how many bookings were cancelled, and the cancellation
  rate'): the status Cancelled filtered both sides of cancelled ÷ all bookings (rate 1); dropped.
"""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

_COUNTRIES = ("AT", "DE", "PL", "NL", "BE", "CZ", "FR")
_LOGISTICS = {
    "shipper__country_code": _COUNTRIES,
    "consignee__country_code": _COUNTRIES,
    "carrier__country_code": _COUNTRIES,
    "shipment__shipment_status": ("Delivered", "Lost", "Cancelled", "In transit", "Returned to sender"),
}
_HOTELS = {
    "guest__country": ("AT", "NO", "IT", "DE", "US"),
    "booker__country": ("AT", "NO", "IT", "DE", "US"),
    "property__country": ("AT", "NO", "PT"),
}
_RETAIL = {"customer__rfm_segment": ("lost", "new", "champions", "at_risk")}


def _filters(found: Plan) -> dict[str, tuple[object, ...]]:
    assert isinstance(found, MetricPlan), found
    return {f.dimension: f.values for f in found.query.filters}


@pytest.mark.parametrize(
    "question",
    [
        "shipments to AT last month",
        "Sendungen nach AT letzten Monat",
        "how many shipments went to AT in September",
        "on-time rate for AT consignees in Q3",
    ],
)
def test_a_country_code_before_a_period_is_the_country(catalogs: dict[str, Catalog], question: str) -> None:
    found = plan(catalogs["logistics"], question, _LOGISTICS)
    assert _filters(found) == {"consignee__country_code": ("AT",)}, found


@pytest.mark.parametrize(
    "question",
    ["occupancy in AT last month", "arrivals from NO in September", "Ankünfte aus IT im letzten Monat"],
)
def test_a_code_whose_role_is_unclear_is_asked_never_dropped(
    catalogs: dict[str, Catalog], question: str
) -> None:
    found = plan(catalogs["hospitality"], question, _HOTELS)
    if isinstance(found, MetricPlan):
        assert found.query.filters, found  # read as the code, never answered without it
    else:
        assert isinstance(found, ClarificationPlan)


def test_a_lowercase_at_before_a_period_is_still_the_periods(catalogs: dict[str, Catalog]) -> None:
    found = plan(catalogs["logistics"], "shipments at last month's level?", _LOGISTICS)
    assert not (isinstance(found, MetricPlan) and found.query.filters)


@pytest.mark.parametrize(
    "question",
    [
        "claims filed for lost shipments this year",
        "how many shipments were lost this year",
        "Wie viele verlorene Sendungen gab es dieses Jahr?",
        "lost shipments by carrier this year",
    ],
)
def test_a_change_word_naming_a_status_is_that_status(catalogs: dict[str, Catalog], question: str) -> None:
    found = plan(catalogs["logistics"], question, _LOGISTICS)
    assert isinstance(found, MetricPlan), found
    assert _filters(found).get("shipment__shipment_status") == ("Lost",), found
    assert found.comparison is None, found


def test_the_same_word_after_a_noun_is_still_a_change(catalogs: dict[str, Catalog]) -> None:
    found = plan(catalogs["retail"], "which stores lost sales this year", _RETAIL)
    assert isinstance(found, MetricPlan), found
    assert not found.query.filters and found.comparison is not None, found
    found = plan(catalogs["retail"], "net sales of lost customers this year", _RETAIL)
    assert _filters(found) == {"customer__rfm_segment": ("lost",)}, found


_SERVICES = {**_LOGISTICS, "shipment__service_code": ("EXPRESS", "STANDARD", "ECONOMY")}


@pytest.mark.parametrize(
    "question",
    [
        "claims for express shipments last month",
        "claims on shipments to AT this year",
        "Reklamationen für Expresssendungen letzten Monat",
    ],
)
def test_an_entity_counted_by_another_figure_opening_the_question_is_asked(
    catalogs: dict[str, Catalog], question: str
) -> None:
    # 'claims' (counted by Claims filed) had been excused as context and the shipments answered
    found = plan(catalogs["logistics"], question, _SERVICES)
    assert isinstance(found, ClarificationPlan), found
    assert "claim" in found.question.lower()


def test_the_figure_counting_it_named_is_answered(catalogs: dict[str, Catalog]) -> None:
    found = plan(catalogs["logistics"], "claims filed for express shipments last month", _SERVICES)
    assert isinstance(found, MetricPlan) and "claims_filed" in found.query.metrics, found


@pytest.mark.parametrize(
    "question", ["F&B revenue per occupied room last month", "F&B revenue by room status last month"]
)
def test_a_figure_named_with_a_one_letter_word_is_not_re_read_as_another(
    catalogs: dict[str, Catalog], question: str
) -> None:
    # 'F&B revenue' cannot be split by room status; its 'F' and 'B' were left out of its words and
    # it was re-read as Room revenue (the one 'revenue' that can): asked now
    values = {"room_night__room_night_status": ("OCCUPIED", "VACANT", "OUT_OF_ORDER")}
    found = plan(catalogs["hospitality"], question, values)
    assert not (isinstance(found, MetricPlan) and "room_revenue" in found.query.metrics), found


_BOOKING_STATUS = {"reservation__reservation_status": ("Checked out", "Cancelled", "No-show", "Reserved")}


@pytest.mark.parametrize(
    "question",
    [
        "How many bookings were cancelled this year, and what is the cancellation rate?",
        "Wie viele Buchungen von diesem Jahr wurden storniert, und wie hoch ist die Stornoquote?",
    ],
)
def test_the_rate_of_a_part_is_not_held_to_the_part_it_names(
    catalogs: dict[str, Catalog], question: str
) -> None:
    # the status Cancelled held on both sides of cancelled bookings ÷ bookings made the rate 1
    found = plan(catalogs["hospitality"], question, _BOOKING_STATUS)
    assert isinstance(found, MetricPlan), found
    if found.derived is not None:
        assert not found.query.filters, found
