"""Time phrases → date ranges, following the product's documented conventions (DESIGN.md).

Pure functions of (text, as_of). Conventions: weeks start on Monday; "last week/month/quarter/
year" is the previous full calendar period; "this …" runs from its start through as_of; YTD is
Jan 1 through as_of; "last N days" is the N days ending on as_of inclusive; "last N weeks/months"
are the N full periods before the current one; "vs last year" is the same dates one year earlier.
English and the German words retailers in DACH mix in ("letzte Woche", "seit März") both work.
"""

from __future__ import annotations

import calendar
import re
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


# ---- phrase resolution -----------------------------------------------------------------------


def _fmt(d: date) -> str:
    return d.isoformat()


def _named_month(month: int, year: int | None, as_of: date) -> DateRange:
    """A month by name: the given year, else the most recent one that has begun."""
    if year is None:
        year = as_of.year if month <= as_of.month else as_of.year - 1
    end = (
        min(month_end(year, month), as_of)
        if (year, month) == (as_of.year, as_of.month)
        else month_end(year, month)
    )
    return DateRange(date(year, month, 1), end, f"{calendar.month_name[month]} {year}")


def _year_range(year: int, as_of: date) -> DateRange:
    end = min(date(year, 12, 31), as_of) if year == as_of.year else date(year, 12, 31)
    return DateRange(date(year, 1, 1), end, str(year))


def _quarter(q: int, year: int | None, as_of: date) -> DateRange:
    if year is None:
        year = as_of.year if q <= quarter_of(as_of) else as_of.year - 1
    start, end = quarter_range(year, q)
    if start <= as_of <= end:
        end = as_of
    return DateRange(start, end, f"Q{q} {year}")


def _parse_point(text: str, as_of: date, *, end_of: bool) -> date | None:
    """A date-ish point: ISO date, 15.03.2026, 'March 2026', 'March', '2025'."""
    text = text.strip().lower()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(rf"(?:(\d{{1,2}})\.?\s+)?({_MONTH_RE})\.?(?:\s+(\d{{4}}))?", text)
    if m:
        month = MONTHS[m[2]]
        year = int(m[3]) if m[3] else None
        if m[1]:
            y = year if year is not None else (as_of.year if month <= as_of.month else as_of.year - 1)
            return date(y, month, int(m[1]))
        rng = _named_month(month, year, as_of)
        return month_end(rng.start.year, month) if end_of else rng.start
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        return date(int(m[1]), 12, 31) if end_of else date(int(m[1]), 1, 1)
    if text in ("today", "heute", "now"):
        return as_of
    if text in ("yesterday", "gestern"):
        return as_of - timedelta(days=1)
    return None


_POINT = rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|(?:\d{{1,2}}\.?\s+)?(?:{_MONTH_RE})\.?(?:\s+\d{{4}})?|\d{{4}}|today|heute|yesterday|gestern)"

_LAST = r"(?:last|past|previous|prior|letzte[nmrs]?|vergangene[nmrs]?|vorige[nmrs]?)"
_THIS = r"(?:this|current|so far this|dieses|diese[nmr]?|laufende[nmrs]?|aktuelle[nmrs]?)"


