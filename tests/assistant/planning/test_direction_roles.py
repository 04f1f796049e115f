"""A value right after 'to'/'into'/'nach' is where things went: 'consignments to Poland' is the
consignee's country, not the shipper's that the figure's word ('consignments', what a consignor
sends) pointed at before — that answer was a wrong number (87 shipments instead of 68). Only a
role whose name says it receives ('consignee', 'destination', 'recipient') is chosen, and only
when it is the one such role; 'from Poland' stays a question between the roles."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

COUNTRIES = ("PL", "CZ", "DE")
LOGISTICS = {
    "shipment__shipper__country_code": COUNTRIES,
    "shipment__consignee__country_code": COUNTRIES,
    "shipment__carrier__country_code": COUNTRIES,
}


def _filters(asked: object) -> set[str]:
    assert isinstance(asked, MetricPlan), asked
    return {f.dimension for f in asked.query.filters}


@pytest.mark.parametrize(
    "question",
    [
        "How many consignments went to PL last quarter?",
        "How many consignments to PL last quarter?",
        "shipments sent into CZ in 2025",
        "Wie viele Sendungen nach PL hatten wir letztes Quartal?",
        "Sendungen nach CZ 2025",
    ],
)
def test_a_value_after_to_is_the_receiving_role(catalogs: dict[str, Catalog], question: str) -> None:
    filters = _filters(plan(catalogs["logistics"], question, LOGISTICS))
    assert any(f.endswith("consignee__country_code") for f in filters), filters
    assert not any("shipper" in f or "carrier" in f for f in filters), filters


def test_a_value_after_from_is_still_asked_between_the_roles(catalogs: dict[str, Catalog]) -> None:
    asked = plan(catalogs["logistics"], "How many shipments from PL last quarter?", LOGISTICS)
    assert isinstance(asked, ClarificationPlan), asked


@pytest.mark.parametrize(
    "question",
    [
        "Last month, how many shipments came from DE versus how many were going into PL?",
        "Did more shipments leave DE than went into PL last month?",
        "Sendungen aus DE im Vergleich zu Sendungen nach PL letzten Monat",
        "shipments from DE compared with shipments into PL in 2025",
    ],
)
def test_two_sides_set_against_each_other_are_not_read_as_one_filter(
    catalogs: dict[str, Catalog], question: str
) -> None:
    asked = plan(catalogs["logistics"], question, LOGISTICS)
    # before the receiving role was read, this was asked; 'into PL' must not narrow both sides
    assert isinstance(asked, ClarificationPlan), asked
