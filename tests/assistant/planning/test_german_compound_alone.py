"""A German compound in a question with no other German word ('Zimmerumsatz KW 37 2026',
'Frachtumsatz Q3 2026 by carrier'): a user typing telegram-style still asks in German. The
compound of two glossary words is read in English (room revenue, freight revenue); before, the
question was not seen as German and 'Zimmerumsatz' was offered as a guest's company name. An
English word stays as typed, and a compound no glossary word ends is not guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan


@pytest.mark.parametrize(
    ("project", "question", "metric", "start", "end"),
    [
        ("hospitality", "Zimmerumsatz KW 37 2026", "room_revenue", dt.date(2026, 9, 7), dt.date(2026, 9, 13)),
        ("hospitality", "Zimmerumsatz Q3 2026", "room_revenue", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("logistics", "Frachtumsatz Q3 2026", "freight_revenue", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("logistics", "Frachtumsatz 2025", "freight_revenue", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_a_compound_alone_is_read_in_english(
    catalogs: dict[str, Catalog], project: str, question: str, metric: str, start: dt.date, end: dt.date
) -> None:
    asked = plan(catalogs[project], question)
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.metrics == (metric,), asked.query
    assert (asked.period.start, asked.period.end) == (start, end), asked.period


def test_english_words_stay_as_typed(catalogs: dict[str, Catalog]) -> None:
    asked = plan(catalogs["logistics"], "freight revenue Q3 2026")
    assert isinstance(asked, MetricPlan), asked
    assert asked.query.metrics == ("freight_revenue",), asked.query


def test_a_compound_of_unknown_words_is_not_guessed(catalogs: dict[str, Catalog]) -> None:
    # 'Wetterumsatz' ('weather revenue'): its first part is no glossary word — asked, not answered
    asked = plan(catalogs["hospitality"], "Wetterumsatz Q3 2026")
    assert isinstance(asked, ClarificationPlan), asked
