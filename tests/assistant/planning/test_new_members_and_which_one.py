"""Two classes of the retail held-out dev halves (issue #17, session 29), on retail and the
non-retail fixtures' real catalogs (parsed with dbt, no warehouse):

- **New members in German**: 'neue Kunden', 'neue Abonnements', 'neue Konten' — an adjective and a
  noun whose English words together name a figure ('new customer', 'new subscription') read as that
  figure, also where the adjective is a word of a value's name ('Die neuen Farben der Saison'); a
  word of another name the catalog gives the chosen figure ('loyalty card' of 'loyalty cards
  issued', 'Kundenkarte' of 'neue Kundenkarten') restates it and is no filter.
- **The one not named**: 'Wie lief die Filiale?', 'the depot', 'the hotel' — one member of an entity
  asked about in the singular with a definite article and none named is asked back (which one?), not
  answered with a ranking of all of them; the plural, 'by the …', a ranking or a named member read
  as before."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

RETAIL_VALUES = {
    "store__store_name": ("Nordwind Hamburg", "Nordwind Berlin", "Nordwind Online-Shop"),
    "store__city": ("Hamburg", "Berlin"),
    "campaign__campaign_name": ("Die neuen Farben der Saison",),
}


@pytest.mark.parametrize(
    ("project", "question", "metric", "grain"),
    [
        ("retail", "Wie viele neue Kunden haben sich 2025 jeden Monat angemeldet?", "new_customers", "month"),
        ("retail", "Neue Kunden pro Quartal im letzten Jahr", "new_customers", "quarter"),
        (
            "retail",
            "How many new customers signed up for the loyalty card each week last month?",
            "new_customers",
            "week",
        ),
        ("retail", "Wie viele neue Kunden gab es 2026 je Monat mit Kundenkarte?", "new_customers", "month"),
        ("subscription", "Wie viele neue Abonnements gab es 2024 jeden Monat?", "new_subscriptions", "month"),
        (
            "subscription",
            "Wie viele neue Konten haben sich 2024 pro Quartal angemeldet?",
            "new_accounts",
            "quarter",
        ),
    ],
)
def test_new_members_in_german_and_the_figures_own_names_read_as_the_figure(
    catalogs: dict[str, Catalog], project: str, question: str, metric: str, grain: str
) -> None:
    asked = plan(catalogs[project], question, RETAIL_VALUES if project == "retail" else None)
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.metrics == (metric,)
    assert asked.query.group_by == ("metric_time",) and asked.query.time_grain == grain
    assert not asked.query.filters


def test_a_value_named_with_the_adjective_still_reads(catalogs: dict[str, Catalog]) -> None:
    asked = plan(
        catalogs["retail"], "E-Mail-Umsatz der Kampagne 'Die neuen Farben der Saison'", RETAIL_VALUES
    )
    assert isinstance(asked, MetricPlan), asked
    assert [f.values for f in asked.query.filters] == [("Die neuen Farben der Saison",)]


@pytest.mark.parametrize(
    ("project", "question", "noun"),
    [
        ("retail", "Wie lief die Filiale letzten Monat?", "store"),
        ("retail", "How did the store do in September?", "store"),
        ("retail", "What were the net sales of the store last week?", "store"),
        ("logistics", "What was the freight revenue of the consignee last month?", "consignee"),
        ("hospitality", "What was the room revenue of the hotel last month?", "property"),
    ],
)
def test_one_member_asked_about_and_none_named_is_asked_which(
    catalogs: dict[str, Catalog], project: str, question: str, noun: str
) -> None:
    asked = plan(catalogs[project], question, RETAIL_VALUES if project == "retail" else None)
    assert isinstance(asked, ClarificationPlan), asked
    assert asked.question.startswith(f"Which {noun} do you mean"), asked.question
    if project == "retail":
        assert "Nordwind Hamburg" in asked.options


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("retail", "Umsatz der Filialen im September"),
        ("retail", "Umsatz nach Filiale im September"),
        ("retail", "net sales of the store in Hamburg last month"),
        ("retail", "which store had the most net sales last month"),
        ("logistics", "shipments by destination depot last week"),
        ("hospitality", "room revenue of the hotels last month"),
    ],
)
def test_all_members_a_named_one_or_a_ranking_read_as_before(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    asked = plan(catalogs[project], question, RETAIL_VALUES if project == "retail" else None)
    assert isinstance(asked, MetricPlan), asked
