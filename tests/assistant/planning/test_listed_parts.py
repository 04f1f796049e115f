"""A part of a figure that the figure's own description lists, asked about alone
(`offline/listed_parts.py`): 'how much fuel surcharge did we bill' was all freight revenue ('Freight
charge plus fuel surcharge'), 'F&B revenue from non-residents' all F&B revenue ('from residents and
non-residents'), 'Stornierungen für Anreisen im November' the arrivals ('Cancellations and no-shows
are not arrivals'). Each is asked now; the figure asked by its own words is answered."""

from __future__ import annotations

import pytest

from assistant.core.planning.offline.listed_parts import listed_part
from tests.byo_projects import metrics_of


def test_a_word_beside_a_joiner_is_a_listed_part() -> None:
    assert listed_part("Freight charge plus fuel surcharge, EUR net of VAT.", {"fuel"})
    assert listed_part("Food and beverage revenue from residents and non-residents.", {"resident"})
    assert listed_part(
        "Reservations that checked in. Cancellations and no-shows are not arrivals.", {"cancellation"}
    )
    assert not listed_part("Compensation paid out on settled claims, EUR, by claim date.", {"compensation"})
    assert not listed_part("What customers paid, after discounts and net of returns.", {"return", "returns"})


@pytest.mark.parametrize(
    ("project", "question"),
    [
        ("freight", "how much fuel surcharge did we bill last month"),
        ("freight", "fuel surcharge revenue this year"),
        ("hotels", "F&B revenue from non-residents this year"),
        ("hotels", "F&B revenue from non-resident guests last month"),
        ("hotels", "Stornierungen für Anreisen im November 2026"),
        ("hotels", "cancellations for arrivals in September"),
    ],
)
def test_a_listed_part_alone_is_asked(project: str, question: str, request: pytest.FixtureRequest) -> None:
    answer = request.getfixturevalue(project).ask(question)
    assert answer["kind"] == "clarification", answer["answer"]


@pytest.mark.parametrize(
    ("project", "question", "metric"),
    [
        ("freight", "freight revenue last month", "freight_revenue"),
        ("hotels", "F&B revenue last month", "fnb_revenue"),
        ("hotels", "arrivals in September", "arrivals"),
    ],
)
def test_the_figure_by_its_own_words_is_answered(
    project: str, question: str, metric: str, request: pytest.FixtureRequest
) -> None:
    answer = request.getfixturevalue(project).ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert metrics_of(answer) == [metric]
