"""'verfügbar' is German for 'available' (a general word, in the glossary beside 'belegt'): 'verfügbare
Zimmernächte' is the available room nights figure, not an unknown word asked about. Where no figure
is available-anything (retail stock), the word is still asked about, never dropped."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele verfügbare Zimmernächte hatten wir im dritten Quartal 2026?",
        "Verfügbare Zimmernächte letzten Monat nach Hotel",
        "Anzahl verfügbarer Zimmernächte 2025",
    ],
)
def test_verfuegbar_names_the_available_figure(catalogs: dict[str, Catalog], question: str) -> None:
    found = plan(catalogs["hospitality"], question)
    assert isinstance(found, MetricPlan), found
    assert found.query.metrics == ("available_room_nights",), found


def test_verfuegbar_without_an_available_figure_is_asked(catalogs: dict[str, Catalog]) -> None:
    assert isinstance(plan(catalogs["retail"], "verfügbare Lagerbestände aktuell"), ClarificationPlan)
