"""Classes of the logistics held-out misses (session 30), each on two projects where the shape exists:

- two figures of one fact set set against each other by their own words and a shared head ('claimed
  vs paid amounts', 'occupied vs paid room nights', 'F&B vs ancillary revenue', German 'geforderter
  Betrag vs. tatsächlich ausgezahlt'): both figures. The first word had been read as a value ('paid'
  → the status PAID, 'occupied' → OCCUPIED) and one figure answered for both, or it was asked;
- 'per <attribute>' ('claims paid je claim type') is a breakdown, not a division by the count of the
  entity the attribute's first word names;
- a unit said as an everyday word ('kilos', 'pro Kilo', 'what did we earn per kilo') is the summed
  figure whose label carries it in brackets, or the catalog's one money figure per that unit;
- 'Art des Claims', 'Schadensfälle', 'Gründe': the kind of a thing and German plurals with an umlaut;
- a follow-up's everyday word that is also a value ('and how much was paid out?') is the figure it
  names or a narrowing ('only the paid ones'), never silently dropped; 'davon' points back.
"""

from __future__ import annotations

import pytest

from assistant.core.planning.offline.lexicon import build_lexicon
from assistant.core.planning.offline.planner import OfflinePlanner, PlannerInput
from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import AS_OF, plan

CLAIMS = {"claimed_amount", "claims_paid_amount"}
OCCUPIED_PAID = {"occupied_room_nights", "paid_room_nights"}
PAID_AVAILABLE = {"paid_room_nights", "available_room_nights"}
PAID = {"claim__claim_status": ("PAID",)}
CLAIMS_DE = "Wie viele Claims hatten wir dieses Jahr?"

VALUES = {
    "logistics": {
        "claim__claim_status": ("OPEN", "PAID", "REJECTED"),
        "claim__claim_type": ("DAMAGE", "LOSS", "SHORTAGE", "DELAY"),
        "shipment__service_code": ("EXPRESS", "STANDARD", "ECONOMY"),
    },
    "hospitality": {
        "room_night__room_night_status": ("OCCUPIED", "VACANT", "OUT_OF_ORDER"),
        "reservation__reservation_status": ("Confirmed", "Cancelled", "No-show"),
    },
}


def _ask(catalogs: dict[str, Catalog], project: str, question: str) -> Plan:
    return plan(catalogs[project], question, VALUES.get(project))


def _after(catalogs: dict[str, Catalog], project: str, first: str, question: str) -> Plan:
    catalog = catalogs[project]
    lexicon = build_lexicon(catalog, VALUES.get(project), {})
    previous = plan(catalog, first, VALUES.get(project))
    assert isinstance(previous, MetricPlan), previous
    return OfflinePlanner().plan(
        PlannerInput(question=question, as_of=AS_OF, catalog=catalog, lexicon=lexicon, previous=previous)
    )


def _metrics(asked: Plan) -> set[str]:
    assert isinstance(asked, MetricPlan), asked
    return set(asked.query.metrics)


def _filters(asked: Plan) -> dict[str, tuple[object, ...]]:
    assert isinstance(asked, MetricPlan), asked
    return {f.dimension: f.values for f in asked.query.filters if f.operator != "is not null"}


@pytest.mark.parametrize(
    ("project", "question", "metrics"),
    [
        (
            "logistics",
            "Claimed vs paid amounts for loss claims this year",
            CLAIMS,
        ),
        ("logistics", "claimed and paid amounts last quarter", CLAIMS),
        ("logistics", "paid amounts vs claimed amounts in 2025", CLAIMS),
        (
            "logistics",
            "Wie hoch war der geforderte vs. der ausgezahlte Betrag 2025?",
            CLAIMS,
        ),
        (
            "logistics",
            "Reklamationen 2025: geforderter Betrag vs. tatsächlich ausgezahlt",
            CLAIMS,
        ),
        (
            "hospitality",
            "occupied vs paid room nights last month",
            OCCUPIED_PAID,
        ),
        (
            "hospitality",
            "paid vs available room nights in 2025",
            PAID_AVAILABLE,
        ),
        ("hospitality", "F&B vs ancillary revenue last month", {"fnb_revenue", "ancillary_revenue"}),
        (
            "hospitality",
            "belegte vs. bezahlte Zimmernächte letzten Monat",
            OCCUPIED_PAID,
        ),
    ],
)
def test_two_figures_of_one_fact_set_set_against_each_other(
    catalogs: dict[str, Catalog], project: str, question: str, metrics: set[str]
) -> None:
    asked = _ask(catalogs, project, question)
    assert _metrics(asked) == metrics
    assert not [d for d in _filters(asked) if d.endswith("status")]  # 'paid', 'occupied': no status filter


@pytest.mark.parametrize(
    "question",
    [
        "claimed amount vs claims paid je claim type 2025",
        "claims paid per claim type last year",
        "Schadensfälle im ersten Halbjahr 2026: geforderter Betrag vs. ausgezahlt, je Schadensart",
        "ausgezahlter Betrag nach Art der Reklamation 2025",
    ],
)
def test_per_an_attribute_is_a_breakdown_not_a_division(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _ask(catalogs, "logistics", question)
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.group_by == ("claim__claim_type",)
    assert "claims_filed" not in asked.query.metrics and asked.derived is None


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("Pieces and kilos collected per origin depot this month", {"pieces_shipped", "shipped_weight_kg"}),
        ("how many kilos did we ship last month", {"shipped_weight_kg"}),
        ("Wie viele Kilo haben wir letzten Monat verschickt?", {"shipped_weight_kg"}),
        ("What did we earn per kilo last quarter, by service?", {"revenue_per_kg"}),
        ("how much did we make per kg last month", {"revenue_per_kg"}),
        ("Umsatz pro Kilo im ersten Halbjahr 2026", {"revenue_per_kg"}),
    ],
)
def test_a_unit_said_as_an_everyday_word(
    catalogs: dict[str, Catalog], question: str, metrics: set[str]
) -> None:
    assert _metrics(_ask(catalogs, "logistics", question)) == metrics


