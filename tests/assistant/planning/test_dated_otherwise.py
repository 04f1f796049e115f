"""Periods said of an event the figure is not dated by (`offline/dated_otherwise.py`,
`assembly._month_a_year_behind`, `time_range.AHEAD`), end to end on the hospitality fixture.

- 'How many bookings were cancelled last month?': Cancelled bookings are 'dated by the booking date,
  not the cancellation date' — answered, they were last month's bookings cancelled since (104 where
  145 were cancelled last month). Asked, the figure as defined offered. 'bookings made in September
  that were cancelled' and 'cancelled bookings last month' (the figure by its name) are answered.
- 'cancelled bookings for arrivals in November' on 31 October: the arrival date of a booking may lie
  ahead; the bare month was read as November 2025. Asked which November.
- 'how many guests are arriving in December': said of what is still to come, December 2026 (was
  December 2025's arrivals); Arrivals count only check-ins, so it is asked.
"""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, metrics_of, query


@pytest.mark.parametrize(
    "question",
    [
        "how many bookings were cancelled last month",
        "Wie viele Reservierungen wurden letzten Monat storniert?",
        "Wie viele Buchungen wurden im September storniert?",
        "how many reservations got cancelled in September 2026",
    ],
)
def test_a_period_of_the_cancelling_is_asked(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]
    assert "booking date" in str(answer["answer"])


@pytest.mark.parametrize(
    "question",
    [
        "cancelled bookings last month",
        "how many bookings made in September 2026 were cancelled",
        "cancellation rate last quarter",
        "Wie viele Buchungen von diesem Jahr wurden storniert?",
    ],
)
def test_the_booking_period_is_answered(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "data", answer["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "cancelled bookings for arrivals in November",
        "bookings for November arrivals",
        "Wie viele Buchungen für Anreisen im Dezember?",
    ],
)
def test_a_bare_month_ahead_on_the_arrival_date_is_asked(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]
    assert "2025" in str(answer["answer"]) and "2026" in str(answer["answer"])


def test_a_month_with_its_year_on_the_arrival_date_is_answered(hotels: Project) -> None:
    answer = hotels.ask("cancelled bookings for arrivals in November 2026")
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == ["cancelled_bookings"]


@pytest.mark.parametrize(
    "question",
    [
        "how many guests are arriving in December",
        "how many guests will arrive in November",
        "Wie viele Gäste werden im Dezember anreisen?",
    ],
)
def test_arrivals_still_to_come_are_asked(hotels: Project, question: str) -> None:
    answer = hotels.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]


def test_arrivals_of_a_past_month_are_answered(hotels: Project) -> None:
    answer = hotels.ask("arrivals in September")
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["time_range"] == {"start": "2026-09-01", "end": "2026-09-30"}


@pytest.mark.parametrize(
    "question",
    [
        "how many bookings for stays in December do we have on the books",
        "bookings for upcoming stays in December",
        "Wie viele Buchungen für künftige Aufenthalte im Dezember?",
    ],
)
def test_a_period_not_begun_on_the_figures_own_date_is_asked(hotels: Project, question: str) -> None:
    """Bookings by booking date in December 2026 (on 31 October) held nothing: answered '–'."""
    answer = hotels.ask(question)
    assert answer["kind"] == "clarification", answer["answer"]
