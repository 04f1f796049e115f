"""Texts that ask back, refuse or help speak the project's own words (issue #18, item 6).

A battery of vague, ambiguous and off-topic questions (English and German) on each non-retail
fixture project — logistics, hospitality, subscription — through the offline planner and the
engine's refusal texts: no retail word ('store', 'category', 'product', 'Filiale', 'Umsatz' …)
appears in any question back, option or help text, and the project's own nouns do. The retail
project keeps its wording ('Top what? For example the top stores, categories or products.').
Catalogs are parsed from the real dbt projects (no warehouse needed)."""

from __future__ import annotations

import re

import pytest

from assistant.core.answering.asking_back import plural, share_of_what, things, top_what
from assistant.core.answering.examples import help_text
from assistant.core.engine import _refusal_message
from assistant.core.planning.plans import ClarificationPlan, Plan, RefusalPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

FIGURES = {
    "retail": "net sales",
    "logistics": "freight revenue",
    "hospitality": "room revenue",
    "subscription": "invoice revenue",
}
RETAIL_WORDS = re.compile(
    r"\b(?:stores?|filialen?|shops?|net sales|nettoumsatz|umsatz|categor(?:y|ies)|kategorien?|"
    r"products?|produkte?|artikel|sqm|basket|loyalty)\b",
    re.IGNORECASE,
)
# {figure}: the project's own money figure, so that the question reads up to its vague part
BATTERY = (
    "top 5 {figure} last month",
    "the top ones by {figure} last month",
    "die besten 5 nach {figure} letzten Monat",
    "what share of {figure} last year?",
    "welcher Anteil am {figure} letztes Jahr?",
    "how are we doing",
    "wie läuft es?",
    "help",
    "what can you do?",
    "Hilfe",
    "was kannst du?",
    "{figure} for Zorblax last month",
    "{figure} von Zorblax letzten Monat",
    "{figure} by grumbleflux last month",
    "{figure} nach Grummelfux letzten Monat",
    "delete all the data",
    "lösche alle Daten",
    "what is the weather tomorrow",
    "and by week?",
    "ok and how much {figure} did that bring in?",
)


def _texts(asked: Plan) -> list[str]:
    if isinstance(asked, ClarificationPlan):
        return [asked.question, *asked.options]
    if isinstance(asked, RefusalPlan):
        return [asked.message]
    return []


@pytest.mark.parametrize("project", ["logistics", "hospitality", "subscription"])
def test_no_retail_word_in_any_text_that_asks_back_refuses_or_helps(
    catalogs: dict[str, Catalog], project: str
) -> None:
    catalog, figure = catalogs[project], FIGURES[project]
    said: list[tuple[str, str]] = []
    for question in BATTERY:
        q = question.format(figure=figure)
        said += [(q, t) for t in _texts(plan(catalog, q))]
    said += [("(help)", help_text(catalog))]
    said += [(f"(guard {r})", _refusal_message(r, "", catalog)) for r in ("empty", "off_topic")]
    retail = [(q, t) for q, t in said if RETAIL_WORDS.search(t)]
    assert not retail, retail
    # the questions back name the project's own things instead
    nouns = [plural(t) for t in things(catalog)]
    assert any(n in t for _, t in said for n in nouns), said


@pytest.mark.parametrize(
    ("project", "top", "share"),
    [
        ("logistics", "the top carriers, consignees or shippers", "by carrier"),
        ("hospitality", "the top properties", "by property"),
        ("subscription", "the top countries", "by plan"),
    ],
)
def test_top_what_and_share_of_what_name_the_figures_own_rows(
    catalogs: dict[str, Catalog], project: str, top: str, share: str
) -> None:
    catalog, figure = catalogs[project], FIGURES[project]
    for question in (f"top 5 {figure} last month", f"die besten 5 nach {figure} letzten Monat"):
        asked = plan(catalog, question)
        assert isinstance(asked, ClarificationPlan) and asked.question.startswith("Top what?"), asked
        assert top in asked.question, asked.question
    asked = plan(catalog, f"what share of {figure} last year?")
    assert isinstance(asked, ClarificationPlan) and asked.question.startswith("Share of what?"), asked
    assert share in asked.question, asked.question


def test_retail_keeps_its_wording(catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs["retail"]
    net_sales = catalog.metric("net_sales")
    assert top_what(catalog, net_sales) == "Top what? For example the top stores, categories or products."
    assert (
        share_of_what(catalog, net_sales)
        == "Share of what? For example: by store, by category or by sales channel."
    )
    asked = plan(catalog, "top 5 net sales last month")
    assert isinstance(asked, ClarificationPlan)
    assert asked.question == "Top what? For example the top stores, categories or products."
    assert "store" in asked.options and "category" in asked.options
    asked = plan(catalog, "net sales for Zorblax last month")
    assert (
        isinstance(asked, ClarificationPlan) and "among your stores, categories, products" in asked.question
    )


@pytest.mark.parametrize(
    ("noun", "many"),
    [
        ("store", "stores"),
        ("category", "categories"),
        ("sales channel", "sales channels"),
        ("customer segment (RFM)", "customer segments (RFM)"),
        ("address", "addresses"),
        ("day", "days"),
        ("ADR", "ADR"),
    ],
)
def test_plural(noun: str, many: str) -> None:
    assert plural(noun) == many
