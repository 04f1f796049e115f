"""'am wenigsten verkauft' reads as 'sold the least' does: units sold for a retailer (the figure
named by the verb), a question back elsewhere — whose options are the headline figure, then the
project's totals (money first), never an average or a rate nobody ranks a 'sold the least' by."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan


@pytest.mark.parametrize(
    ("german", "english"),
    [
        ("Welche Filiale hat am wenigsten verkauft", "which store sold the least"),
        ("Welche Filiale hat 2025 am meisten verkauft?", "which store sold the most in 2025?"),
        (
            "Welche Kategorie hat letzten Monat am wenigsten verkauft?",
            "which category sold the least last month?",
        ),
    ],
)
def test_sold_the_least_alike_in_both_languages(
    catalogs: dict[str, Catalog], german: str, english: str
) -> None:
    de, en = plan(catalogs["retail"], german), plan(catalogs["retail"], english)
    assert isinstance(de, MetricPlan) and isinstance(en, MetricPlan), (de, en)
    assert de.query == en.query
    assert de.query.metrics == ("units_sold",)


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("hospitality", "Welches Hotel hat am wenigsten verkauft"),
        ("hospitality", "which hotel sold the least"),
        ("hospitality", "Welche Marke hat 2025 am meisten verkauft?"),
        ("logistics", "Welcher Kunde hat am meisten verschickt"),
    ],
)
def test_options_are_totals(catalogs: dict[str, Catalog], project: str, question: str) -> None:
    p = plan(catalogs[project], question)
    assert isinstance(p, ClarificationPlan), p
    infos = [m for label in p.options for m in catalogs[project].metrics if m.label == label]
    assert infos and all(m.additive for m in infos[1:]), p.options  # after the headline figure
