"""New members per period in German and English ('Neuanmeldungen im Kundenclub pro Monat 2025',
'Anmeldungen im Kundenclub', 'neue Mitglieder im Treueprogramm je Monat', 'new loyalty sign-ups per
month', 'sign-ups to the customer club'): the glossary reads 'Kundenclub', 'Treueprogramm',
'Bonusprogramm' as the loyalty programme, 'Mitglied' as member, 'Anmeldung' as sign-up, so the figure
counting sign-ups answers (it was asked about 'Kundenclub'). A catalog with no such figure asks on."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from semantic_layer.query import Grain
from tests.assistant.planning.project_catalogs import plan


@pytest.mark.parametrize(
    "question",
    [
        "Neuanmeldungen im Kundenclub pro Monat 2025",
        "Anmeldungen im Kundenclub pro Monat 2025",
        "neue Mitglieder im Treueprogramm je Monat 2025",
        "Wie viele Kunden haben sich 2025 je Monat im Bonusprogramm angemeldet?",
        "new loyalty sign-ups per month in 2025",
        "sign-ups to the customer club per month in 2025",
    ],
)
def test_new_sign_ups_per_month(catalogs: dict[str, Catalog], question: str) -> None:
    asked = plan(catalogs["retail"], question)
    assert isinstance(asked, MetricPlan), (question, asked)
    assert asked.query.metrics == ("new_customers",) and asked.query.time_grain == Grain.MONTH


@pytest.mark.parametrize("project", ["hospitality", "logistics"])
def test_a_catalog_counting_no_sign_ups_asks(catalogs: dict[str, Catalog], project: str) -> None:
    asked = plan(catalogs[project], "Neuanmeldungen im Kundenclub pro Monat 2025")
    assert isinstance(asked, ClarificationPlan), asked
