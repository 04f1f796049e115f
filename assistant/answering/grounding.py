"""The numeric grounding check: every number in a narrative must come from the result.

An LLM may write "net sales rose 12 %" when the table says 4.2 %. We extract every number from
the narrative and accept it only if it matches a number derivable from the result — a cell, a
previous value, a change, a % change, a share, a row count, a sum, a rank — within rounding.
One ungrounded number and the narrative is replaced by the template.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.answering.result_view import ResultView

# 1.234.567,89 | 1,234,567.89 | 1’234 | 42.1 | 42,1 | -3 — with an optional % or k/M suffix
NUMBER_PATTERN = re.compile(
    r"(?<![\w.])[-+−]?\d[\d.,’' ]*\d(?:\s?%|\s?[kKmM]\b)?|(?<![\w.])[-+−]?\d(?:\s?%)?"
)


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
    return facts


def numbers_close(a: float, b: float, scale: float) -> bool:
    tolerance = max(0.006, abs(b) * 0.0051, 0.5 * scale if scale > 1 else 0.0)
    return abs(a - b) <= tolerance


def check_grounding(narrative: str, view: ResultView) -> GroundingReport:
    facts = _facts(view)
    bad: list[str] = []
    for m in NUMBER_PATTERN.finditer(narrative):
        parsed = parse_number(m.group(0))
        if parsed is None:
            continue
        value, percent, scale = parsed
        candidates = [value / 100.0, value] if percent else [value]
        if not any(numbers_close(c, f, scale) for c in candidates for f in facts):
            bad.append(m.group(0).strip())
    return GroundingReport(ok=not bad, ungrounded=tuple(bad))
