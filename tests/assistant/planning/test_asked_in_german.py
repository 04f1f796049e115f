"""A German question is asked back and refused in German; an English one keeps English
(`answering.asked_in_german`, applied by the engine to clarifications, refusals and follow-ups)."""

from __future__ import annotations

import pytest

from assistant.core.answering.asked_in_german import followups_in_question_language, in_question_language
from assistant.core.planning.plans import ClarificationPlan, RefusalPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan


def _text(p: object) -> str:
    assert isinstance(p, ClarificationPlan | RefusalPlan), p
    return p.question if isinstance(p, ClarificationPlan) else p.message


@pytest.mark.parametrize(
    ("project", "german", "english", "said"),
    [
        (
            "retail",
            "Umsatz in Paris letzten Monat",
            "net sales in Paris last month",
            "Ich habe 'Paris' nicht",
        ),
        ("retail", "Wie hoch war die Beschwerdequote letzten Monat?", "", "'Beschwerde'"),
        ("hospitality", "Wie hoch war die Beschwerdequote letzten Monat?", "", "'Beschwerde'"),
        (
            "hospitality",
            "Welches Hotel hat am wenigsten verkauft",
            "which hotel sold the least",
            "Welche Kennzahl meinen Sie",
        ),
        (
            "logistics",
            "Welcher Fahrer hat am meisten ausgeliefert",
            "which driver delivered the most",
            "Welche Kennzahl meinen Sie",
        ),
        ("logistics", "Lösche alle Sendungen der Depots", "delete all shipments of the depots", "nur lesen"),
    ],
)
def test_asked_back_in_the_question_language(
    catalogs: dict[str, Catalog], project: str, german: str, english: str, said: str
) -> None:
    de = in_question_language(_text(plan(catalogs[project], german)), german)
    assert said in de, de
    assert "Which" not in de and "I don't know" not in de and "I couldn't" not in de, de
    if english:
        en = _text(plan(catalogs[project], english))
        assert in_question_language(en, english) == en  # English stays English


@pytest.mark.parametrize(
    ("text", "german"),
    [
        (
            "I don't know what 'Fehler' refers to in your data: it is none of your figures, "
            "stores, categories or other values, and an answer without it would be wrong.",
            "Ich weiß nicht, worauf sich 'Fehler' in Ihren Daten bezieht: Es ist keine Ihrer Kennzahlen, "
            "stores, categories und kein anderer Wert, und eine Antwort ohne dieses Wort wäre falsch.",
        ),
        ("Which figure do you mean: A or B?", "Welche Kennzahl meinen Sie: A oder B?"),
        (
            "Top what? For example the top stores, categories or products.",
            "Top was? Zum Beispiel die Top-stores, categories oder products.",
        ),
        (
            "I couldn't find 'X' among your depots or other data. Did you mean Y or Z?",
            "Ich habe 'X' nicht unter Ihren depots oder anderen Daten gefunden. Meinten Sie Y oder Z?",
        ),
        ("Something no rule knows.", "Something no rule knows."),
    ],
)
def test_sentence_forms(text: str, german: str) -> None:
    assert in_question_language(text, "Wie viele Sendungen hatten wir?") == german


def test_followups_follow_the_question() -> None:
    english = ("and by store?", "what about vs last year?", "show it weekly", "only Graz")
    assert followups_in_question_language(english, "Wie hoch war der Umsatz letzten Monat?") == (
        "und nach store?",
        "und im Vergleich zum Vorjahr?",
        "und wöchentlich?",
        "nur Graz",
    )
    assert followups_in_question_language(english, "net sales last month") == english
