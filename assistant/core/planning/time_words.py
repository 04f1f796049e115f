"""Time words with calendars of their own: named days (Black Friday, Christmas, Easter …), seasons,
and the typing slips of time words ('last wek', 'letzen Monat'), corrected before parsing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal

from dateutil.easter import easter as dateutil_easter  # type: ignore[import-untyped]
from stop_words import get_stop_words

from assistant.core.planning.time_periods import MONTHS, DateRange, _fmt, month_end, week_start

_I = re.IGNORECASE


# ---- named days: holidays retailers plan around -----------------------------------------------


def _black_friday(year: int) -> date:
    """The day after the fourth Thursday of November."""
    november = date(year, 11, 1)
    first_thursday = november + timedelta(days=(3 - november.weekday()) % 7)
    return first_thursday + timedelta(weeks=3, days=1)


def _easter(year: int) -> date:
    return dateutil_easter(year)


# name → (first day, last day) for a year; conventions documented in planning/README.md
_HOLIDAYS: tuple[tuple[str, object], ...] = (
    (
        r"black\s+(?:friday\s+)?week",
        lambda y: (week_start(_black_friday(y)), week_start(_black_friday(y)) + timedelta(days=6)),
    ),
    (r"black\s+friday", lambda y: (_black_friday(y), _black_friday(y))),
    (r"cyber\s+monday", lambda y: (_black_friday(y) + timedelta(days=3),) * 2),
    (r"christmas\s+eve|heilig(?:er)?\s*abend", lambda y: (date(y, 12, 24),) * 2),
    (r"christmas\s+day|(?:1\.|erste[rn]?)\s+weihnachts(?:feier)?tag", lambda y: (date(y, 12, 25),) * 2),
    (r"boxing\s+day|(?:2\.|zweite[rn]?)\s+weihnachts(?:feier)?tag", lambda y: (date(y, 12, 26),) * 2),
    (r"christmas|weihnachten|x-?mas", lambda y: (date(y, 12, 24), date(y, 12, 26))),
    (r"new\s+year'?s\s+eve|silvester", lambda y: (date(y, 12, 31),) * 2),
    (r"new\s+year'?s(?:\s+day)?|neujahr(?:stag)?", lambda y: (date(y, 1, 1),) * 2),
    (r"valentine'?s(?:\s+day)?|valentinstag", lambda y: (date(y, 2, 14),) * 2),
    (r"good\s+friday|karfreitag", lambda y: (_easter(y) - timedelta(days=2),) * 2),
    (r"easter\s+monday|ostermontag", lambda y: (_easter(y) + timedelta(days=1),) * 2),
    (r"easter(?:\s+sunday)?|ostersonntag|ostern", lambda y: (_easter(y),) * 2),
)
_HOLIDAY_RE = "|".join(f"(?:{p})" for p, _ in _HOLIDAYS)


def _holiday(name: str, year: int | None, as_of: date) -> DateRange | None:
    for pattern, days in _HOLIDAYS:
        if re.fullmatch(pattern, name, _I):
            if year is None:  # the most recent one that has begun
                year = as_of.year if days(as_of.year)[0] <= as_of else as_of.year - 1  # type: ignore[operator]
            start, end = days(year)  # type: ignore[operator]
            if start > as_of:
                return None
            label = " ".join(w.capitalize() for w in name.split())
            return DateRange(
                start, min(end, as_of), f"{label} {year} ({_fmt(start)} to {_fmt(min(end, as_of))})"
            )
    return None


# ---- seasons ------------------------------------------------------------------------------------

# meteorological seasons (first month, last month); winter runs over the turn of the year
SEASONS: dict[str, tuple[int, int]] = {
    "winter": (12, 2), "spring": (3, 5), "frühling": (3, 5), "fruehling": (3, 5), "frühjahr": (3, 5),
    "fruehjahr": (3, 5), "summer": (6, 8), "sommer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
    "herbst": (9, 11),
}  # fmt: skip
_SEASON_RE = "|".join(sorted(SEASONS, key=len, reverse=True))


def _season_span(first_month: int, last_month: int, start_year: int) -> tuple[date, date]:
    end_year = start_year + (1 if last_month < first_month else 0)
    return date(start_year, first_month, 1), month_end(end_year, last_month)


def season_range(
    which: Literal["this", "last"], months: tuple[int, int], name: str, as_of: date, year: int | None = None
) -> DateRange | None:
    """'this winter' = the one containing as_of, else the latest that has begun; 'last winter' = the
    latest that has ended and is not 'this' one. A year names the season that starts in it."""
    first_month, last_month = months
    if year is not None:
        start, end = _season_span(first_month, last_month, year)
    else:
        candidates = [_season_span(first_month, last_month, y) for y in range(as_of.year - 2, as_of.year + 1)]
        begun = [c for c in candidates if c[0] <= as_of]
        current = next((c for c in begun if c[0] <= as_of <= c[1]), None)
        if which == "this":
            start, end = current or begun[-1]
        else:
            ended = [c for c in begun if c[1] < as_of and c != current]
            if current is not None and current[1] == as_of:
                ended = [c for c in ended if c != current]
            start, end = ended[-1]
    if start > as_of:
        return None
    end = min(end, as_of)
    return DateRange(start, end, f"{name} ({_fmt(start)} to {_fmt(end)})")


# ---- typing slips and abbreviations of time words -------------------------------------------------

_ABBREVIATIONS = {"wk": "week", "wks": "weeks", "mth": "month", "mths": "months", "mnths": "months",
                  "mos": "months", "qtr": "quarter", "qtrs": "quarters", "yr": "year", "yrs": "years"}  # fmt: skip
_TIME_UNITS = ("week", "month", "quarter", "year", "day", "woche", "monat", "quartal", "jahr", "tage", "wochen",
               "monate", "monaten")  # fmt: skip
_TIME_DETERMINERS = ("last", "this", "past", "previous", "letzte", "letzten", "letzter", "letztes", "dieses",
                     "diesen", "diese", "vergangenen", "vergangene", "vorigen")  # fmt: skip
_TIME_VOCABULARY = frozenset((*_TIME_UNITS, *_TIME_DETERMINERS, *(k for k in MONTHS if len(k) > 4)))
# everyday words one slip away from a time word, never corrected
_NOT_TYPOS = frozenset({"weak", "week", "these", "those", "least", "lost", "list", "mouth", "mont", "tear",
                        "yeah", "dies", "diesel", "letter", "latest", "lasts", "mast", "fast", "vast",
                        "yearly", "monthly", "weekly", "daily", "days", "dayz"})  # fmt: skip


_KEEP = _NOT_TYPOS | frozenset(get_stop_words("en")) | frozenset(get_stop_words("de"))


def _neighbour_is_time(words: list[str], i: int) -> bool:
    near = [w for w in (words[i - 1] if i > 0 else "", words[i + 1] if i + 1 < len(words) else "")]
    return any(w in _TIME_VOCABULARY or w.isdigit() for w in near)


def normalise_time_words(text: str) -> tuple[str, Callable[[int], int]]:
    """`text` with abbreviated or misspelt time words spelled out ('last wek' → 'last week', 'sales
    last yr' → 'sales last year', 'letzen Monat' → 'letzten Monat'), and a map from an offset in the
    new text back to the original. A word is corrected only next to another time word or a number
    and only when it is one slip (difflib ≥ 0.75) from exactly one time word."""
    tokens = list(re.finditer(r"[^\W\d_]+", text))
    words = [t.group(0).lower() for t in tokens]
    replacements: list[tuple[int, int, str]] = []
    for i, (tok, word) in enumerate(zip(tokens, words, strict=True)):
        new: str | None = None
        if word in _ABBREVIATIONS:
            new = _ABBREVIATIONS[word]
        elif (
            len(word) >= 3
            and word not in _TIME_VOCABULARY
            and word not in _KEEP
            and word not in MONTHS
            and _neighbour_is_time(words, i)
        ):
            close = [
                c
                for c in difflib.get_close_matches(word, _TIME_VOCABULARY, n=2, cutoff=0.75)
                if abs(len(c) - len(word)) <= (1 if len(word) < 5 else 2)
            ]
            if close and (len(close) == 1 or close[0][:3] == close[1][:3]) and _neighbour_is_time(words, i):
                new = close[0]
        if new is not None:
            replacements.append((tok.start(), tok.end(), new))
            words[i] = new
    if not replacements:
        return text, lambda pos: pos
    pieces: list[str] = []
    anchors: list[tuple[int, int]] = []  # (offset in new text, offset in original) at each edit's edges
    last = 0
    for start, end, new in replacements:
        pieces.append(text[last:start])
        at = sum(map(len, pieces))
        anchors += [(at, start), (at + len(new), end)]
        pieces.append(new)
        last = end
    expanded = "".join(pieces) + text[last:]

    def back(pos: int) -> int:
        delta = 0
        for new_at, orig_at in anchors:
            if new_at <= pos:
                delta = orig_at - new_at
        return max(0, min(len(text), pos + delta))

    return expanded, back


def period_after(text: str) -> re.Pattern[str]:
    """The date word said with the period right after it ('arrival date in November', 'Anreisedatum
    im November', 'delivery date last week'), not listed as a column ('(name and send date)')."""
    return re.compile(
        rf"\b{re.escape(text)}\s+(?:in|im|during|for|from|between|within|on|am|vom|von|zwischen|"
        r"innerhalb|this|last|next|dies(?:e[snmr]?)?|letzte[nmr]?|vorige[nmr]?|nächste[nmr]?|kommende[nmr]?)\b",
        re.IGNORECASE,
    )
