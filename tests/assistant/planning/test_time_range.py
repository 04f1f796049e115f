"""The documented time conventions, as a retailer would read them (as_of: Saturday 2026-10-31)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.planning.time_range import (
    DateRange,
    find_time_range,
    previous_period,
    same_period_last_year,
)

AS_OF = date(2026, 10, 31)


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("net sales today", "2026-10-31", "2026-10-31"),
        ("what did we sell yesterday", "2026-10-30", "2026-10-30"),
        ("net sales by store last week", "2026-10-19", "2026-10-25"),
        ("net sales by store last month", "2026-09-01", "2026-09-30"),
        ("margin last quarter", "2026-07-01", "2026-09-30"),
        ("revenue last year", "2025-01-01", "2025-12-31"),
        ("sales this week", "2026-10-26", "2026-10-31"),
        ("sales this month", "2026-10-01", "2026-10-31"),
        ("sales this quarter", "2026-10-01", "2026-10-31"),
        ("sales this year", "2026-01-01", "2026-10-31"),
        ("YTD revenue by category", "2026-01-01", "2026-10-31"),
        ("mtd orders", "2026-10-01", "2026-10-31"),
        ("revenue year to date", "2026-01-01", "2026-10-31"),
        ("units sold in the last 7 days", "2026-10-25", "2026-10-31"),
        ("units sold over the past 30 days", "2026-10-02", "2026-10-31"),
        ("returns in the last 4 weeks", "2026-09-28", "2026-10-25"),
        ("returns last three months", "2026-07-01", "2026-09-30"),
        ("sales in March", "2026-03-01", "2026-03-31"),
        ("sales in November", "2025-11-01", "2025-11-30"),
        ("sales March 2025", "2025-03-01", "2025-03-31"),
        ("Umsatz im Dezember 2025", "2025-12-01", "2025-12-31"),
        ("sales in Q3", "2026-07-01", "2026-09-30"),
        ("sales in Q4", "2026-10-01", "2026-10-31"),
        ("sales Q4 2025", "2025-10-01", "2025-12-31"),
        ("sales in the second quarter of 2025", "2025-04-01", "2025-06-30"),
        ("sales since March", "2026-03-01", "2026-10-31"),
        ("Umsatz seit März", "2026-03-01", "2026-10-31"),
        ("sales between March and May 2026", "2026-03-01", "2026-05-31"),
        ("sales from 2026-02-01 to 2026-02-14", "2026-02-01", "2026-02-14"),
        ("sales vom 01.02.2026 bis 14.02.2026", "2026-02-01", "2026-02-14"),
        ("net sales in 2025", "2025-01-01", "2025-12-31"),
        ("net sales 2026", "2026-01-01", "2026-10-31"),
        ("Umsatz letzte Woche", "2026-10-19", "2026-10-25"),
        ("Umsatz letzten Monat", "2026-09-01", "2026-09-30"),
        ("sales on 2026-10-03", "2026-10-03", "2026-10-03"),
    ],
)
def test_time_phrases_follow_the_documented_conventions(question: str, start: str, end: str) -> None:
    match = find_time_range(question, AS_OF)
    assert match is not None, question
    assert (match.range.start.isoformat(), match.range.end.isoformat()) == (start, end)
    assert match.phrase.lower() in question.lower()


@pytest.mark.parametrize(
    "question",
    [
        "top 5 stores by net sales",
        "how may I see margin by category",
        "which products sold more than 2000 units",
        "net sales by store",
    ],
)
def test_no_time_words_means_no_range(question: str) -> None:
    assert find_time_range(question, AS_OF) is None


def test_comparison_periods() -> None:
    september = DateRange(date(2026, 9, 1), date(2026, 9, 30), "September 2026")
    assert previous_period(september) == DateRange(date(2026, 8, 1), date(2026, 8, 31), "the month before")
    last_year = same_period_last_year(september)
    assert (last_year.start, last_year.end) == (date(2025, 9, 1), date(2025, 9, 30))
    week = DateRange(date(2026, 10, 19), date(2026, 10, 25), "last week")
    assert (previous_period(week).start, previous_period(week).end) == (
        date(2026, 10, 12),
        date(2026, 10, 18),
    )
    seven_days = DateRange(date(2026, 10, 25), date(2026, 10, 31), "last 7 days")
    prev = previous_period(seven_days)
    assert (prev.start, prev.end) == (date(2026, 10, 18), date(2026, 10, 24))
    ytd = DateRange(date(2026, 1, 1), date(2026, 10, 31), "YTD")
    prev_ytd = previous_period(ytd)
    assert (prev_ytd.start, prev_ytd.end) == (date(2025, 1, 1), date(2025, 10, 31))
    leap = DateRange(date(2028, 2, 29), date(2028, 2, 29), "leap day")
    assert same_period_last_year(leap).start == date(2027, 2, 28)


def test_a_range_never_runs_backwards() -> None:
    with pytest.raises(ValueError):
        DateRange(date(2026, 2, 1), date(2026, 1, 1), "nonsense")
    backwards = find_time_range("sales between 2026-05-01 and 2026-03-01", AS_OF)
    forwards = find_time_range("sales between 2026-03-01 and 2026-05-01", AS_OF)
    assert backwards is not None and forwards is not None
    assert (backwards.range.start, backwards.range.end) == (date(2026, 3, 1), date(2026, 5, 1))
    assert backwards.range == forwards.range
