"""The documented time conventions, as a retailer would read them (as_of: Saturday 2026-10-31)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.planning.time_range import (
    DateRange,
    describe,
    find_period_pair,
    find_shift,
    find_time_range,
    find_time_ranges,
    normalise_time_words,
    previous_period,
    same_period_last_year,
    shift_range,
)
from tests.assistant.planning.time_expressions import EXPRESSIONS, NO_TIME

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


# ---- the expression table (issue #17): every class of time phrase, English and German -----------


@pytest.mark.parametrize("row", EXPRESSIONS, ids=lambda r: r[0])
def test_expression_table(row: tuple[str, ...]) -> None:
    text, start, end = row[:3]
    as_of = date.fromisoformat(row[3]) if len(row) > 3 else AS_OF
    match = find_time_range(f"net sales {text} by store", as_of)
    assert match is not None, text
    assert (match.range.start.isoformat(), match.range.end.isoformat()) == (start, end), text
    assert match.phrase.lower() in text.lower()  # the words read are the time phrase's own


@pytest.mark.parametrize("question", NO_TIME)
def test_words_that_only_look_like_time_are_not_periods(question: str) -> None:
    assert find_time_range(question, AS_OF) is None


@pytest.mark.parametrize(
    ("question", "as_of", "current", "against"),
    [
        ("December sales by category compared with November", "2025-12-31", "2025-12-01", "2025-11-01"),
        ("What did the Salzburg store do in Q2 compared to Q1?", "2026-10-31", "2026-04-01", "2026-01-01"),
        ("Umsatz im Oktober vs. September", "2026-10-31", "2026-10-01", "2026-09-01"),
        ("sales December 2025 vs December 2024", "2026-10-31", "2025-12-01", "2024-12-01"),
        ("compare March with February", "2026-10-31", "2026-03-01", "2026-02-01"),
        ("Vergleiche Q3 mit Q2", "2026-10-31", "2026-07-01", "2026-04-01"),
        ("ski sales this season (Nov 2025–Mar 2026) vs last season (Nov 2024–Mar 2025)", "2026-10-31",
         "2025-11-01", "2024-11-01"),
        ("ski sales this winter vs last winter (December to March)", "2026-03-31",
         "2025-12-01", "2024-12-01"),
    ],
)  # fmt: skip
def test_two_named_periods_compared(question: str, as_of: str, current: str, against: str) -> None:
    today = date.fromisoformat(as_of)
    pair = find_period_pair(question, find_time_ranges(question, today))
    assert pair is not None, question
    assert (pair.current.range.start.isoformat(), pair.against.range.start.isoformat()) == (current, against)


def test_two_periods_without_a_comparison_word_are_no_pair() -> None:
    question = "sales in March by store since 2025"
    assert find_period_pair(question, find_time_ranges(question, AS_OF)) is None


@pytest.mark.parametrize(
    ("follow_up", "unit", "n"),
    [
        ("and the previous month?", "month", -1),
        ("and the month before?", "month", -1),
        ("und die Woche davor?", "week", -1),
        ("same thing a year earlier?", "year", -1),
        ("same period last year?", "year", -1),
        ("und im gleichen Monat letztes Jahr?", "year", -1),
        ("und im Vorjahr?", "year", -1),
        ("and the week after?", "week", 1),
        ("what about the following quarter", "quarter", 1),
    ],
)
def test_shifts_of_the_previous_period(follow_up: str, unit: str, n: int) -> None:
    found = find_shift(follow_up)
    assert found is not None and (found.unit, found.n) == (unit, n), follow_up


def test_a_shift_keeps_a_whole_period_whole() -> None:
    september = DateRange(date(2026, 9, 1), date(2026, 9, 30), "last month")
    august = shift_range(september, "month", -1, AS_OF)
    assert august is not None and (august.start, august.end, august.label) == (
        date(2026, 8, 1), date(2026, 8, 31), "August 2026")  # fmt: skip
    q3 = DateRange(date(2026, 7, 1), date(2026, 9, 30), "last quarter")
    a_year_earlier = shift_range(q3, "year", -1, AS_OF)
    assert a_year_earlier is not None and a_year_earlier.label == "Q3 2025"
    week = DateRange(date(2026, 10, 19), date(2026, 10, 25), "last week")
    after = shift_range(week, "week", 1, AS_OF)
    assert after is not None and (after.start, after.end) == (date(2026, 10, 26), AS_OF)  # cut at as_of
    assert shift_range(week, "week", 2, AS_OF) is None  # starts after as_of


def test_misspelt_time_words_map_back_onto_the_question() -> None:
    text = "revnue by categroy last wek please"
    fixed, back = normalise_time_words(text)
    assert fixed == "revnue by categroy last week please"
    match = find_time_range(text, AS_OF)
    assert match is not None and match.phrase == "last wek"
    assert text[match.span[0] : match.span[1]] == "last wek" and back(len(fixed)) == len(text)


def test_describe_names_whole_periods() -> None:
    assert describe(date(2025, 7, 1), date(2025, 12, 31)) == "H2 2025"
    assert describe(date(2025, 1, 1), date(2025, 12, 31)) == "2025"
    assert describe(date(2026, 10, 12), date(2026, 10, 18)) == "2026-10-12 to 2026-10-18"