def _rules(as_of: date) -> list[tuple[re.Pattern[str], object]]:
    """Ordered (pattern, resolver): longer, more specific phrases first."""

    def between(m: re.Match[str]) -> DateRange | None:
        start = _parse_point(m["a"], as_of, end_of=False)
        end = _parse_point(m["b"], as_of, end_of=True)
        if start is None or end is None:
            return None
        if end < start:  # "between May and March": the user means the span, in either order
            start, end = _parse_point(m["b"], as_of, end_of=False), _parse_point(m["a"], as_of, end_of=True)
            if start is None or end is None or end < start:
                return None
        return DateRange(start, min(end, as_of) if end > as_of else end, f"{_fmt(start)} to {_fmt(end)}")

    def since(m: re.Match[str]) -> DateRange | None:
        start = _parse_point(m["a"], as_of, end_of=False)
        if start is None or start > as_of:
            return None
        return DateRange(start, as_of, f"since {_fmt(start)}")

    def last_n(m: re.Match[str]) -> DateRange:
        n = _num(m["n"])
        unit: Grain = _UNITS[m["unit"].lower()]  # type: ignore[assignment]
        if unit == "day":
            return DateRange(as_of - timedelta(days=n - 1), as_of, f"the last {n} days")
        current = period_start(as_of, unit)
        return DateRange(shift(current, unit, -n), current - timedelta(days=1), f"the last {n} full {unit}s")

    def last_unit(m: re.Match[str]) -> DateRange:
        unit: Grain = _UNITS[m["unit"].lower()]  # type: ignore[assignment]
        start, end = full_period(shift(as_of, unit, -1), unit)
        return DateRange(start, end, f"last {unit} ({_fmt(start)} to {_fmt(end)})")

    def this_unit(m: re.Match[str]) -> DateRange:
        unit: Grain = _UNITS[m["unit"].lower()]  # type: ignore[assignment]
        start = period_start(as_of, unit)
        return DateRange(start, as_of, f"this {unit} to date ({_fmt(start)} to {_fmt(as_of)})")

    def to_date(m: re.Match[str]) -> DateRange:
        unit: Grain = {"y": "year", "q": "quarter", "m": "month", "w": "week"}[m["u"].lower()]  # type: ignore[assignment]
        start = period_start(as_of, unit)
        return DateRange(start, as_of, f"{m['u'].upper()}TD ({_fmt(start)} to {_fmt(as_of)})")

    def quarter(m: re.Match[str]) -> DateRange:
        q = int(m["q"]) if m["q"] else _ORDINAL_QUARTERS[m["oq"]]
        return _quarter(q, int(m["y"]) if m["y"] else None, as_of)

    def month_year(m: re.Match[str]) -> DateRange:
        return _named_month(MONTHS[m["m"].lower()], int(m["y"]) if m["y"] else None, as_of)

    def year(m: re.Match[str]) -> DateRange | None:
        y = int(m["y"])
        if not 2010 <= y <= as_of.year:
            return None
        return _year_range(y, as_of)

    def single_day(m: re.Match[str]) -> DateRange | None:
        d = _parse_point(m["d"], as_of, end_of=False)
        return DateRange(d, d, _fmt(d)) if d is not None else None

    flags = re.IGNORECASE
    return [
        (re.compile(rf"\b(?:between|from|vom|von|zwischen)\s+(?P<a>{_POINT})\s+(?:and|to|until|till|bis|und|-)\s+(?P<b>{_POINT})\b", flags), between),
        (re.compile(rf"\b(?:since|seit|ab)\s+(?:the\s+)?(?:beginning of\s+|start of\s+|anfang\s+)?(?P<a>{_POINT})\b", flags), since),
        (re.compile(rf"\b(?:in\s+the\s+|over\s+the\s+|for\s+the\s+|in\s+den\s+|the\s+)?{_LAST}\s+(?P<n>{_NUM_RE})\s+(?P<unit>{_UNIT_RE})\b", flags), last_n),
        (re.compile(r"\b(?P<u>[ymqw])td\b", flags), to_date),
        (re.compile(r"\b(?P<u>year|month|quarter|week)[\s-]to[\s-]date\b", flags),
         lambda m: to_date(re.match(r"(?P<u>[ymqw])", m["u"]))),  # type: ignore[arg-type]
        (re.compile(rf"\b{_LAST}\s+(?P<unit>week|month|quarter|year|woche|monat|quartal|jahr)\b", flags), last_unit),
        (re.compile(rf"\b{_THIS}\s+(?P<unit>week|month|quarter|year|woche|monat|quartal|jahr)\b", flags), this_unit),
        (re.compile(r"\b(?:q(?P<q>[1-4])|(?P<oq>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)(?:\s+(?:of\s+)?(?P<y>\d{4}))?\b", flags), quarter),
        (re.compile(r"\b(?P<d>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4})\b", flags), single_day),
        (re.compile(rf"\b(?P<m>{_MONTH_RE})\.?(?:\s+(?P<y>\d{{4}}))?\b", flags), month_year),
        (re.compile(r"\b(?:in|for|of|im|für|during)?\s*(?P<y>20\d\d)\b", flags), year),
        (re.compile(r"\b(?:today|heute|so far today)\b", flags), lambda m: DateRange(as_of, as_of, f"today ({_fmt(as_of)})")),
        (re.compile(r"\b(?:yesterday|gestern)\b", flags),
         lambda m: DateRange(as_of - timedelta(days=1), as_of - timedelta(days=1), f"yesterday ({_fmt(as_of - timedelta(days=1))})")),
    ]  # fmt: skip


# Words that look like months but usually are not, when they stand alone in a retail question.
_AMBIGUOUS_MONTH_WORDS = {"may", "mai", "march", "mar", "jun", "jan", "dec", "aug", "oct", "nov", "sep", "apr",
                          "feb", "jul", "mo", "august"}  # fmt: skip


def find_time_range(text: str, as_of: date) -> TimeMatch | None:
    """The first time phrase in `text` (by the rules' priority), resolved against `as_of`."""
    for pattern, resolve in _rules(as_of):
        for m in pattern.finditer(text):
            phrase = m.group(0).strip()
            if "m" in pattern.groupindex and m["m"] and not m["y"]:
                word = m["m"].lower()
                if word in _AMBIGUOUS_MONTH_WORDS and not _month_context(text, m):
                    continue
            try:
                rng = resolve(m)  # type: ignore[operator]
            except (ValueError, KeyError):
                continue
            if rng is None:
                continue
            return TimeMatch(rng, m.span(), phrase)
    return None


def _month_context(text: str, m: re.Match[str]) -> bool:
    """'may' is a month only after a time preposition ('in May', 'for March') or capitalised."""
    before = text[: m.start()].lower().rstrip()
    return before.endswith(("in", "for", "during", "of", "im", "since", "seit", "from", "vom", "until")) or (
        m["m"][0].isupper() and m["m"].lower() not in {"may", "mai"}
    )
