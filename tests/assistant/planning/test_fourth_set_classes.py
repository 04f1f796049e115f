"""Classes of the fourth retail held-out dev half (issue #17, session 29), each with phrasings of
our own on retail and a non-retail fixture's real catalog (parsed with dbt, no warehouse):

- **Clipped words of a figure's name**: 'conv rate', 'freight rev', 'canc bookings', 'failed deliv
  attempts' — completed when one figure's words fit beside the word next to it.
- **German adjectives of a place**: 'die bayerischen Filialen', 'die Hamburger Filiale', 'die
  Tiroler Hotels', 'das Hamburger Abgangsdepot' — the place value.
- **A value said to be included is no filter**: 'Onlineshop mitgezählt', 'online shop included',
  'including Halden House Porto Flores' — the whole, every row.
- **Verbs that say nothing about the figure**: 'how did … look / develop', 'Rabatt gewährt',
  'discount granted' (and 'look' is no part of a value's name: 'Oktoberfest-Looks').
- **'wie viele Teile'**: a German unit word, capitalised as every German noun, asks the units —
  never the figure a synonym of it divides ('Teile pro Bon', units per receipt)."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {
        "store__store_name": ("Nordwind Hamburg", "Nordwind München", "Nordwind Online-Shop"),
        "store__city": ("Hamburg", "München"),
        "store__region": ("Bayern", "Hamburg"),
        "sale_line__channel": ("online", "store"),
        "campaign__campaign_name": ("Oktoberfest-Looks",),
        "web_traffic__device_category": ("desktop", "mobile"),
    },
    "logistics": {"lane__origin_depot__depot_name": ("Bremen Hemelingen", "Hamburg Billbrook")},
    "hospitality": {
        "property__region": ("Tirol", "Lisboa"),
        "property__property_name": ("Halden House Porto Flores", "Halden House Lisboa Ribeira"),
    },
}


def _ask(catalogs: dict[str, Catalog], project: str, question: str) -> Plan:
    return plan(catalogs[project], question, VALUES.get(project))


def _filters(asked: Plan) -> list[tuple[str, tuple[object, ...]]]:
    assert isinstance(asked, MetricPlan), asked
    return [(f.dimension, f.values) for f in asked.query.filters if f.operator != "is not null"]


@pytest.mark.parametrize(
    ("project", "question", "metric"),
    [
        ("retail", "conv rate by device last month", "web_conversion_rate"),
        ("retail", "Conv-Rate nach Gerät im Oktober", "web_conversion_rate"),
        ("logistics", "freight rev last month", "freight_revenue"),
        ("logistics", "failed deliv attempts in September", "failed_delivery_attempts"),
        ("hospitality", "canc bookings last month", "cancelled_bookings"),
        ("hospitality", "room rev by hotel in September", "room_revenue"),
    ],
)
def test_a_clipped_word_of_a_figures_name_is_that_word(
    catalogs: dict[str, Catalog], project: str, question: str, metric: str
) -> None:
    asked = _ask(catalogs, project, question)
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.metrics == (metric,)


@pytest.mark.parametrize(
    ("project", "question", "value"),
    [
        ("retail", "Umsatz der bayerischen Filialen im September", "Bayern"),
        ("retail", "Wie viel Umsatz machte die Hamburger Filiale letzten Monat?", "Nordwind Hamburg"),
        ("hospitality", "Logisumsatz der Tiroler Hotels im September", "Tirol"),
        (
            "logistics",
            "Wie viele Sendungen hatte das Hamburger Abgangsdepot letzte Woche?",
            "Hamburg Billbrook",
        ),
    ],
)
def test_a_german_adjective_of_a_place_is_the_place(
    catalogs: dict[str, Catalog], project: str, question: str, value: str
) -> None:
    assert [v for _, vs in _filters(_ask(catalogs, project, question)) for v in vs] == [value]


@pytest.mark.parametrize(
    ("project", "question", "by"),
    [
        ("retail", "Top 3 Filialen nach Umsatz im August, Onlineshop mitgezählt", "store__store_name"),
        ("retail", "which 3 stores sold the most last month, online shop included?", "store__store_name"),
        (
            "hospitality",
            "room revenue by hotel last month, including Halden House Porto Flores",
            "property__property_name",
        ),
    ],
)
def test_a_value_said_to_be_included_is_no_filter(
    catalogs: dict[str, Catalog], project: str, question: str, by: str
) -> None:
    asked = _ask(catalogs, project, question)
    assert _filters(asked) == []
    assert isinstance(asked, MetricPlan) and by in asked.query.group_by


def test_an_unknown_word_after_inklusive_is_still_asked(catalogs: dict[str, Catalog]) -> None:
    assert isinstance(
        _ask(catalogs, "retail", "Umsatz im August inklusive Mehrwertsteuer"), ClarificationPlan
    )


@pytest.mark.parametrize(
    ("project", "question", "metrics"),
    [
        ("retail", "How did net sales look last quarter?", ("net_sales",)),
        ("retail", "Wie viel Rabatt haben wir im August gewährt?", ("discount_amount",)),
        ("retail", "How much discount did we grant last month?", ("discount_amount",)),
        (
            "hospitality",
            "How did occupancy develop last quarter compared with the same quarter last year?",
            ("occupancy_rate",),
        ),
        ("hospitality", "How did room revenue look last month?", ("room_revenue",)),
    ],
)
def test_verbs_that_say_nothing_about_the_figure_are_read(
    catalogs: dict[str, Catalog], project: str, question: str, metrics: tuple[str, ...]
) -> None:
    asked = _ask(catalogs, project, question)
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.metrics == metrics and _filters(asked) == []


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele Teile haben wir im August verkauft und wie viel Umsatz war das?",
        "Umsatz und Teile im August",
    ],
)
def test_teile_are_the_units_not_the_units_per_receipt(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _ask(catalogs, "retail", question)
    assert isinstance(asked, MetricPlan), asked
    assert set(asked.query.metrics) == {"units_sold", "net_sales"}
