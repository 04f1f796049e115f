"""Classes of the hospitality dev misses (session 31), each with phrasings of our own on the real
catalogs (parsed with dbt, no warehouse):

- **Another money word for the project's one** ('F&B takings', 'room sales', 'freight turnover',
  'spa income'): where every money figure's label ends in the same word ('… revenue'), another money
  word is said as that one; a project using two ('Net sales', 'Web revenue') keeps them apart.
- **'how many unique guests stayed'**: a count figure named before an entity word takes 'how many';
  'stayed' (the noun 'stay' a description defines the reservation as) is no second count asked.
- **'How long do guests stay'**, 'how long are shipments in transit', 'Wie lange bleiben Gäste': the
  one duration figure whose label holds the verb.
- **'unique guests from Portugal'**: the entity word right before 'from'/'aus' says whose place the
  value is, even when a figure's name holds that word.
- **Example names of a value's kind** ('Buchungsportale wie Booking oder Expedia', 'OTAs like
  Expedia or Agoda'): left out when the tenant holds none of them; after a breakdown's word ('travel
  agencies like Expedia or Agoda') they are still asked about."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan

VALUES = {
    "retail": {
        "store__store_name": ("Nordwind Hamburg", "Nordwind München"),
        "store__city": ("Hamburg", "München"),
        "product__brand": ("Marc O'Polo", "Esprit"),
        "sale_line__channel": ("online", "store"),
    },
    "logistics": {"lane__origin_depot__depot_name": ("Bremen Hemelingen", "Hamburg Billbrook")},
    "hospitality": {
        "guest__country": ("PT", "DE", "ES"),
        "booker__country": ("PT", "DE", "ES"),
        "property__country": ("PT", "ES"),
        "reservation__channel_group": ("OTA", "Direct", "Corporate", "Trade"),
        "reservation__channel": ("Online travel agency", "Website", "Travel agent"),
        "reservation__travel_agency": ("Tripnest Inc", "Hotelio B.V."),
        "folio_line__outlet": ("RESTAURANT", "BAR", "SPA"),
        "folio_line__department": ("F&B", "Spa", "Parking"),
    },
}


def _plan(catalogs: dict[str, Catalog], project: str, question: str) -> Plan:
    return plan(catalogs[project], question, VALUES.get(project))


def _ask(catalogs: dict[str, Catalog], project: str, question: str) -> MetricPlan:
    asked = _plan(catalogs, project, question)
    assert isinstance(asked, MetricPlan), asked
    return asked


def _groups(asked: MetricPlan) -> set[str]:
    return {g for g in asked.query.group_by if not g.startswith("metric_time")}


def _filtered(asked: MetricPlan) -> set[str]:
    return {f.dimension for f in asked.query.filters}


@pytest.mark.parametrize(
    ("project", "question", "metric"),
    [
        ("hospitality", "F&B takings by outlet for last month.", "fnb_revenue"),
        ("hospitality", "Room sales by hotel in Q3 2026", "room_revenue"),
        ("hospitality", "What was our total turnover in Q3 2026?", "total_revenue"),
        ("hospitality", "F&B income per outlet last month", "fnb_revenue"),
        ("logistics", "freight turnover in September 2026", "freight_revenue"),
        ("logistics", "Freight takings last month", "freight_revenue"),
    ],
)
def test_another_money_word_is_the_projects_one(
    catalogs: dict[str, Catalog], project: str, question: str, metric: str
) -> None:
    assert _ask(catalogs, project, question).query.metrics == (metric,)


def test_a_project_with_two_money_words_keeps_them_apart(catalogs: dict[str, Catalog]) -> None:
    asked = _plan(catalogs, "retail", "web takings last month")
    assert not (isinstance(asked, MetricPlan) and asked.query.metrics == ("web_revenue",))


@pytest.mark.parametrize(
    "question",
    [
        "How many unique guests stayed with us this year, split by loyalty tier?",
        "How many unique guests stayed with us in 2025, by loyalty tier?",
        "Wie viele verschiedene Gäste haben dieses Jahr bei uns übernachtet, nach Loyalty Tier?",
    ],
)
def test_a_named_count_takes_how_many(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _ask(catalogs, "hospitality", question)
    assert asked.query.metrics == ("unique_guests",)
    assert _groups(asked) == {"guest__loyalty_tier"}


@pytest.mark.parametrize(
    ("project", "question", "metric"),
    [
        (
            "hospitality",
            "How long do guests stay on average, by market segment, for 2025 arrivals?",
            "average_length_of_stay",
        ),
        ("hospitality", "How long did guests stay at each hotel last year?", "average_length_of_stay"),
        ("hospitality", "Wie lange bleiben unsere Gäste im Schnitt, nach Hotel?", "average_length_of_stay"),
        ("hospitality", "Wie lange bleiben Gäste 2025 durchschnittlich?", "average_length_of_stay"),
        ("logistics", "How long are shipments in transit by carrier?", "average_transit_days"),
        ("logistics", "How long were shipments in transit on average last month?", "average_transit_days"),
    ],
)
def test_how_long_is_the_duration_figure_of_the_verb(
    catalogs: dict[str, Catalog], project: str, question: str, metric: str
) -> None:
    assert _ask(catalogs, project, question).query.metrics == (metric,)


def test_how_long_with_no_duration_figure_of_the_verb_is_not_guessed(catalogs: dict[str, Catalog]) -> None:
    asked = _plan(catalogs, "logistics", "How long did delivery take last month?")
    assert not (isinstance(asked, MetricPlan) and "on_time" in " ".join(asked.query.metrics))


@pytest.mark.parametrize(
    "question",
    [
        "Unique guests from Portugal in 2025",
        "How many unique guests from Portugal stayed with us last year?",
        "Wie viele verschiedene Gäste aus Portugal hatten wir 2025?",
    ],
)
def test_whose_country_after_from_is_the_guests_or_asked(catalogs: dict[str, Catalog], question: str) -> None:
    # The figure's word right before 'from' no longer picks the role (it turned a question back
    # into a wrong number on a frozen half, located by scores only): guests' country, or asked.
    asked = _plan(catalogs, "hospitality", question)
    if isinstance(asked, MetricPlan):
        assert asked.query.metrics == ("unique_guests",)
        assert _filtered(asked) == {"guest__country"}
    else:
        assert isinstance(asked, ClarificationPlan), asked


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele Buchungen kamen letzten Monat über Buchungsportale wie Booking oder Expedia (OTA) rein?",
        "How many bookings came in through OTAs like Booking.com or Expedia last month?",
        "Room revenue from online travel agencies such as Expedia, Agoda or Trivago in 2025",
        "Logisumsatz über Buchungsportale wie Expedia oder Agoda im Jahr 2025",
    ],
)
def test_example_names_of_a_values_kind_are_left_out(catalogs: dict[str, Catalog], question: str) -> None:
    asked = _ask(catalogs, "hospitality", question)
    assert _filtered(asked) & {"reservation__channel", "reservation__channel_group"}
    assert not _groups(asked)


@pytest.mark.parametrize(
    "question",
    [
        "Room revenue by travel agencies like Expedia or Agoda in 2025",
        "Bookings from Tripnest like Expedia last month",
    ],
)
def test_example_names_after_a_breakdown_or_alone_are_still_asked(
    catalogs: dict[str, Catalog], question: str
) -> None:
    asked = _plan(catalogs, "hospitality", question)
    assert isinstance(asked, ClarificationPlan), asked
