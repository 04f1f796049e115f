"""Hospitality dev recall classes (session 32), each with phrasings of our own on the real catalogs
(parsed with dbt, no warehouse):

- **The noun said plainly is the whole, not a part of it** ('How many room nights have we sold to
  Orla', 'Wie viele Zimmernächte hatten wir im Segment Group'): of the counts the noun names alike
  (available, occupied, paid room-nights) with no other word choosing, the one another is defined as
  a part of ('Paid room-nights: Occupied room-nights excluding …'). Not when a value of the counted
  rows' own attributes is named ('room nights lost to out-of-order rooms': asked), and not where no
  count is defined from another (subscriptions: active, new, churned stay asked)."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "hospitality": {
        "reservation__market_segment": ("Leisure", "Corporate", "Group", "Complimentary"),
        "reservation__corporate_account": ("Orla Pharmaceuticals Ltd", "Brightwave Systems"),
        "reservation__reservation_status": ("Checked out", "In house", "Reserved", "Cancelled", "No-show"),
        "room_night__room_night_status": ("OCCUPIED", "VACANT", "OUT_OF_ORDER"),
        "reservation__channel_group": ("OTA", "Direct", "Corporate", "Trade"),
    },
    "subscription": {"subscription__plan": ("Starter", "Pro")},
}


def _plan(catalogs: dict[str, Catalog], project: str, question: str) -> Plan:
    return plan(catalogs[project], question, VALUES.get(project))


@pytest.mark.parametrize(
    "question",
    [
        "How many room nights have we sold to Orla Pharmaceuticals this year?",
        "How many room nights did the Leisure segment bring us last year?",
        "Wie viele Zimmernächte hatten wir letztes Jahr im Segment Leisure?",
        "Wie viele Zimmernächte haben wir 2025 an Orla Pharmaceuticals verkauft?",
    ],
)
def test_room_nights_said_plainly_are_the_occupied_ones(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _plan(catalogs, "hospitality", question)
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.metrics == ("occupied_room_nights",)


def test_a_part_named_keeps_its_count(catalogs: dict[str, Catalog]) -> None:
    asked = _plan(catalogs, "hospitality", "How many room nights were available last month?")
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.metrics == ("available_room_nights",)


@pytest.mark.parametrize(
    "question",
    [
        "Which hotel lost the most room nights to out-of-order rooms this year?",
        "How many room nights were OUT_OF_ORDER last month?",
    ],
)
def test_a_value_of_the_counted_rows_is_still_asked(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _plan(catalogs, "hospitality", question)
    assert not (isinstance(asked, MetricPlan) and asked.query.metrics == ("occupied_room_nights",)), asked


@pytest.mark.parametrize(
    "question",
    ["How many subscriptions did we have in September?", "Wie viele Abos hatten wir im September?"],
)
def test_counts_defined_from_none_other_are_not_chosen_so(
    catalogs: dict[str, Catalog], question: str
) -> None:
    asked = _plan(catalogs, "subscription", question)
    assert isinstance(asked, (ClarificationPlan, MetricPlan)), asked
    assert not isinstance(asked, MetricPlan) or asked.query.metrics != ("churned_subscriptions",)
