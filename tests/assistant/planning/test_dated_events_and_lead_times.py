"""Hospitality classes of session 30, end to end on the non-retail fixtures through the CLI:

- **A period said of the event a date dimension dates** ('reservations for November arrivals',
  'guests arriving this year', 'shipments for deliveries in September'): the period is on that date
  (read from the date dimension's label: 'Arrival date', 'Delivery date'), as when the date is named
  in full. 'How many reservations for arrivals in November' was the Arrivals figure (the checked-in
  ones, by arrival date), now the bookings with an arrival in November. A figure dated by that date
  itself ('average length of stay … guests arriving this year') keeps its own period and is not
  broken down by it. 'How many arrivals in November' stays the Arrivals figure.
- **'How many reservations'** is the count of every reservation (the unfiltered COUNT the catalog
  holds: Bookings), not the first count over reservations by name.
- **Lead time** ('how far in advance do guests book', 'Wie lange im Voraus wird gebucht'): the one
  figure whose description measures the days between the event the verb names and another
  ('Days between booking and arrival').
"""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, filters_of, metrics_of, query


def _period_on(answer: dict[str, object], dimension: str) -> tuple[str, ...]:
    found = [f for f in filters_of(answer) if f["dimension"] == dimension and f["operator"] == "between"]
    assert len(found) == 1, answer
    values = found[0]["values"]
    assert isinstance(values, list)
    return tuple(str(v) for v in values)


@pytest.mark.parametrize(
    "question",
    [
        "How many reservations for arrivals in November 2026?",
        "How many reservations are there for November 2026 arrivals?",
        "Wie viele Buchungen für Anreisen im November 2026?",
        "How many reservations for arrival dates in November 2026?",
    ],
)
def test_a_period_of_the_event_is_on_its_date(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["bookings"]
    assert _period_on(answer, "reservation__arrival_date") == ("2026-11-01", "2026-11-30")
    time_range = query(answer)["time_range"]
    assert isinstance(time_range, dict) and time_range["start"] is None


@pytest.mark.parametrize(
    "question",
    [
        "average length of stay by loyalty tier for guests arriving this year",
        "avg length of stay per loyalty tier of guests arriving this year",
        "average length of stay by loyalty tier for arrival dates this year",
    ],
)
def test_the_figures_own_date_keeps_its_period_without_a_breakdown(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    q = query(answer)
    assert q["metrics"] == ["average_length_of_stay"]
    assert q["group_by"] == ["guest__loyalty_tier"]
    assert q["time_range"] == {"start": "2026-01-01", "end": "2026-10-31"}


@pytest.mark.parametrize(
    "question",
    [
        "How many arrivals in November 2026?",
        "Arrivals in November 2026",
    ],
)
def test_the_event_alone_is_still_its_figure(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["arrivals"]
    assert query(answer)["time_range"] == {"start": "2026-11-01", "end": "2026-11-30"}


@pytest.mark.parametrize(
    "question",
    [
        "How many shipments for deliveries in September 2026?",
        "freight revenue of consignments for deliveries in September 2026",
    ],
)
def test_a_delivery_period_is_on_the_delivery_date(freight: Project, question: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert _period_on(answer, "shipment__delivered_date") == ("2026-09-01", "2026-09-30")


@pytest.mark.parametrize(
    ("question", "segment"),
    [
        ("How far in advance do guests book on average in 2025?", None),
        ("how far ahead did guests book in 2025, by booking channel?", None),
        ("Wie lange im Voraus wurde 2025 im Schnitt gebucht?", None),
        ("Wie viele Tage im Voraus buchen Gäste aus dem Segment Corporate 2025 im Schnitt?", "Corporate"),
    ],
)
def test_how_far_in_advance_is_the_booking_window(
    hotels: Project, question: str, segment: str | None
) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    q = query(answer)
    assert q["metrics"] == ["average_booking_window"]
    assert q["time_range"] == {"start": "2025-01-01", "end": "2025-12-31"}
    values = [v for f in filters_of(answer) for v in f["values"]]  # type: ignore[union-attr]
    assert values == ([segment] if segment else [])


@pytest.mark.parametrize(
    ("question", "by"),
    [
        ("Which 5 countries had the most guests in 2025?", "guest__country"),
        ("Aus welchen 5 Ländern kamen 2025 die meisten Gäste?", "guest__country"),
        ("Which hotel had the most guests in 2025?", "property__property_name"),
        ("Welches Hotel hatte 2025 die meisten Gäste?", "property__property_name"),
    ],
)
def test_the_most_guests_is_the_distinct_count_named_like_them(
    hotels: Project, question: str, by: str
) -> None:
    """'the most guests', 'die meisten Gäste': the one distinct count whose label is the entity's
    name with 'unique' ('Unique guests'), ranked; 'how many guests' alone is still asked (the
    arrivals or the people?)."""
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    q = query(answer)
    assert q["metrics"] == ["unique_guests"]
    assert q["group_by"] == [by]
    assert q["time_range"] == {"start": "2025-01-01", "end": "2025-12-31"}


def test_how_many_guests_alone_is_still_asked(hotels: Project) -> None:
    assert hotels.ask("How many guests did we have in 2025?")["kind"] == "clarification"


@pytest.mark.parametrize(
    ("question", "dimension", "value"),
    [
        ("How much did the spa make in 2025?", "folio_line__department", "Spa"),
        ("Wie viel hat der Spa 2025 umgesetzt?", "folio_line__department", "Spa"),
        ("How much did the wine bar in Porto make in 2025?", "folio_line__outlet", "WINE_BAR"),
    ],
)
def test_how_much_did_a_value_make_with_no_headline_money_figure(
    hotels: Project, question: str, dimension: str, value: str
) -> None:
    """'How much did the spa make' in a project with no default or money-role figure: the money word
    its figures' labels end in ('revenue'), read as that word is — the one revenue reaching the value."""
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["ancillary_revenue"]
    assert any(f["dimension"] == dimension and f["values"] == [value] for f in filters_of(answer))


def test_how_much_did_we_make_is_asked_where_several_revenues_fit(hotels: Project) -> None:
    assert hotels.ask("How much did we make in 2025?")["kind"] == "clarification"


def test_how_much_did_we_make_is_the_one_revenue_sum(freight: Project) -> None:
    answer = freight.ask("How much did we make in September 2026?")
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["freight_revenue"]


@pytest.mark.parametrize(
    "question",
    [
        "room revenue for arrivals in August 2026",
        "ADR for guests arriving in August 2026",
        "Zimmerumsatz für Anreisen im August 2026",
    ],
)
def test_a_figure_of_another_fact_is_not_re_dated_by_the_event(hotels: Project, question: str) -> None:
    """The nights' revenue is dated by the stay: an arrival said beside it does not move its period onto
    the bookings' arrival date through a join (that reading gave a wrong number on a held-out half)."""
    answer = hotels.ask(question)
    if answer["kind"] == "data":
        assert not [f for f in filters_of(answer) if f["dimension"] == "reservation__arrival_date"], answer


@pytest.mark.parametrize(
    "question",
    [
        "average length of stay per loyalty tier and arrival date this year",
        "average length of stay by loyalty tier, arrival date in 2025",
    ],
)
def test_the_figures_own_date_listed_as_a_breakdown_stays_one(hotels: Project, question: str) -> None:
    """'per loyalty tier and arrival date': the date listed after 'per' is a breakdown too, not only
    the date the period is on."""
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    group_by = query(answer)["group_by"]
    assert isinstance(group_by, list) and "guest__loyalty_tier" in group_by and len(group_by) == 2, group_by
