"""Recall classes of the logistics dev halves (session 32), each with phrasings of our own (English
and German) on the real catalogs (parsed with dbt, no warehouse), and a second project where the
class applies:

- **'which carrier carried the most consignments'**: the word after 'the most' names what is counted
  (a consignment is how the shipment's description defines it), the entity before it is ranked; the
  verb before 'the most' ('carried', 'ran') names no figure unless it is a word of one ('returned').
- **A receiving word** ('recipients', 'receivers') is the catalog's one receiving entity ('consignee'),
  as 'Empfänger' is; a catalog with a figure named so ('E-mail recipients') keeps its figure.
- **An attribute defined as a noun** ('Product booked.' of Service) is named by that noun ('by
  product', 'je Produkt'); where nothing is a product, 'by product' is asked (it was dropped).
- **'<noun> <label head>'** ('customer segment', 'Kundensegment'): the one attribute whose two-word
  label ends so and whose description says the noun in the plural.
- **'total and of those failed'**, 'gesamt und davon gescheitert': the figure and its part named by
  the word, both.
- **'how many were filed and how much did we pay out'**: two asks, each its figure.
- **'… and what amount?'**, 'und um welche Summe geht es?' beside a count with no amount figure in
  the plan is asked (the amount word names no figure of its own)."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "logistics": {
        "claim__claim_status": ("OPEN", "PAID", "REJECTED"),
        "claim__claim_type": ("DAMAGE", "LOSS", "SHORTAGE", "DELAY"),
        "shipment__service_code": ("EXPRESS", "STANDARD", "ECONOMY"),
        "consignee__country_code": ("PL", "DE", "NL"),
        "shipper__country_code": ("PL", "DE", "NL"),
        "shipper__account_segment": ("KEY_ACCOUNT", "CONTRACT", "CASH"),
        "consignee__account_segment": ("PRIVATE", "KEY_ACCOUNT", "CONTRACT", "CASH"),
        "carrier__account_segment": ("SUBCONTRACTOR",),
        "lane__lane_type": ("LOCAL", "DOMESTIC", "CROSS_BORDER"),
    },
    "hospitality": {"property__region": ("Tirol", "Lisboa")},
    "retail": {"store__store_name": ("Nordwind Hamburg", "Nordwind München")},
}


def _ask(catalogs: dict[str, Catalog], project: str, question: str) -> Plan:
    return plan(catalogs[project], question, VALUES.get(project))


def _answered(catalogs: dict[str, Catalog], project: str, question: str) -> MetricPlan:
    asked = _ask(catalogs, project, question)
    assert isinstance(asked, MetricPlan), asked
    return asked


@pytest.mark.parametrize(
    "question",
    [
        "Which subcontractor carried the most consignments for us this year?",
        "Which carrier carried the most consignments this year?",
        "Which three carriers ran the most consignments for us in Q3 2026?",
        "Which carrier had the most consignments last month?",
    ],
)
def test_the_word_after_the_most_is_what_is_counted(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _answered(catalogs, "logistics", question)
    assert asked.query.metrics == ("shipments",)
    assert asked.query.group_by == ("carrier__party_name",)


def test_a_verb_naming_a_figure_keeps_it(catalogs: dict[str, Catalog]) -> None:
    asked = _answered(catalogs, "logistics", "Which shipper returned the most consignments this year?")
    assert asked.query.metrics == ("returns_to_sender",)


def test_the_most_of_an_entity_counted_in_another_project(catalogs: dict[str, Catalog]) -> None:
    asked = _answered(catalogs, "hospitality", "Welches Hotel hatte letzten Monat die meisten Buchungen?")
    assert asked.query.metrics == ("bookings",)


@pytest.mark.parametrize(
    "question",
    [
        "Shipments to recipients in Poland last quarter",
        "Consignments we shipped to recipients in Poland last quarter — how many and what revenue?",
        "Sendungen an Empfänger in Polen im letzten Quartal",
    ],
)
def test_recipients_are_the_receiving_entity(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _answered(catalogs, "logistics", question)
    assert [(f.dimension, f.values) for f in asked.query.filters] == [("consignee__country_code", ("PL",))]
    assert "shipments" in asked.query.metrics


def test_a_figure_named_for_recipients_keeps_them(catalogs: dict[str, Catalog]) -> None:
    asked = _answered(catalogs, "retail", "How many e-mail recipients did we have last month?")
    assert asked.query.metrics == ("email_recipients",)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("Shipments by product last month", "shipments"),
        ("Freight revenue per product in Q3 2026", "freight_revenue"),
        ("Gefahrgutsendungen 2026 bisher – wie viele je Produkt (Express, Standard, Economy)?", "shipments"),
        ("Sendungen nach Produkt im September 2026", "shipments"),
    ],
)
def test_an_attribute_defined_as_a_noun_is_named_by_it(
    catalogs: dict[str, Catalog], question: str, metric: str
) -> None:
    asked = _answered(catalogs, "logistics", question)
    assert asked.query.metrics == (metric,)
    assert asked.query.group_by == ("shipment__service_code",)


@pytest.mark.parametrize(
    "question",
    ["Bookings by product last month", "Buchungen nach Produkt letzten Monat", "Room revenue by item"],
)
def test_by_product_where_nothing_is_one_is_asked(catalogs: dict[str, Catalog], question: str) -> None:
    assert isinstance(_ask(catalogs, "hospitality", question), ClarificationPlan)


def test_by_product_in_a_project_of_products_is_the_product(catalogs: dict[str, Catalog]) -> None:
    asked = _answered(catalogs, "retail", "Net sales by product last month")
    assert asked.query.group_by == ("product__product_name",)


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele aktive Versender hatten wir im Oktober 2026, aufgeteilt nach Kundensegment?",
        "active shippers by customer segment in October 2026",
        "Aktive Versender je Kundensegment im Oktober 2026",
    ],
)
def test_a_noun_the_description_says_names_the_attribute(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _answered(catalogs, "logistics", question)
    assert asked.query.metrics == ("active_shippers",)
    assert asked.query.group_by == ("shipper__account_segment",)


def test_a_customer_segment_of_several_roles_is_asked(catalogs: dict[str, Catalog]) -> None:
    asked = _ask(catalogs, "logistics", "Shipments by customer segment last month")
    assert isinstance(asked, ClarificationPlan)


@pytest.mark.parametrize(
    ("project", "question", "metrics"),
    [
        (
            "logistics",
            "Zustellversuche im September 2026 insgesamt und davon gescheitert",
            ("delivery_attempts", "failed_delivery_attempts"),
        ),
        (
            "logistics",
            "Delivery attempts by depot in September 2026: total and of those failed",
            ("delivery_attempts", "failed_delivery_attempts"),
        ),
        (
            "hospitality",
            "Bookings last month: total and of those cancelled",
            ("bookings", "cancelled_bookings"),
        ),
        (
            "hospitality",
            "Buchungen letzten Monat: gesamt und davon storniert",
            ("bookings", "cancelled_bookings"),
        ),
    ],
)
def test_total_and_of_those(
    catalogs: dict[str, Catalog], project: str, question: str, metrics: tuple[str, ...]
) -> None:
    assert _answered(catalogs, project, question).query.metrics == metrics


@pytest.mark.parametrize(
    "question",
    [
        "Claims in 2025: how many were filed and how much did we pay out?",
        "How many claims were filed last quarter and how much did we pay out?",
    ],
)
def test_two_asks_each_with_its_figure(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _answered(catalogs, "logistics", question)
    assert asked.query.metrics == ("claims_filed", "claims_paid_amount")


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele Reklamationen sind noch offen?",
        "Wie viele offene Reklamationen gibt es?",
        "How many claims are still open?",
    ],
)
def test_open_claims(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _answered(catalogs, "logistics", question)
    assert asked.query.metrics == ("claims_filed",)
    assert [(f.dimension, f.values) for f in asked.query.filters] == [("claim__claim_status", ("OPEN",))]


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("logistics", "Wie viele Reklamationen sind aktuell noch offen und um welche Summe geht es?"),
        ("logistics", "Wie viele Reklamationen sind noch offen und welcher Betrag?"),
        ("logistics", "How many claims are still open and what is the total amount?"),
        ("hospitality", "How many bookings did we have last month and what amount?"),
    ],
)
def test_an_amount_asked_beside_a_count_is_not_dropped(
    catalogs: dict[str, Catalog], project: str, question: str
) -> None:
    assert isinstance(_ask(catalogs, project, question), ClarificationPlan)


def test_a_distance_band_in_german(catalogs: dict[str, Catalog]) -> None:
    asked = _answered(catalogs, "logistics", "Erlös pro Kilo nach Entfernungsband für das Jahr 2025.")
    assert asked.query.metrics == ("revenue_per_kg",)
    assert asked.query.group_by == ("lane__distance_band",)


@pytest.mark.parametrize(
    ("project", "question", "metrics", "group_by"),
    [
        ("logistics", "Claims filed by type in 2025", ("claims_filed",), "claim__claim_type"),
        (
            "logistics",
            "Wie viele Reklamationen gab es 2025 nach Art?",
            ("claims_filed",),
            "claim__claim_type",
        ),
        (
            "logistics",
            "Claims this year by type: how many were filed and how much have we actually paid out?",
            ("claims_filed", "claims_paid_amount"),
            "claim__claim_type",
        ),
        ("hospitality", "Room revenue by type last month", ("room_revenue",), "room__room_type"),
        ("hospitality", "Zimmerumsatz nach Typ letzten Monat", ("room_revenue",), "room__room_type"),
    ],
)
def test_by_type_is_the_type_of_what_the_question_names(
    catalogs: dict[str, Catalog], project: str, question: str, metrics: tuple[str, ...], group_by: str
) -> None:
    asked = _answered(catalogs, project, question)
    assert asked.query.metrics == metrics
    assert asked.query.group_by == (group_by,)


@pytest.mark.parametrize(
    ("project", "question"),
    [("logistics", "Shipments by type last month"), ("hospitality", "Bookings by type last month")],
)
def test_by_type_of_nothing_named_is_asked(catalogs: dict[str, Catalog], project: str, question: str) -> None:
    assert isinstance(_ask(catalogs, project, question), ClarificationPlan)
