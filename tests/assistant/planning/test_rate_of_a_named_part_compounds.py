"""A rate word beside a word that names other figures ('claims rate', German 'Schadensquote',
'Reklamationsquote') is the rate of those figures — never the one rate the rate word alone reaches
(it was OTD). A German rate compound whose first part no glossary knows ('Beschwerdequote') asks
about that part; a glossary word before a lexicon word ('Inlandslanes') is read in English."""

from __future__ import annotations

import pytest

from assistant.core.planning.offline.german import english_for, translate_unknown
from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan


@pytest.mark.parametrize(
    "question",
    [
        "Schadensquote 2025",
        "claims rate 2025",
        "rate of claims 2025",
        "Wie hoch war die Reklamationsquote im dritten Quartal 2026?",
        "claim rate in Q3 2026",
    ],
)
def test_rate_of_the_claims_is_the_claims_rate(catalogs: dict[str, Catalog], question: str) -> None:
    p = plan(catalogs["logistics"], question)
    assert isinstance(p, MetricPlan), p
    assert p.query.metrics == ("claims_per_1000_shipments",)


@pytest.mark.parametrize(
    "question",
    [
        "Wie hoch war die Fehlversuchsquote im September 2026?",
        "Fehlversuchsquote im September 2026",
        "What was the failed attempt rate in September 2026?",
    ],
)
def test_failed_attempt_rate(catalogs: dict[str, Catalog], question: str) -> None:
    p = plan(catalogs["logistics"], question)
    assert isinstance(p, MetricPlan), p
    assert p.query.metrics == ("failed_delivery_attempts", "delivery_attempts")


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("hospitality", "Wie hoch war die Stornoquote im September 2026?"),
        ("hospitality", "Stornierungsanteil je Hotel 2025"),
        ("hospitality", "cancellation rate 2025"),
    ],
)
def test_known_rate_compounds_keep_their_reading(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    p = plan(catalogs[project], question)
    assert isinstance(p, MetricPlan), p
    assert p.query.metrics == ("cancelled_bookings", "bookings")


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Beschwerdequote 2025"),
        ("retail", "Fehlerquote letzten Monat"),
        ("hospitality", "Beschwerdequote 2025"),
        ("hospitality", "Wie hoch war die Beschwerdequote letzten Monat?"),
        ("logistics", "Wie hoch war die Beschwerdequote letzten Monat?"),
    ],
)
def test_unknown_first_part_of_a_rate_is_asked(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    p = plan(catalogs[project], question)
    assert isinstance(p, ClarificationPlan), p
    part = question.split("quote")[0].split()[-1]
    assert f"'{part}'" in p.question


def test_an_average_is_no_rate_of_a_part(catalogs: dict[str, Catalog]) -> None:
    p = plan(catalogs["logistics"], "Average weight per consignment by booking channel in 2025?")
    assert isinstance(p, MetricPlan), p
    assert p.query.metrics == ("shipped_weight_kg", "shipments")


def test_glossary_word_before_a_lexicon_word() -> None:
    assert english_for("Inlandslanes", frozenset({"lane"})) == "domestic lanes"
    assert english_for("Inlandsrelationen", frozenset()) == "domestic lane"
    assert translate_unknown("Beschwerdequote 2025", set()) == "Beschwerde rate 2025"
    assert (
        translate_unknown("Accurate separate corporate rates", set()) == "Accurate separate corporate rates"
    )