@pytest.mark.parametrize(
    "question",
    [
        "average length of stay in nights last month",  # an average's unit names no figure
        "shipments per kg last month",  # a count per kg: no such figure, asked
    ],
)
def test_a_unit_of_an_average_or_a_division_is_not_read_alone(
    catalogs: dict[str, Catalog], question: str
) -> None:
    project = "hospitality" if "stay" in question else "logistics"
    asked = _ask(catalogs, project, question)
    if isinstance(asked, MetricPlan):
        assert "shipped_weight_kg" not in asked.query.metrics
    else:
        assert isinstance(asked, ClarificationPlan)


@pytest.mark.parametrize(
    ("first", "question", "metrics", "filters"),
    [
        ("claims filed this year", "and how much was paid out?", {"claims_paid_amount"}, {}),
        (
            CLAIMS_DE,
            "und wie viel davon ausbezahlt?",
            {"claims_paid_amount"},
            {},
        ),
        (
            "claims filed this year",
            "only the paid ones",
            {"claims_filed"},
            PAID,
        ),
        (
            CLAIMS_DE,
            "nur die bezahlten",
            {"claims_filed"},
            PAID,
        ),
    ],
)
def test_a_follow_ups_everyday_value_word_is_read_never_dropped(
    catalogs: dict[str, Catalog],
    first: str,
    question: str,
    metrics: set[str],
    filters: dict[str, tuple[str, ...]],
) -> None:
    asked = _after(catalogs, "logistics", first, question)
    assert _metrics(asked) == metrics
    assert _filters(asked) == filters


def test_a_follow_ups_value_word_that_names_no_one_figure_is_asked(catalogs: dict[str, Catalog]) -> None:
    asked = _after(catalogs, "logistics", "claims filed this year", "and the paid ones?")
    assert isinstance(asked, ClarificationPlan)


def test_the_kind_of_a_thing_and_umlaut_plurals_in_german(catalogs: dict[str, Catalog]) -> None:
    asked = _after(
        catalogs,
        "logistics",
        "Wie viele Schadensmeldungen hatten wir dieses Jahr?",
        "Und wie viel haben wir davon tatsächlich ausbezahlt, aufgeteilt nach Art des Claims?",
    )
    assert _metrics(asked) == {"claims_paid_amount"}
    assert isinstance(asked, MetricPlan) and asked.query.group_by == ("claim__claim_type",)


@pytest.mark.parametrize(
    "question", ["und wie viele davon gingen verloren?", "wie viele davon waren Schäden?"]
)
def test_davon_without_a_figure_of_its_own_is_asked(catalogs: dict[str, Catalog], question: str) -> None:
    """'davon' (of those) asked of the answer before with no figure of its own: which part of it is
    meant is asked — dropping the word answered another set than the one asked about."""
    asked = _after(catalogs, "logistics", CLAIMS_DE, question)
    assert isinstance(asked, ClarificationPlan), asked


@pytest.mark.parametrize(
    "question",
    ["the claimed, the paid amount 2025", "the claimed vs. the amount paid out in 2025"],
)
def test_another_figures_own_word_left_over_is_asked(catalogs: dict[str, Catalog], question: str) -> None:
    """'claimed' had been excused as a word of the claim entity, and 'Claims paid' answered alone."""
    assert isinstance(_ask(catalogs, "logistics", question), ClarificationPlan)


@pytest.mark.parametrize(
    "question",
    [
        "failed delivery attempts by reason last month",
        "failed attempts by failure reason last month",
        "Wie viele Zustellversuche sind letzten Monat gescheitert – aufgeschlüsselt nach Grund?",
        "which reason for failed attempts was most frequent in September",
    ],
)
def test_a_noun_an_attributes_description_gives_its_values(
    catalogs: dict[str, Catalog], question: str
) -> None:
    """'Delivered, or the reason the attempt failed' (Attempt outcome): 'reason', 'Grund' name it."""
    asked = _ask(catalogs, "logistics", question)
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.group_by == ("delivery_attempt__attempt_outcome",)


def test_a_word_said_of_a_named_noun_or_a_condition_names_no_attribute(catalogs: dict[str, Catalog]) -> None:
    """'the first attempt', 'True when the driver collects …' describe, they name no attribute."""
    for question in ("shipments by driver last month", "first attempts by depot last month"):
        asked = _ask(catalogs, "logistics", question)
        if isinstance(asked, MetricPlan):
            assert "delivery_attempt__attempt_number" not in asked.query.group_by
            assert "shipment__is_cod" not in asked.query.group_by


@pytest.mark.parametrize(
    "question",
    [
        "top 3 subcontracters by weight last year",
        "shipments by subcontractor last month",
        "top 5 subcontractors by revenue",
    ],
)
def test_a_kind_of_member_named_for_its_entity(catalogs: dict[str, Catalog], question: str) -> None:
    """'… SUBCONTRACTOR for carriers' (the party's account segment): 'subcontractor' in the place of an
    entity is the carrier, not the segment value every role holds (it was asked which role)."""
    asked = _ask(catalogs, "logistics", question)
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.group_by == ("carrier__party_name",)


def test_a_kind_of_member_as_a_qualifier_stays_a_value(catalogs: dict[str, Catalog]) -> None:
    asked = _ask(catalogs, "logistics", "shipments of subcontractor customers last month")
    assert "carrier__party_name" not in getattr(getattr(asked, "query", None), "group_by", ())
