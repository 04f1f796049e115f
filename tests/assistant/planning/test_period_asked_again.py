"""The same figure asked of a second period ('im September 2026 und wie viele im September 2025', 'in
Q3 2026 and in Q3 2025', 'in August, and how many in September'): two periods set against each other,
as 'vs' sets them — the comparison the semantic layer runs when one is the period before or a year
before, else asked. Read before as the first period alone, the second silently dropped."""

from __future__ import annotations

import pytest

from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog
from tests.assistant.planning.project_catalogs import plan


@pytest.mark.parametrize(
    ("project", "question", "start", "comparison"),
    [
        ("retail", "Wie viele Sessions hatten wir im September 2026 und wie viele im September 2025?",
         "2026-09-01", "same_period_last_year"),
        ("retail", "Net sales in Q3 2026 and in Q3 2025", "2026-07-01", "same_period_last_year"),
        ("retail", "How many orders in August 2026, and how many in September 2026?", "2026-09-01",
         "previous_period"),
        ("logistics", "How many shipments in Q2 2026 and how many in Q1 2026?", "2026-04-01",
         "previous_period"),
        ("logistics", "Frachtumsatz im Juli 2026 und im Juli 2025", "2026-07-01", "same_period_last_year"),
        ("hospitality", "Room revenue in 2025 and in 2024", "2025-01-01", "previous_period"),
    ],
)  # fmt: skip
def test_a_second_period_asked_again_is_compared(
    catalogs: dict[str, Catalog], project: str, question: str, start: str, comparison: str
) -> None:
    found = plan(catalogs[project], question)
    assert isinstance(found, MetricPlan), found
    assert str(found.period.start) == start, found
    assert found.comparison == comparison, found


def test_a_second_period_no_comparison_reaches_is_asked(catalogs: dict[str, Catalog]) -> None:
    found = plan(catalogs["retail"], "Umsatz im Oktober 2026 und im Oktober 2024")
    assert isinstance(found, ClarificationPlan), found


def test_a_span_between_two_months_stays_one_period(catalogs: dict[str, Catalog]) -> None:
    found = plan(catalogs["retail"], "net sales between January and March 2026")
    assert isinstance(found, MetricPlan), found
    assert found.comparison is None, found
    assert (str(found.period.start), str(found.period.end)) == ("2026-01-01", "2026-03-31"), found
