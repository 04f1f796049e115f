"""Readings of the retail dev halves' clarifications (session 31), each with phrasings of our own on
the real catalogs (parsed with dbt, no warehouse):

- **A gloss the catalog gives a value** ('never-out-of-stock (NOS) articles', 'LOCAL (same depot)'):
  the bracket and the words beside it say one value twice, word for word as the dimension's
  description glosses it; the gloss's words (a negation, a figure's word) ask nothing of their own.
- **'at the recent selling pace'**: 'recent', 'present', 'aktuell', 'momentan' say what a
  description's 'current' says, when choosing the one figure whose description says the question.
- **'how many pieces' has its figure**: 'Wie viel Umsatz und wie viele Teile haben unsere
  bayerischen Filialen gemacht': the unit word names the quantity, so the value after it narrows
  both figures — not an ask without a figure of its own."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import MetricPlan, Plan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {
        "store__city": ("Hamburg", "München"),
        "store__region": ("Bayern", "Hamburg", "Tirol"),
        "product__category": ("Ski", "Lighting", "Womenswear"),
        "product__subcategory": ("Laufschuhe",),
        "product__season": ("FS26", "HW25", "NOS"),
    },
    "logistics": {"lane__lane_type": ("LOCAL", "DOMESTIC", "CROSS_BORDER")},
    "hospitality": {"reservation__channel_group": ("Direct", "OTA", "Corporate", "Trade")},
}


def _ask(catalogs: dict[str, Catalog], project: str, question: str) -> MetricPlan:
    asked: Plan = plan(catalogs[project], question, VALUES.get(project))
    assert isinstance(asked, MetricPlan), asked
    return asked


def _filters(asked: MetricPlan) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.dimension, tuple(f.values)) for f in asked.query.filters}


@pytest.mark.parametrize(
    ("project", "question", "metric", "dimension", "value"),
    [
        ("retail", "What share of last year's net sales came from never-out-of-stock (NOS) articles?",
         "net_sales", "product__season", None),
        ("retail", "Wie viel Umsatz haben wir 2025 mit never out of stock (NOS) Artikeln gemacht?",
         "net_sales", "product__season", "NOS"),
        ("retail", "net sales of NOS (never out of stock) products last year",
         "net_sales", "product__season", "NOS"),
        ("retail", "units sold of never-out-of-stock (NOS) items by category this year",
         "units_sold", "product__season", "NOS"),
        ("logistics", "How many shipments went on same-depot (LOCAL) lanes last month?",
         "shipments", "lane__lane_type", "LOCAL"),
        ("hospitality", "Wie viele Buchungen kamen 2025 über Trade (travel agents and wholesalers)?",
         "bookings", "reservation__channel_group", "Trade"),
    ],
)  # fmt: skip
def test_a_gloss_the_catalog_gives_a_value_says_the_value_again(
    catalogs: dict[str, Catalog], project: str, question: str, metric: str, dimension: str, value: str | None
) -> None:
    asked = _ask(catalogs, project, question)
    assert asked.query.metrics == (metric,)
    if value is None:  # the share of the part: every part's rows, the part named in the answer
        assert dimension in asked.query.group_by
    else:
        assert (dimension, (value,)) in _filters(asked)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("How many weeks will our current lighting stock last at the recent selling pace?", "Lighting"),
        ("How many weeks will the Ski stock last at the present selling pace?", "Ski"),
        ("how many weeks will our stock last at the recent selling pace, by category", None),
    ],
)
def test_a_recent_pace_is_the_current_pace_of_the_description(
    catalogs: dict[str, Catalog], question: str, value: str | None
) -> None:
    asked = _ask(catalogs, "retail", question)
    assert asked.query.metrics == ("weeks_of_supply",)
    if value is not None:
        assert ("product__category", (value,)) in _filters(asked)


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele Wochen reicht der Bestand bei der aktuellen Verkaufsgeschwindigkeit?",
        "Wie viele Wochen reicht der Lighting-Bestand beim momentanen Verkaufstempo?",
        "Wie viele Wochen reicht der Bestand an Laufschuhen beim derzeitigen Tempo?",
    ],
)
def test_german_pace_words_read_as_the_weeks_of_supply(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _ask(catalogs, "retail", question)
    assert "weeks_of_supply" in asked.query.metrics


@pytest.mark.parametrize(
    "question",
    [
        "Wie viel Umsatz und wie viele Teile haben unsere bayerischen Filialen im Oktober zusammen gemacht?",
        "How much revenue and how many pieces did our Bayern stores do in October?",
        "How much revenue and how many units did the Bayern stores make together in October?",
    ],
)
def test_how_many_pieces_has_its_figure_and_the_value_narrows_both(
    catalogs: dict[str, Catalog], question: str
) -> None:
    asked = _ask(catalogs, "retail", question)
    assert set(asked.query.metrics) == {"net_sales", "units_sold"}
    assert ("store__region", ("Bayern",)) in _filters(asked)
