"""Classes of the fifth logistics held-out dev half (session 31), each with phrasings of our own on
the real catalogs (parsed with dbt, no warehouse):

- **'X per <entity word>'**: 'weight per consignment' divides the sum by the count of the entity the
  word names (the noun its description defines it as), as 'weight per shipment' did; a word naming
  several counts alike ('per reservation': bookings, arrivals, no-shows …) stays a question.
- **One end named after a sorting verb**: 'rank them from lowest OTD', 'starting with the biggest',
  'beginnend mit der schwächsten' order every row from that end ('ranked from lowest' was read
  as largest first).
- **A German question without German function words** ('Durchschnittliche Laufzeit in Tagen:
  Express gegen Standard') is read as German: its words are translated.
- **'<entity> … how many and what revenue?'**: the count and the one sum the general word names (not
  the ratios built on it), both answered; several sums alike stay a question."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {
        "store__store_name": ("Nordwind Hamburg", "Nordwind München", "Nordwind Online-Shop"),
        "sale_line__channel": ("online", "store"),
    },
    "logistics": {
        "lane__origin_depot__depot_name": ("Bremen Hemelingen", "Hamburg Billbrook"),
        "shipment__service_code": ("EXPRESS", "STANDARD", "ECONOMY"),
        "shipment__booking_channel": ("EDI", "API", "PORTAL", "COUNTER"),
    },
    "hospitality": {"property__region": ("Tirol", "Lisboa")},
}


def _ask(catalogs: dict[str, Catalog], project: str, question: str) -> MetricPlan:
    asked: Plan = plan(catalogs[project], question, VALUES.get(project))
    assert isinstance(asked, MetricPlan), asked
    return asked


@pytest.mark.parametrize(
    ("question", "numerator"),
    [
        ("Average weight per consignment by booking channel in 2025?", "shipped_weight_kg"),
        ("weight per consignment by booking channel last year", "shipped_weight_kg"),
        ("pieces per consignment by booking channel", "pieces_shipped"),
        ("Durchschnittliches Gewicht pro Sendung nach Buchungskanal 2025", "shipped_weight_kg"),
    ],
)
def test_a_sum_per_an_entity_word_is_divided_by_its_count(
    catalogs: dict[str, Catalog], question: str, numerator: str
) -> None:
    asked = _ask(catalogs, "logistics", question)
    assert asked.derived is not None, asked.understood
    assert (asked.derived.numerator, asked.derived.denominator) == (numerator, "shipments")
    assert "average_transit_days" not in asked.query.metrics


def test_an_entity_word_with_several_counts_alike_is_no_guess(catalogs: dict[str, Catalog]) -> None:
    asked = plan(catalogs["hospitality"], "F&B revenue per reservation by channel last month")
    assert not (isinstance(asked, MetricPlan) and asked.derived is not None)


@pytest.mark.parametrize(
    ("project", "question", "descending"),
    [
        ("logistics", "On-time delivery rate by origin depot in Q3 2026, ranked from lowest", False),
        (
            "logistics",
            "Which collecting depots had the worst on-time performance in Q3 2026? "
            "Rank them from lowest OTD.",
            False,
        ),
        ("logistics", "Freight revenue by service last quarter, starting with the biggest", True),
        ("retail", "Net sales by store last month, sorted from the lowest", False),
        ("retail", "Umsatz je Filiale letzten Monat, beginnend mit der schwächsten", False),
        ("retail", "Umsatz je Filiale letzten Monat, sortiert vom höchsten", True),
    ],
)
def test_one_end_named_after_a_sorting_verb_orders_every_row(
    catalogs: dict[str, Catalog], project: str, question: str, descending: bool
) -> None:
    asked = _ask(catalogs, project, question)
    assert asked.query.order_by and asked.query.order_by[0].descending is descending, asked.understood
    assert asked.query.limit is None or asked.query.limit > 100


@pytest.mark.parametrize(
    ("question", "services"),
    [
        (
            "Durchschnittliche Laufzeit in Tagen: Express gegen Standard, September 2026.",
            {"EXPRESS", "STANDARD"},
        ),
        ("Laufzeit Express gegen Economy im Q3 2026", {"EXPRESS", "ECONOMY"}),
        ("Durchschnittliche Laufzeit: Standard gegen Economy, 2025", {"STANDARD", "ECONOMY"}),
    ],
)
def test_a_german_question_without_function_words_is_translated(
    catalogs: dict[str, Catalog], question: str, services: set[str]
) -> None:
    asked = _ask(catalogs, "logistics", question)
    assert asked.query.metrics == ("average_transit_days",)
    assert "shipment__service_code" in asked.query.group_by
    said = {str(v) for f in asked.query.filters for v in f.values}
    assert services <= said, asked.query.filters


@pytest.mark.parametrize(
    ("project", "question", "metrics"),
    [
        (
            "logistics",
            "Consignments last quarter — how many and what revenue?",
            ("shipments", "freight_revenue"),
        ),
        (
            "logistics",
            "Shipments last quarter — how many and what revenue?",
            ("shipments", "freight_revenue"),
        ),
        (
            "logistics",
            "Express consignments in September: how many, and how much revenue?",
            ("shipments", "freight_revenue"),
        ),
        (
            "logistics",
            "Sendungen im letzten Quartal – wie viele und welcher Umsatz?",
            ("shipments", "freight_revenue"),
        ),
        (
            "hospitality",
            "Bookings last month — how many and what room revenue?",
            ("bookings", "room_revenue"),
        ),
    ],
)
def test_how_many_and_what_revenue_answers_both(
    catalogs: dict[str, Catalog], project: str, question: str, metrics: tuple[str, ...]
) -> None:
    asked = _ask(catalogs, project, question)
    assert asked.query.metrics == metrics, asked.understood


def test_how_many_and_a_word_of_several_sums_is_asked(catalogs: dict[str, Catalog]) -> None:
    asked = plan(catalogs["hospitality"], "Bookings last month — how many and what revenue?")
    assert isinstance(asked, ClarificationPlan)


# - **The period said again** ('that month', 'in jenem Monat') after the period read is that period.
# - **'per thousand'**, 'pro tausend' is the label's 'per 1000'.
# - **'what's driving them?'** closing a question is answered by its breakdown; with none it is asked.


@pytest.mark.parametrize(
    "question",
    [
        "How many consignments did we ship in September 2026, and what was the on-time rate that month?",
        "Freight revenue in September 2026 and the on-time rate in that month",
        "Wie viele Sendungen hatten wir im September 2026 und wie hoch war die Pünktlichkeit in jenem Monat?",
    ],
)
def test_the_period_said_again_is_that_period(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _ask(catalogs, "logistics", question)
    assert "on_time_delivery_rate" in asked.query.metrics
    assert (asked.query.time_range.start.isoformat(), asked.query.time_range.end.isoformat()) == (
        "2026-09-01",
        "2026-09-30",
    )


@pytest.mark.parametrize(
    "question",
    [
        "Claims per thousand shipments, month by month for Q3 2026.",
        "Wie viele Reklamationen pro tausend Sendungen hatten wir im Q3 2026?",
        "claims per a thousand shipments by service in 2025",
    ],
)
def test_per_thousand_is_the_labels_number(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _ask(catalogs, "logistics", question)
    assert asked.query.metrics == ("claims_per_1000_shipments",)


@pytest.mark.parametrize(
    ("project", "question", "group"),
    [
        (
            "logistics",
            "Failed delivery attempts last week by reason — what's driving them?",
            "attempt_outcome",
        ),
        (
            "logistics",
            "Fehlgeschlagene Zustellversuche letzte Woche je Grund: woran liegt das?",
            "attempt_outcome",
        ),
        ("hospitality", "Cancelled bookings by booking channel last month — what's driving them?", "channel"),
        ("retail", "Returns by category last month: what is behind that?", "category"),
    ],
)
def test_what_is_driving_them_is_answered_by_the_breakdown(
    catalogs: dict[str, Catalog], project: str, question: str, group: str
) -> None:
    asked = _ask(catalogs, project, question)
    assert any(g.endswith(group) for g in asked.query.group_by), asked.query.group_by


def test_what_is_driving_them_without_a_breakdown_is_asked(catalogs: dict[str, Catalog]) -> None:
    asked = plan(catalogs["logistics"], "Failed delivery attempts last week — what's driving them?")
    assert isinstance(asked, ClarificationPlan)
