"""Time phrases → date ranges, following the product's documented conventions (DESIGN.md).

Pure functions of (text, as_of). Conventions: weeks start on Monday; "last week/month/quarter/
year" is the previous full calendar period; "this …" runs from its start through as_of; YTD is
Jan 1 through as_of; "last N days" is the N days ending on as_of inclusive; "last N weeks/months"
are the N full periods before the current one; "vs last year" is the same dates one year earlier.
English and the German words retailers in DACH mix in ("letzte Woche", "seit März") both work.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from assistant.core.planning.time_periods import (
    _MONTH_RE,
    _NUM_RE,
    _UNIT_RE,
    _UNITS,
    MONTHS,
    DateRange,
    Grain,
    TimeMatch,
    _fmt,
    _num,
    add_months,
    describe,
    full_period,
    month_end,
    month_start,
    period_start,
    previous_period,
    quarter_of,
    quarter_range,
    same_period_last_year,
    shift,
    shift_range,
    week_start,
)
from assistant.core.planning.time_words import (
    _HOLIDAY_RE,
    _SEASON_RE,
    SEASONS,
    _holiday,
    normalise_time_words,
    season_range,
)

__all__ = [
    "MONTHS", "SEASONS", "DateRange", "Grain", "PeriodPair", "Shift", "TimeMatch", "add_months", "describe",
    "find_period_pair", "find_shift", "find_time_range", "find_time_ranges", "full_period", "month_end",
    "month_start", "normalise_time_words", "period_start", "previous_period", "quarter_of", "quarter_range",
    "same_period_last_year", "season_range", "shift", "shift_range", "week_start",
]  # fmt: skip


# ---- phrase resolution -----------------------------------------------------------------------

_I = re.IGNORECASE
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_WEEKDAYS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        ("monday", "mon", "montag"),
        ("tuesday", "tue", "tues", "dienstag"),
        ("wednesday", "wed", "mittwoch"),
        ("thursday", "thu", "thur", "thurs", "donnerstag"),
        ("friday", "fri", "freitag"),
        ("saturday", "sat", "samstag", "sonnabend"),
        ("sunday", "sun", "sonntag"),
    )
):
    for _w in _names:
        _WEEKDAYS[_w] = _n
# a weekday before a date is read and skipped ("Mon 24 to Sun 30 November", "Samstag, 24. Oktober");
# the German two-letter forms only with their dot or comma ("Sa, 24.10.")
_WEEKDAY_RE = (
    rf"(?:(?:{'|'.join(sorted(_WEEKDAYS, key=len, reverse=True))})\.?,?\s+|(?:mo|di|mi|do|fr|sa|so)[.,]\s*)"
)
_ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "1.": 1, "2.": 2, "3.": 3, "4.": 4,
}  # fmt: skip
_ORD_RE = r"(?:first|second|third|fourth|1st|2nd|3rd|4th|(?:erst|zweit|dritt|viert)(?:e[nmrs]?)?|[1-4]\.)"
_LAST_ORD_RE = r"(?:last|final|letzte[nmrs]?)"
# "of last year", "des Vorjahres", "this year": a year named relative to as_of
_REL_YEAR = (
    r"(?P<rel>(?:of\s+|in\s+|des\s+|im\s+)?(?:(?:the\s+)?(?:last|previous|prior|this|current)\s+year|"
    r"(?:letzte[ns]?|vergangene[ns]?|vorige[ns]?|diese[ns]?|laufende[ns]?)\s+jahr(?:es)?|vorjahr(?:es)?))"
)


def _ordinal(word: str) -> int:
    word = word.lower()
    for stem, n in _ORDINAL_WORDS.items():
        if word.startswith(stem):
            return n
    raise KeyError(word)


def _rel_year(text: str | None, as_of: date) -> int | None:
    if not text:
        return None
    lowered = text.lower()
    back = any(w in lowered for w in ("last", "previous", "prior", "letzt", "vergangen", "vorig", "vorjahr"))
    return as_of.year - 1 if back else as_of.year


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


def _half(h: int, year: int | None, as_of: date) -> DateRange:
    """H1 = January–June, H2 = July–December; no year: the most recent such half that has begun."""
    if year is None:
        year = as_of.year if h == 1 or as_of.month >= 7 else as_of.year - 1
    start = date(year, 1 if h == 1 else 7, 1)
    end = month_end(year, 6 if h == 1 else 12)
    return DateRange(start, min(end, as_of) if start <= as_of <= end else end, f"H{h} {year}")


def _recent_day(month: int, day: int, year: int | None, as_of: date) -> date:
    """A day named without a year: the most recent one on or before as_of."""
    if year is not None:
        return date(year, month, day)
    candidate = date(as_of.year, month, day)
    return candidate if candidate <= as_of else date(as_of.year - 1, month, day)


def _full_weeks(year: int, month: int) -> list[tuple[date, date]]:
    """The full Monday–Sunday weeks that lie inside a calendar month."""
    first = date(year, month, 1)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    weeks = []
    while monday + timedelta(days=6) <= month_end(year, month):
        weeks.append((monday, monday + timedelta(days=6)))
        monday += timedelta(weeks=1)
    return weeks


# ---- explicit ranges: "from November 2025 to January 2026", "between 3 and 9 March", "15–21 Dec"


@dataclass(frozen=True)
class _Point:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None

    def with_defaults(self, *, year: int | None = None, month: int | None = None) -> _Point:
        return _Point(self.year if self.year is not None else year,
                      self.month if self.month is not None else month, self.day, self.quarter)  # fmt: skip

    def key(self) -> tuple[int, int]:
        """(month, day) for ordering two points of one year."""
        if self.quarter is not None:
            return (3 * self.quarter - 2, 1)
        return (self.month or 1, self.day or 1)

    def first(self) -> date:
        assert self.year is not None
        if self.quarter is not None:
            return quarter_range(self.year, self.quarter)[0]
        return date(self.year, self.month or 1, self.day or 1)

    def last(self) -> date:
        assert self.year is not None
        if self.quarter is not None:
            return quarter_range(self.year, self.quarter)[1]
        if self.month is None:
            return date(self.year, 12, 31)
        return date(self.year, self.month, self.day) if self.day else month_end(self.year, self.month)


def _point_re(s: str) -> str:
    return (
        rf"(?:{_WEEKDAY_RE})?(?:"
        rf"(?P<{s}iso>\d{{4}}-\d{{1,2}}-\d{{1,2}})"
        rf"|(?P<{s}dd>{_DAY})\.(?P<{s}dm>1[0-2]|0?[1-9])\.(?P<{s}dy>\d{{4}})?"
        rf"|(?P<{s}d>{_DAY})(?:\.|st\b|nd\b|rd\b|th\b)?(?:\s*(?:of\s+)?(?P<{s}m>{_MONTH_RE})\b\.?(?:\s+(?P<{s}y>{_YEAR}))?)?"
        rf"|(?P<{s}mn>{_MONTH_RE})\b\.?(?:\s+(?P<{s}md>{_DAY})(?:st|nd|rd|th)?\b(?!\.\d))?(?:,?\s+(?P<{s}my>{_YEAR}))?"
        rf"|q(?P<{s}q>[1-4])(?:\s+(?P<{s}qy>{_YEAR}))?"
        rf"|(?P<{s}yo>{_YEAR}))"
    )


def _point(m: re.Match[str], s: str) -> _Point | None:
    g = m.groupdict()
    if g[f"{s}iso"]:
        y, mo, d = (int(x) for x in g[f"{s}iso"].split("-"))
        return _Point(y, mo, d)
    if g[f"{s}dd"]:
        return _Point(int(g[f"{s}dy"]) if g[f"{s}dy"] else None, int(g[f"{s}dm"]), int(g[f"{s}dd"]))
    if g[f"{s}d"]:
        month = MONTHS[g[f"{s}m"].lower()] if g[f"{s}m"] else None
        return _Point(int(g[f"{s}y"]) if g[f"{s}y"] else None, month, int(g[f"{s}d"]))
    if g[f"{s}mn"]:
        day = int(g[f"{s}md"]) if g[f"{s}md"] else None
        return _Point(int(g[f"{s}my"]) if g[f"{s}my"] else None, MONTHS[g[f"{s}mn"].lower()], day)
    if g[f"{s}q"]:
        return _Point(int(g[f"{s}qy"]) if g[f"{s}qy"] else None, quarter=int(g[f"{s}q"]))
    if g[f"{s}yo"]:
        return _Point(int(g[f"{s}yo"]))
    return None


_CONNECT = r"(?:to|until|till|through|thru|and|bis(?:\s+(?:zum|einschlie(?:ß|ss)lich))?|und|-|–|—)"
_RANGE_RE = re.compile(
    rf"\b(?:(?P<pre>from|between|vom|von|zwischen)\s+(?:the\s+|dem\s+|den\s+)?)?{_point_re('a')}"
    rf"\s*(?P<conn>{_CONNECT})\s*(?:the\s+|dem\s+|den\s+)?{_point_re('b')}",
    _I,
)


def _resolve_range(m: re.Match[str], as_of: date) -> DateRange | None:
    a, b = _point(m, "a"), _point(m, "b")
    if a is None or b is None:
        return None
    pre, conn = (m["pre"] or "").lower(), m["conn"].lower()
    if (a.month is None and a.day is not None and b.month is None) or (
        b.day is not None and b.month is None and a.month is None
    ):
        return None  # "from 3 to 9": days of no month
    if a.month is None and a.day is not None:
        a = a.with_defaults(month=b.month)
    if b.month is None and b.day is not None:
        b = b.with_defaults(month=a.month)
    kinds = {("day" if p.day else "month" if p.month else "quarter" if p.quarter else "year") for p in (a, b)}
    if not pre and (a.day is None and a.month is None and a.quarter is None) != (
        b.day is None and b.month is None and b.quarter is None
    ):
        return None  # "2025 - 10": a year and something else is no range
    # "June and July 2026" is one span; "March and May" without 'between' is two periods
    if (conn in ("and", "und") and pre not in ("between", "zwischen")
            and (kinds != {"month"} or (a.key()[0] % 12) + 1 != b.key()[0])):  # fmt: skip
        return None
    if not pre and conn in ("-", "–", "—") and kinds == {"year"} and a.year and b.year and b.year < a.year:
        return None
    if b.year is None and a.year is not None:
        b = b.with_defaults(year=a.year + (1 if b.key() < a.key() else 0))
    if a.year is None and b.year is not None:
        a = a.with_defaults(year=b.year - (1 if a.key() > b.key() else 0))
    if a.year is None and b.year is None:
        if b.day is not None and b.month is not None:
            year = _recent_day(b.month, b.day, None, as_of).year
        elif b.month is not None:
            year = as_of.year if b.month <= as_of.month else as_of.year - 1
        elif b.quarter is not None:
            year = as_of.year if b.quarter <= quarter_of(as_of) else as_of.year - 1
        else:
            return None
        b = b.with_defaults(year=year)
        a = a.with_defaults(year=year - (1 if a.key() > b.key() else 0))
    start, end = a.first(), b.last()
    if end < start:  # "between May and March": the user means the span, in either order
        start, end = b.first(), a.last()
        if end < start:
            return None
    if start > as_of:
        return None
    end = min(end, as_of)
    return DateRange(start, end, f"{_fmt(start)} to {_fmt(end)}")


# ---- the rules, in priority order -----------------------------------------------------------------

_POINT = rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|(?:\d{{1,2}}\.?\s+)?(?:{_MONTH_RE})\.?(?:\s+\d{{4}})?|\d{{4}}|today|heute|yesterday|gestern)"

_LAST = r"(?:last|past|previous|prior|letzte[nmrs]?|vergangene[nmrs]?|vorige[nmrs]?)"
_THIS = r"(?:this|current|so far this|dieses|diese[nmr]?|laufende[nmrs]?|aktuelle[nmrs]?)"
_UNIT_WORD = r"(?:week|month|quarter|year|woche|monat|quartal|jahr)"


def _parse_point(text: str, as_of: date, *, end_of: bool) -> date | None:
    """A date-ish point: ISO date, 15.03.2026, 'March 2026', 'March', '2025', 'today'."""
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
            return _recent_day(month, int(m[1]), year, as_of)
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


Resolver = Callable[[re.Match[str]], DateRange | None]


@functools.lru_cache(maxsize=32)
def _rules(as_of: date) -> list[tuple[re.Pattern[str], Resolver]]:
    """Ordered (pattern, resolver): longer, more specific phrases first."""

    def since(m: re.Match[str]) -> DateRange | None:
        start = _parse_point(m["a"], as_of, end_of=False)
        if start is None or start > as_of:
            return None
        return DateRange(start, as_of, f"since {_fmt(start)}")

    def last_n(m: re.Match[str]) -> DateRange:
        n = _num(m["n"].lower())
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

    def to_date(u: str) -> DateRange:
        unit: Grain = {"y": "year", "q": "quarter", "m": "month", "w": "week", "j": "year"}[u[0].lower()]  # type: ignore[assignment]
        start = period_start(as_of, unit)
        return DateRange(start, as_of, f"{unit} to date ({_fmt(start)} to {_fmt(as_of)})")

    def quarter(m: re.Match[str]) -> DateRange:
        q = int(m["q"]) if m["q"] else _ordinal(m["oq"])
        year = int(m["y"]) if m["y"] else _rel_year(m["rel"], as_of)
        return _quarter(q, year, as_of)

    def half(m: re.Match[str]) -> DateRange:
        h = int(m["h"]) if m["h"] else _ordinal(m["oh"])
        year = int(m["y"]) if m["y"] else _rel_year(m["rel"], as_of)
        return _half(h, year, as_of)

    def week_of_month(m: re.Match[str]) -> DateRange | None:
        month = MONTHS[m["m"].lower()]
        year = int(m["y"]) if m["y"] else _rel_year(m["rel"], as_of)
        rng = _named_month(month, year, as_of)
        weeks = _full_weeks(rng.start.year, month)
        which = m["o"].lower()
        index = -1 if re.fullmatch(_LAST_ORD_RE, which, _I) else _ordinal(which) - 1
        if not weeks or index >= len(weeks):
            return None
        start, end = weeks[index]
        if start > as_of:
            return None
        label = f"the {'last' if index == -1 else m['o'].lower()} week of {calendar.month_name[month]} {rng.start.year}"
        return DateRange(start, min(end, as_of), f"{label} ({_fmt(start)} to {_fmt(min(end, as_of))})")

    def iso_week(m: re.Match[str]) -> DateRange | None:
        week = int(m["n"])
        year = int(m["y"]) if m["y"] else None
        if year is None:
            year = as_of.year if week <= as_of.isocalendar().week else as_of.year - 1
        try:
            start = date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        if start > as_of:
            return None
        end = min(start + timedelta(days=6), as_of)
        return DateRange(start, end, f"week {week} of {year} ({_fmt(start)} to {_fmt(end)})")

    def month_year(m: re.Match[str]) -> DateRange:
        year = int(m["y"]) if m["y"] else _rel_year(m["rel"], as_of)
        if m["last"]:  # "last March": the latest March before the current month
            month = MONTHS[m["m"].lower()]
            year = as_of.year if month < as_of.month else as_of.year - 1
        return _named_month(MONTHS[m["m"].lower()], year, as_of)

    def year(m: re.Match[str]) -> DateRange | None:
        y = int(m["y"])
        if not 2010 <= y <= as_of.year:
            return None
        return _year_range(y, as_of)

    def single_day(m: re.Match[str]) -> DateRange | None:
        if m["iso"]:
            d = date.fromisoformat("-".join(f"{int(x):02d}" for x in m["iso"].split("-")))
        elif m["dd"]:
            d = _recent_day(int(m["dm"]), int(m["dd"]), int(m["dy"]) if m["dy"] else None, as_of)
        elif m["d"]:
            d = _recent_day(MONTHS[m["m"].lower()], int(m["d"]), int(m["y"]) if m["y"] else None, as_of)
        else:
            d = _recent_day(MONTHS[m["m2"].lower()], int(m["d2"]), int(m["y2"]) if m["y2"] else None, as_of)
        return DateRange(d, d, _fmt(d))

    def holiday(m: re.Match[str]) -> DateRange | None:
        year = int(m["y"]) if m["y"] else _rel_year(m["rel"], as_of)
        return _holiday(m["h"], year, as_of)

    def season(m: re.Match[str]) -> DateRange | None:
        word = m["s"].lower()
        which: Literal["this", "last"] = "last" if re.match(_LAST, m["det"] or "", _I) else "this"
        return season_range(which, SEASONS[word], f"{which} {word}", as_of, int(m["y"]) if m["y"] else None)

    today = DateRange(as_of, as_of, f"today ({_fmt(as_of)})")
    yesterday_day = as_of - timedelta(days=1)
    yesterday = DateRange(yesterday_day, yesterday_day, f"yesterday ({_fmt(yesterday_day)})")
    flags = _I
    rel = rf"(?:\s+{_REL_YEAR})"
    return [
        (_RANGE_RE, lambda m: _resolve_range(m, as_of)),
        (re.compile(rf"\b(?:the\s+|die\s+|der\s+|in\s+der\s+)?(?P<o>{_ORD_RE}|{_LAST_ORD_RE})\s+(?:full\s+|volle[n]?\s+)?(?:week|woche)\s+(?:of|in|im|des|vom)\s+(?P<m>{_MONTH_RE})\b\.?(?:\s+(?P<y>{_YEAR}))?{rel}?", flags), week_of_month),
        (re.compile(rf"\b(?:die\s+|der\s+|in\s+der\s+)?(?P<o>{_ORD_RE}|{_LAST_ORD_RE})\s+(?P<m>{_MONTH_RE})woche(?:\s+(?P<y>{_YEAR}))?{rel}?", flags), week_of_month),
        (re.compile(rf"\b(?:calendar\s+week|kalenderwoche|kw|cw|week|woche)\s*(?P<n>[1-9]|[1-4]\d|5[0-3])(?!\d)(?:\s*(?:/|of|,)?\s*(?P<y>{_YEAR}))?", flags), iso_week),
        (re.compile(rf"\b(?:since|seit|ab)\s+(?:the\s+)?(?:beginning of\s+|start of\s+|anfang\s+)?(?P<a>{_POINT})\b", flags), since),
        (re.compile(r"\b(?:since|from)\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?(?P<u>year|month|quarter|week)\b"
                    r"|\bseit\s+(?:dem\s+)?(?:anfang|beginn)\s+(?:des|der|dieses|diese[rs]?)\s+(?P<u2>jahr|monat|quartal|woche)[es]*\b"
                    r"|\bseit\s+(?P<u3>jahr|monat|quartal)(?:es|s)?(?:beginn|anfang)\b", flags),
         lambda m: to_date(m["u"] or m["u2"] or m["u3"])),
        (re.compile(rf"\b(?:in\s+the\s+|over\s+the\s+|for\s+the\s+|in\s+den\s+|the\s+|die\s+|der\s+)?{_LAST}\s+(?P<n>{_NUM_RE})\s+(?P<unit>{_UNIT_RE})\b", flags), last_n),
        (re.compile(r"\b(?P<u>[ymqw])td\b", flags), lambda m: to_date(m["u"])),
        (re.compile(r"\b(?P<u>year|month|quarter|week)[\s-]to[\s-]date\b", flags), lambda m: to_date(m["u"])),
        (re.compile(rf"\b(?:(?:the\s+|die\s+|den\s+|im\s+)?(?P<det>{_LAST}|{_THIS})\s+|(?:in|im|during|over)\s+(?:the\s+)?)(?P<s>{_SEASON_RE})\b(?:\s+(?P<y>{_YEAR}))?", flags), season),
        (re.compile(rf"\b(?:(?:the|die|das|der|im|in\s+der)\s+)?(?:h(?P<h>[12])|(?P<oh>first|second|1st|2nd|(?:erst|zweit)(?:e[nmrs]?)?|[12]\.)\s*(?:half|halbjahr(?:es)?|jahresh(?:ä|ae)lfte|h(?:ä|ae)lfte|hj))(?:\s*(?:of\s+|/\s*|des\s+jahres\s+)?(?P<y>{_YEAR}))?{rel}?(?!\w)", flags), half),
        (re.compile(rf"\b(?:q(?P<q>[1-4])|(?P<oq>{_ORD_RE})\s*(?:quarter|quartal))(?:\s*(?:of\s+|/\s*|des\s+jahres\s+)?(?P<y>{_YEAR}))?{rel}?", flags), quarter),
        (re.compile(rf"\b(?:(?:the\s+)?week\s+(?P<wb>before|after)\s+|(?:die\s+)?woche\s+(?P<wv>vor|nach)\s+)?(?P<h>{_HOLIDAY_RE})(?:\s+(?P<y>{_YEAR}))?{rel}?\b", flags), holiday),
        (re.compile(rf"\b(?:(?:am|on|the)\s+)?(?:{_WEEKDAY_RE})?(?:(?P<iso>\d{{4}}-\d{{1,2}}-\d{{1,2}})|(?P<dd>{_DAY})\.(?P<dm>1[0-2]|0?[1-9])\.(?P<dy>\d{{4}})?|(?P<d>{_DAY})(?:\.|st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_RE})\b\.?(?:,?\s+(?P<y>{_YEAR}))?|(?P<m2>{_MONTH_RE})\.?\s+(?P<d2>{_DAY})(?:st|nd|rd|th)?\b(?!\.\d)(?:,?\s+(?P<y2>{_YEAR}))?)", flags), single_day),
        (re.compile(rf"\b(?P<last>last\s+|letzten\s+)?(?P<m>{_MONTH_RE})\b\.?(?:\s+(?P<y>{_YEAR}))?{rel}?", flags), month_year),
        (re.compile(rf"\b{_LAST}\s+(?P<unit>week|month|quarter|year|woche|monat|quartal|jahr)\b", flags), last_unit),
        (re.compile(rf"\b{_THIS}\s+(?P<unit>week|month|quarter|year|woche|monat|quartal|jahr)\b", flags), this_unit),
        (re.compile(r"\b(?:heuer|dieses\s+jahr|im\s+laufenden\s+jahr)\b", flags), lambda m: to_date("year")),
        # 'calendar 2025', 'the full year 2025', 'das Gesamtjahr 2025', 'im Kalenderjahr 2025', 'für das
        # Jahr 2025', 'the year 2025': the year
        (re.compile(rf"\b(?:(?:in|for|of|im|für|during|over)\s+)?(?:(?:the|das|dem|im)\s+)?(?:calendar(?:\s+year)?|(?:full|whole|entire)\s+(?:calendar\s+)?year(?:\s+of)?|gesamtjahr(?:es)?|kalenderjahr(?:es)?|(?:ganze|gesamte)[ns]?\s+jahr(?:es)?|year|jahr(?:es)?)\s+(?P<y>{_YEAR})", flags), year),
        (re.compile(rf"\b(?:in|for|of|im|für|during)?\s*(?P<y>{_YEAR})", flags), year),
        # 'occupancy tonight', 'heute Nacht': tonight is today's date (a hotel night is dated by its evening)
        (re.compile(r"\b(?:heute\s+(?:nacht|abend)|tonight|today|heute|so far today)\b", flags), lambda m: today),
        (re.compile(r"\b(?:yesterday|gestern)\b", flags), lambda m: yesterday),
    ]  # fmt: skip


# Words that look like months but usually are not, when they stand alone in a retail question.
_AMBIGUOUS_MONTH_WORDS = {"may", "mai", "march", "mar", "jun", "jan", "dec", "aug", "oct", "nov", "sep", "apr",
                          "feb", "jul", "mo", "august"}  # fmt: skip
# Holidays named by one everyday word ('Christmas decoration' is a product): a period only after a
# time preposition or before a year, a bracket or the end of a clause.
_PLAIN_HOLIDAY = re.compile(r"christmas|weihnachten|x-?mas|ostern|easter|silvester|neujahr", _I)
_TIME_PREPOSITION = re.compile(
    r"(?:\b(?:on|at|over|during|for|before|after|around|am|an|zu|über|ueber|vor|nach|um|week|woche|in)\s*)$",
    _I,
)


def _accept(pattern: re.Pattern[str], m: re.Match[str], text: str) -> bool:
    groups = pattern.groupindex
    if pattern is _RANGE_RE and _change_between_periods(m, text):
        return False
    if "h" in groups and m["h"] and _PLAIN_HOLIDAY.fullmatch(m["h"]) and not (m["y"] or m["rel"]):
        after = text[m.end() :].lstrip()
        if not _TIME_PREPOSITION.search(text[: m.start("h")]) and after[:1] not in (
            "",
            "(",
            "?",
            ",",
            ".",
            "!",
            ":",
        ):
            return False
    for name in ("m", "m2", "mn"):
        if name in groups and m[name] and not (m.groupdict().get("y") or m.groupdict().get("y2")):
            word = m[name].lower()
            if word in _AMBIGUOUS_MONTH_WORDS and not _month_context(text, m, name):
                return False
    return True


def _month_context(text: str, m: re.Match[str], group: str = "m") -> bool:
    """'may' is a month only after a time preposition ('in May', 'for March') or capitalised."""
    before = text[: m.start(group)].lower().rstrip()
    word = m[group]
    return (
        before.endswith(
            (
                "in",
                "for",
                "during",
                "of",
                "im",
                "since",
                "seit",
                "from",
                "vom",
                "until",
                "to",
                "bis",
                "and",
                "und",
                "with",
                "mit",
                "vs",
                "vs.",
                "than",
                "last",
                "letzten",
            )
        )
        or bool(re.match(r"\d", text[m.start(group) - 3 : m.start(group)].strip()[-1:] or "x"))
        or (word[0].isupper() and word.lower() not in {"may", "mai"})
    )


# ---- finding the time phrases of a question ----------------------------------------------------------


def _scan(text: str, as_of: date) -> list[TimeMatch]:
    """Every time phrase, longest rule first, none overlapping another, in the order they stand."""
    found: list[TimeMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern, resolve in _rules(as_of):
        for m in pattern.finditer(text):
            span = (m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end())
            if span[0] >= span[1] or any(span[0] < e and s < span[1] for s, e in taken):
                continue
            if not _accept(pattern, m, text):
                continue
            try:
                rng = resolve(m)
            except (ValueError, KeyError, IndexError):
                continue
            if rng is None:
                continue
            if "wb" in pattern.groupindex and (m["wb"] or m["wv"]):
                after = (m["wb"] or m["wv"]).lower() in ("after", "nach")
                monday = week_start(rng.start) + timedelta(weeks=1 if after else -1)
                end = min(monday + timedelta(days=6), as_of)
                if monday > as_of:
                    continue
                rng = DateRange(monday, end, f"the week {'after' if after else 'before'} {rng.label}")
            found.append(TimeMatch(rng, span, text[span[0] : span[1]]))
            taken.append(span)
    found.sort(key=lambda t: t.span[0])
    return _merge_definitions(text, [_week_of(text, t) for t in found], as_of)


_WEEK_OF = re.compile(
    r"\b(?:the\s+|die\s+|der\s+)?(?:week|woche)\s+(?:of|starting(?:\s+on)?|beginning(?:\s+on)?|commencing|vom|ab)\s+$",
    _I,
)


def _week_of(text: str, match: TimeMatch) -> TimeMatch:
    """'the week of Monday 12 October 2026', 'die Woche vom 12. Oktober': the Monday–Sunday week
    holding that day, not the day alone."""
    lead = _WEEK_OF.search(text[: match.span[0]])
    if lead is None or match.range.start != match.range.end:
        return match
    monday = week_start(match.range.start)
    sunday = monday + timedelta(days=6)
    rng = DateRange(monday, sunday, f"the week of {monday.isoformat()} to {sunday.isoformat()}")
    return TimeMatch(rng, (lead.start(), match.span[1]), text[lead.start() : match.span[1]])


# "this season (Nov 2025–Mar 2026)": a vague period word whose dates follow in brackets
_VAGUE_PERIOD = re.compile(
    rf"\b(?:(?:the\s+|die\s+|den\s+|im\s+)?(?:{_LAST}|{_THIS}|next|nächste[nmrs]?)\s+)?(?:season|saison|collection|kollektion|sale|promotion|aktion)\s*$",
    _I,
)


def _merge_definitions(text: str, found: list[TimeMatch], as_of: date) -> list[TimeMatch]:
    """A bracket right after a period defines it: 'Black Friday last year (28 Nov 2025)', 'the week
    before Christmas (15–21 Dec)', 'this season (Nov 2025–Mar 2026)'. The dates in the bracket
    win and the words before it are consumed with them. A season defined by a month range
    ('this winter vs last winter (December to March)') is read with those months wherever it is named."""
    out: list[TimeMatch] = []
    for match in found:
        before = text[: match.span[0]]
        bracket = re.search(r"\(\s*$", before)
        if bracket is None and out and (defined := _colon_definition(text, out[-1], match)) is not None:
            out[-1] = defined  # 'over Christmas and New Year: nights from 23 December to 2 January'
            continue
        if (
            bracket is None
            and out
            and re.fullmatch(r"\s*,\s*", before[out[-1].span[1] :])
            and not re.search(r"\d", out[-1].phrase)
            and re.match(r"\d", match.phrase)
        ):
            # 'Black Friday week, 24–30 Nov 2025': a named period followed by its dates after a comma
            bracket = re.search(r",\s*$", before)
        if bracket is None:
            out.append(match)
            continue
        close = re.match(r"\s*\)", text[match.span[1] :])
        end = match.span[1] + (close.end() if close else 0)
        head = before[: bracket.start()]
        # "Black Week 2025 (…)", "im Sommer Sale (…)": at most two words between a period and its dates
        if out and re.fullmatch(r"\s*(?:[^\W\d_][\w-]*\s*){0,2}", head[out[-1].span[1] :]):
            previous = out.pop()
            season = re.search(rf"(?P<s>{_SEASON_RE})\s*$", previous.phrase, _I)
            if season and match.range.start.month != match.range.end.month:
                months = (match.range.start.month, match.range.end.month)
                word = season["s"].lower()
                out = [_redefine(t, word, months, as_of) for t in out]
                which: Literal["this", "last"] = "last" if re.search(_LAST, previous.phrase, _I) else "this"
                # 'summer 2025 (June to August)': the season of the year named, not this one
                year = previous.range.start.year if _A_YEAR.search(previous.phrase) else None
                name = f"{word} {year}" if year is not None else f"{which} {word}"
                rng = season_range(which, months, name, as_of, year) or match.range
                out.append(TimeMatch(rng, (previous.span[0], end), text[previous.span[0] : end]))
                continue
            rng = match.range
            if _A_YEAR.search(previous.phrase) and not _A_YEAR.search(match.phrase):
                # 'Black Friday 2024 (29 Nov)': the bracket's day in the year the period names
                rng = _in_year(rng, previous.range.start.year) or rng
            out.append(TimeMatch(rng, (previous.span[0], end), text[previous.span[0] : end]))
            continue
        vague = _VAGUE_PERIOD.search(head)
        start = vague.start() if vague else match.span[0]
        out.append(TimeMatch(match.range, (start, end), text[start:end]))
    return out


_A_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# 'Christmas and New Year: nights from …', 'Weihnachten: Nächte vom …': a period's words, a colon, dates
_COLON_HEAD = re.compile(
    r"\s*(?:[^\W\d_][\w'’-]*\s+){0,3}?(?:[^\W\d_][\w'’-]*)?\s*:\s*(?:[^\W\d_][\w-]*\s+){0,2}$"
)


def _colon_definition(text: str, previous: TimeMatch, match: TimeMatch) -> TimeMatch | None:
    """A period named before a colon and defined by dates after it: the dates win, and the words
    between (the period's other names: 'and New Year', 'nights') are read with them. Only a range of
    several days defines a period so."""
    between = text[previous.span[1] : match.span[0]]
    if match.range.start == match.range.end or not _COLON_HEAD.fullmatch(between):
        return None
    return TimeMatch(match.range, (previous.span[0], match.span[1]), text[previous.span[0] : match.span[1]])


def _in_year(rng: DateRange, year: int) -> DateRange | None:
    """`rng` moved by whole years so that it starts in `year` (None where a 29 February is lost)."""
    shift = year - rng.start.year
    if shift == 0:
        return rng
    try:
        start, end = (
            rng.start.replace(year=rng.start.year + shift),
            rng.end.replace(year=rng.end.year + shift),
        )
    except ValueError:
        return None
    return DateRange(start, end, f"{start.isoformat()} to {end.isoformat()}")


def _redefine(match: TimeMatch, word: str, months: tuple[int, int], as_of: date) -> TimeMatch:
    season = re.search(rf"(?P<s>{_SEASON_RE})\s*$", match.phrase, _I)
    if season is None or season["s"].lower() != word:
        return match
    which: Literal["this", "last"] = "last" if re.search(_LAST, match.phrase, _I) else "this"
    rng = season_range(which, months, f"{which} {word}", as_of)
    return TimeMatch(rng, match.span, match.phrase) if rng is not None else match


# A question about what is still to come: 'future reservations', 'on the books', 'upcoming arrivals'
AHEAD = re.compile(
    r"\b(?:future|upcoming|forthcoming|on\s+the\s+books|still\s+to\s+come|yet\s+to\s+(?:arrive|come)"
    r"|(?:zu)?künftige?[nmrs]?|bevorstehende?[nmrs]?|anstehende?[nmrs]?)\b",
    _I,
)
_BARE_MONTH = re.compile(rf"(?:(?:in|im|for|für|of)\s+)?(?:{_MONTH_RE})\.?", _I)


def _ahead(text: str, found: list[TimeMatch], as_of: date) -> list[TimeMatch]:
    """'future reservations for November arrivals', 'on the books for November': a month named
    without a year in a question about what is still to come is the next one not yet over, not the
    latest begun (November 2026 on 31 October 2026, not November 2025)."""
    if not AHEAD.search(text):
        return found
    out = []
    for t in found:
        if _BARE_MONTH.fullmatch(t.phrase.strip()) and t.range.end < as_of:
            month = t.range.start.month
            year = as_of.year if month >= as_of.month else as_of.year + 1
            t = TimeMatch(_named_month(month, year, as_of), t.span, t.phrase)
        out.append(t)
    return out


def find_time_ranges(text: str, as_of: date) -> list[TimeMatch]:
    """All time phrases of `text` in order, spans in the original text (typos corrected on the way)."""
    normalised, back = normalise_time_words(text)
    found = _ahead(normalised, _scan(normalised, as_of), as_of)
    if normalised is text:
        return found
    out = []
    for t in found:
        start, end = back(t.span[0]), back(t.span[1])
        out.append(TimeMatch(t.range, (start, end), text[start:end].strip()))
    return out


def find_time_range(text: str, as_of: date) -> TimeMatch | None:
    """The first time phrase in `text`, resolved against `as_of`."""
    found = find_time_ranges(text, as_of)
    return found[0] if found else None


# ---- two periods set against each other -------------------------------------------------------------

_PAIR_MARKER = re.compile(
    r"\b(?:vs\.?|versus|compared?(?:\s+(?:to|with))?|against|than|gegen(?:über)?|verglichen|vergleich(?:e|en)?"
    r"|im\s+vergleich|relative\s+to)\b|\bvs\.?(?=\s|$)",
    _I,
)


@dataclass(frozen=True)
class PeriodPair:
    """Two periods a question compares: `current` (the later) and `against` (the earlier)."""

    current: TimeMatch
    against: TimeMatch


_SAME_DATES_IN = re.compile(
    r"\b(?:the\s+|den\s+|die\s+|dem\s+)?(?:same|gleiche[nmrs]?|selbe[nmrs]?)\s+"
    r"(?:dates?|days?|period|time|week|weeks|tage[n]?|zeitraum|woche)\s*$",
    _I,
)


# 'von Q2 2025 auf Q2 2026', 'from 2024 to 2025' after a change verb: where a figure went from one
# period to the next — two periods set against each other, not one span
_CHANGE_VERB = re.compile(
    r"\b(?:develop\w*|chang(?:e|ed|es|ing)|evolv\w*|gr[eo]w\w*|entwickel\w*|entwickelt|veränder\w*|"
    r"gewachsen|gestiegen|gesunken|gefallen)\b",
    _I,
)
_FROM_BEFORE = re.compile(r"\b(?:from|von|vom)\s+(?:the\s+|dem\s+)?$", _I)


def _from_one_to_the_other(text: str, first: TimeMatch, second: TimeMatch) -> bool:
    """'von Q2 2025 auf Q2 2026' ('auf', 'zu' never join a span), or 'from Q2 2025 to Q2 2026' with a
    change verb ('how did … develop'): the change from the first period to the second."""
    if _FROM_BEFORE.search(text[: first.span[0]]) is None:
        return False
    between = text[first.span[1] : second.span[0]].strip().lower()
    if between in ("auf", "zu"):
        return True
    return between == "to" and _CHANGE_VERB.search(text) is not None


def _change_between_periods(m: re.Match[str], text: str) -> bool:
    """A span 'from <quarter or year> to <another of the same kind>' after a change verb is two
    periods set against each other (`_from_one_to_the_other`), never one span; months and days stay
    a span ('how did sales develop from January to March' is the months between)."""
    if (m["pre"] or "").lower() not in ("from", "von", "vom") or m["conn"].lower() != "to":
        return False
    a, b = _point(m, "a"), _point(m, "b")
    if (
        a is None
        or b is None
        or a.day is not None
        or b.day is not None
        or a.month is not None
        or b.month is not None
    ):
        return False
    if (a.quarter is None) != (b.quarter is None):
        return False
    return _CHANGE_VERB.search(text) is not None


# 'im September 2026 und wie viele im September 2025', 'in Q3 and in Q2', 'for 2025, and how much for
# 2024': the same figure asked of a second period — two periods set against each other, never the first
# alone with the second silently dropped (the answer showed one month's sessions for both)
_ASKED_AGAIN_FOR = re.compile(
    r"\s*,?\s*(?:and|und|sowie)(?:\s+(?:how\s+(?:many|much)|wie\s+viele?|what\s+about|what|was|also|auch))?"
    r"(?:\s+(?:in|im|for|f(?:ü|ue)r|during|over|the|den|dem|der|die))*\s*",
    _I,
)


def find_period_pair(text: str, matches: list[TimeMatch]) -> PeriodPair | None:
    """'December compared with November', 'Q2 vs Q1', 'compare March with February': two periods
    joined by a comparison word (or after 'compare'). The later one is the period asked about."""
    if len(matches) < 2:
        return None
    first, second = matches[0], matches[1]
    between = text[first.span[1] : second.span[0]]
    if not (
        _PAIR_MARKER.search(between)
        or _PAIR_MARKER.search(text[: first.span[0]])
        or _from_one_to_the_other(text, first, second)
        or _ASKED_AGAIN_FOR.fullmatch(between)
    ):
        return None
    if len(between) > 60:
        return None
    same = _SAME_DATES_IN.search(text[: second.span[0]])
    if same is not None and _A_YEAR.fullmatch(second.phrase.split()[-1]) and second.range.start.month == 1:
        # '24–30 Nov 2025 vs the same dates in 2024': the first period's days in the year named
        moved = _in_year(first.range, second.range.start.year)
        if moved is not None:
            second = TimeMatch(moved, second.span, second.phrase)
    if second.range.start > first.range.start:
        first, second = second, first
    return PeriodPair(first, second)


# ---- shifts of a previous period (follow-ups) -----------------------------------------------------

_UNIT_OF = {"day": "day", "tag": "day", "week": "week", "woche": "week", "month": "month", "monat": "month",
            "quarter": "quarter", "quartal": "quarter", "year": "year", "jahr": "year"}  # fmt: skip
_SHIFT_UNIT = r"(?P<u>day|week|month|quarter|year|tag|woche|monat|quartal|jahr)(?:e?s)?"
_SHIFTS: tuple[tuple[re.Pattern[str], int], ...] = (
    # same period one year back: "same period last year", "im gleichen Monat letztes Jahr", "des Vorjahres"
    (re.compile(r"\b(?:the\s+|das\s+|den\s+|im\s+|in\s+the\s+)?(?:same|gleiche[nmrs]?|selbe[nmrs]?)\s+(?:thing\s+|period\s+|time\s+|days\s+|zeitraum\s+|month\s+|week\s+|quarter\s+|monat\s+|woche\s+|quartal\s+)?"
                r"(?:of\s+|in\s+|des\s+|im\s+)?(?:(?:the\s+)?(?:last|previous|prior)\s+year|a\s+year\s+(?:ago|earlier|before)|"
                r"letzte[ns]?\s+jahr(?:es)?|vergangene[ns]?\s+jahr(?:es)?|vorjahr(?:es)?)", _I), -12),
    (re.compile(r"\b(?:a|one|1|ein(?:e[nm]?)?)\s+(?P<u>year|month|week|quarter|day|jahr|monat|woche|quartal|tag)\s+"
                r"(?:earlier|before|ago|prior|back|früher|frueher|zuvor|vorher|davor)\b", _I), -1),
    (re.compile(r"\b(?:a|one|1|ein(?:e[nm]?)?)\s+(?P<u>year|month|week|quarter|day|jahr|monat|woche|quartal|tag)\s+"
                r"(?:later|after|später|spaeter|danach)\b", _I), 1),
    (re.compile(rf"\b(?:the\s+|die\s+|den\s+|der\s+|das\s+|im\s+)?{_SHIFT_UNIT}\s+(?:before|prior|earlier|davor|zuvor|vorher)\b", _I), -1),
    (re.compile(rf"\b(?:the\s+|die\s+|den\s+|der\s+|das\s+|im\s+)?(?:previous|prior|preceding|vorige[nmrs]?|vorherige[nmrs]?)\s+{_SHIFT_UNIT}\b", _I), -1),
    (re.compile(rf"\b(?:the\s+|die\s+|den\s+|der\s+|das\s+|im\s+)?{_SHIFT_UNIT}\s+(?:after|later|danach|darauf|später|spaeter)\b", _I), 1),
    (re.compile(rf"\b(?:the\s+|die\s+|den\s+|der\s+|das\s+|im\s+)?(?:next|following|folgende[nmrs]?|nächste[nmrs]?|naechste[nmrs]?)\s+{_SHIFT_UNIT}\b", _I), 1),
    (re.compile(r"\b(?:im\s+|in\s+der\s+|des\s+)?vor(?P<u>jahr|monat|woche|quartal)(?:es|s)?\b", _I), -1),
)  # fmt: skip


@dataclass(frozen=True)
class Shift:
    """A move of the previous answer's period: `n` periods of `unit` (−1: the one before)."""

    unit: Grain
    n: int
    span: tuple[int, int]
    phrase: str


def find_shift(text: str) -> Shift | None:
    """'and the month before?', 'same thing a year earlier?', 'und die Woche davor?', 'im Vorjahr'."""
    for pattern, n in _SHIFTS:
        m = pattern.search(text)
        if m is None:
            continue
        if n == -12:
            unit: Grain = "year"
            n = -1
        else:
            unit = _UNIT_OF[m["u"].lower()]  # type: ignore[assignment]
        return Shift(unit, n, m.span(), m.group(0))
    return None
