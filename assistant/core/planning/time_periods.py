"""Calendar periods under the product's conventions (DESIGN.md): weeks start on Monday, months
clamp at their last day, a year earlier keeps the dates (29 February → 28). The values the time
parser (`time_range.py`) returns and the arithmetic plans and follow-ups do on them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Grain = Literal["day", "week", "month", "quarter", "year"]


@dataclass(frozen=True)
class DateRange:
    """An inclusive date range and the words a user would use for it."""

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"empty date range {self.start} … {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class TimeMatch:
    """A time phrase found in a question: the range, and where it stood (to strip it)."""

    range: DateRange
    span: tuple[int, int]
    phrase: str


MONTHS: dict[str, int] = {}
for _i, (_en, _de) in enumerate(
    zip(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        [
            "januar",
            "februar",
            "märz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "dezember",
        ],
        strict=True,
    ),
    start=1,
):
    MONTHS[_en] = _i
    MONTHS[_de] = _i
    MONTHS[_en[:3]] = _i
MONTHS.update({"sept": 9, "maerz": 3, "marz": 3, "jänner": 1, "jaenner": 1, "dez": 12, "okt": 10, "mrz": 3})
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

_UNITS = {
    "day": "day", "days": "day", "tag": "day", "tage": "day", "tagen": "day",
    "week": "week", "weeks": "week", "woche": "week", "wochen": "week", "wk": "week", "wks": "week",
    "month": "month", "months": "month", "monat": "month", "monate": "month", "monaten": "month",
    "monats": "month", "mo": "month",
    "quarter": "quarter", "quarters": "quarter", "quartal": "quarter", "quartale": "quarter",
    "year": "year", "years": "year", "jahr": "year", "jahre": "year", "jahren": "year", "jahres": "year",
    "yr": "year", "yrs": "year",
}  # fmt: skip
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "thirty": 30, "ninety": 90,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "zehn": 10,
    "zwölf": 12, "a": 1, "an": 1,
}  # fmt: skip
_NUM_RE = r"\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _num(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


# ---- calendar arithmetic -------------------------------------------------------------------


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * (quarter - 1) + 1
    return date(year, first_month, 1), month_end(year, first_month + 2)


def period_start(day: date, grain: Grain) -> date:
    if grain == "day":
        return day
    if grain == "week":
        return week_start(day)
    if grain == "month":
        return month_start(day)
    if grain == "quarter":
        return date(day.year, 3 * (quarter_of(day) - 1) + 1, 1)
    return date(day.year, 1, 1)


def shift(day: date, grain: Grain, n: int) -> date:
    """`day` moved by n periods of `grain` (month arithmetic clamps to the month's last day)."""
    if grain == "day":
        return day + timedelta(days=n)
    if grain == "week":
        return day + timedelta(weeks=n)
    if grain == "month":
        return add_months(day, n)
    if grain == "quarter":
        return add_months(day, 3 * n)
    return add_months(day, 12 * n)


def full_period(day: date, grain: Grain) -> tuple[date, date]:
    start = period_start(day, grain)
    return start, shift(start, grain, 1) - timedelta(days=1)


def same_period_last_year(rng: DateRange) -> DateRange:
    """The same dates one year earlier (Feb 29 → Feb 28)."""
    return DateRange(add_months(rng.start, -12), add_months(rng.end, -12), f"{rng.label}, one year earlier")


def previous_period(rng: DateRange) -> DateRange:
    """The period of equal length just before: a calendar month/quarter/year maps to the previous one."""
    for grain in ("year", "quarter", "month", "week"):
        start, end = full_period(rng.start, grain)
        if rng.start == start and rng.end == end:
            prev_start = shift(start, grain, -1)
            return DateRange(prev_start, start - timedelta(days=1), f"the {grain} before")
        if rng.start == start and rng.end < end:  # period to date → the same span of the previous period
            prev_start = shift(start, grain, -1)
            prev_end = min(shift(rng.end, grain, -1), start - timedelta(days=1))
            return DateRange(prev_start, prev_end, f"the same days of the {grain} before")
    return DateRange(rng.start - timedelta(days=rng.days), rng.start - timedelta(days=1), "the period before")


def _fmt(d: date) -> str:
    return d.isoformat()


def shift_range(rng: DateRange, unit: Grain, n: int, as_of: date) -> DateRange | None:
    """`rng` moved by n × unit. A whole calendar period stays whole (September → August; Q3 → Q3 a
    year earlier); any other span keeps its length. A move past as_of is cut there (None if it
    starts after it)."""
    for grain in ("year", "quarter", "month", "week"):
        start, end = full_period(rng.start, grain)
        if rng.start == start and rng.end == end:
            new_start = shift(start, unit, n)
            _, new_end = full_period(new_start, grain)
            break
    else:
        new_start, new_end = shift(rng.start, unit, n), shift(rng.end, unit, n)
    if new_start > as_of:
        return None
    new_end = min(new_end, as_of)
    return DateRange(new_start, new_end, describe(new_start, new_end))


def describe(start: date, end: date) -> str:
    """The words for a range, as a question naming it would get them: 'August 2026', 'Q3 2025',
    'H2 2025', '2025', else '2026-10-12 to 2026-10-18'."""
    if start.day == 1 and end == month_end(end.year, end.month):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return f"{calendar.month_name[start.month]} {start.year}"
        if months == 3 and start.month % 3 == 1:
            return f"Q{quarter_of(start)} {start.year}"
        if months == 6 and start.month in (1, 7):
            return f"H{1 if start.month == 1 else 2} {start.year}"
        if months == 12 and start.month == 1:
            return str(start.year)
    return f"{_fmt(start)} to {_fmt(end)}"
