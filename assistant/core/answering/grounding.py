"""The numeric grounding check: every number in a narrative must come from the result.

An LLM may write "net sales rose 12 %" when the table says 4.2 %. We extract every number from
the narrative and accept it only if it matches a number derivable from the result — a cell, a
previous value, a change, a % change, a share, a row count, a sum, a rank, and for a two-dimension
result a series' total or average and the change between its complete periods — within rounding.
Dates are grounded as dates: one the result does not hold (nor the period's bounds) is ungrounded.
One ungrounded number and the narrative is replaced by the template.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.core.answering.result_view import ResultView
from assistant.core.answering.two_dimensions import derived_facts

# 1.234.567,89 | 1,234,567.89 | 1’234 | 42.1 | 42,1 | -3 — with an optional % or k/M suffix
NUMBER_PATTERN = re.compile(
    r"(?<![\w.])[-+−]?\d[\d.,’' ]*\d(?:\s?%|\s?[kKmM]\b)?|(?<![\w.])[-+−]?\d(?:\s?%)?"
)


# Dates as the narratives write them in the tenant locales: 2026-09-01, 07.09.2026, 9/7/26, Sep 7, 2026.
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![\w.])(\d{4})-(\d{2})-(\d{2})(?![\w])"), "ymd"),
    (re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)"), "dmy"),
    (re.compile(r"(?<![\w./])(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?![\w/])"), "mdy"),
    (re.compile(r"\b(" + "|".join(_MONTHS) + r")[a-z]*\.? (\d{1,2}), (\d{4})\b", re.IGNORECASE), "Mdy"),
)


def _date_of(match: re.Match[str], order: str) -> dt.date | None:
    a, b, c = match.group(1), match.group(2), match.group(3)
    try:
        if order == "ymd":
            return dt.date(int(a), int(b), int(c))
        if order == "dmy":
            return dt.date(int(c), int(b), int(a))
        if order == "mdy":
            year = int(c) + (2000 if len(c) == 2 else 0)
            return dt.date(year, int(a), int(b))
        return dt.date(int(c), _MONTHS.index(a[:3].lower()) + 1, int(b))
    except ValueError:
        return None


def _result_dates(view: ResultView) -> set[dt.date]:
    days = {d for d in (view.plan.period.start, view.plan.period.end) if d is not None}
    for row in view.rows:
        for cell in row:
            if isinstance(cell, dt.datetime):
                days.add(cell.date())
            elif isinstance(cell, dt.date):
                days.add(cell)
    return days


def _dates_removed(narrative: str, view: ResultView, bad: list[str]) -> str:
    """The narrative with every written date blanked out; a date that is not one of the result's
    dates (or the period's bounds) is reported as ungrounded instead of read as numbers."""
    known = _result_dates(view)
    for pattern, order in DATE_PATTERNS:

        def blank(match: re.Match[str], order: str = order) -> str:
            if _date_of(match, order) not in known:
                bad.append(match.group(0))
            return " " * len(match.group(0))

        narrative = pattern.sub(blank, narrative)
    return narrative


@dataclass(frozen=True)
class GroundingReport:
    ok: bool
    ungrounded: tuple[str, ...]


def parse_number(token: str) -> tuple[float, bool, float] | None:
    """(value, is_percent, scale) for a number as written in any of the tenant locales."""
    t = token.strip().replace("−", "-").replace("’", "").replace("'", "").replace(" ", "")
    percent = t.endswith("%")
    scale = 1.0
    if t[-1:] in "kK":
        scale, t = 1e3, t[:-1]
    elif t[-1:] in "mM":
        scale, t = 1e6, t[:-1]
    t = t.rstrip("%")
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    elif "," in t:
        head, _, tail = t.rpartition(",")
        t = head.replace(",", "") + ("." + tail if len(tail) != 3 else tail)
    elif t.count(".") > 1 or (t.count(".") == 1 and len(t.rpartition(".")[2]) == 3 and len(t) > 4):
        t = t.replace(".", "")
    try:
        return float(t) * scale, percent, scale
    except ValueError:
        return None


def _facts(view: ResultView) -> set[float]:
    facts: set[float] = {float(len(view.rows))}
    columns: dict[int, list[float]] = {}
    for row in view.rows:
        for i, cell in enumerate(row):
            if isinstance(cell, bool) or cell is None:
                continue
            if isinstance(cell, dt.date | dt.datetime):
                facts.update({float(cell.year), float(cell.month), float(cell.day)})
                continue
            try:
                value = float(cell)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                facts.update(float(n) for n in re.findall(r"\d+", str(cell)))
                continue
            facts.add(value)
            columns.setdefault(i, []).append(value)
    for values in columns.values():
        facts.add(sum(values))
        facts.add(sum(values) / len(values))
    for day in (view.plan.period.start, view.plan.period.end):
        if day is not None:
            facts.update({float(day.year), float(day.month), float(day.day)})
    facts.update(float(n) for n in range(0, 11))  # small counts ("top 3", "2 stores")
    # a two-dimension result read as series: series totals and averages, per-period totals and the
    # changes between complete periods (what the template's trend sentence states)
    facts.update(derived_facts(view))
    return facts


def numbers_close(a: float, b: float, scale: float) -> bool:
    tolerance = max(0.006, abs(b) * 0.0051, 0.5 * scale if scale > 1 else 0.0)
    return abs(a - b) <= tolerance


def check_grounding(narrative: str, view: ResultView) -> GroundingReport:
    facts = _facts(view)
    bad: list[str] = []
    narrative = _dates_removed(narrative, view, bad)
    for m in NUMBER_PATTERN.finditer(narrative):
        parsed = parse_number(m.group(0))
        if parsed is None:
            continue
        value, percent, scale = parsed
        candidates = [value / 100.0, value] if percent else [value]
        if not any(numbers_close(c, f, scale) for c in candidates for f in facts):
            bad.append(m.group(0).strip())
    return GroundingReport(ok=not bad, ungrounded=tuple(bad))
