"""Execution accuracy: does the assistant's result table hold the same answer as the gold SQL's?

As the text-to-SQL literature scores it (Spider/BIRD execution accuracy, test-suite accuracy):
the rows are compared, not the SQL text, so any correct query counts. Column names and order are
ignored and extra columns are allowed — every gold column must be found among the predicted
columns by its values — because an answer that adds "change %" to a comparison is still right.
Rows are a multiset unless the question asks for an order (a ranking), numbers meet within a
tolerance (cents and float noise, not different answers), and dates meet whatever their type.

When the strict comparison fails, the answer's table is tried again in the other layouts that
hold the same answer (eval/layouts.py), unless the run asks for the strict judge with
MERCURIOS_EVAL_JUDGE=strict (`equivalent_layouts=False`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from eval import layouts
from eval.values import ISO_DAY, Row, Value, sort_key

_MAX_ASSIGNMENTS = 2000


@dataclass(frozen=True)
class Tolerance:
    """Numbers are equal within `rel` (float noise) or `abs` (rounding to cents). The absolute
    tolerance only applies to magnitudes of at least 1: below that are rates and shares, where
    0.01 would be a whole percentage point — a different answer, not a rounding."""

    rel: float = 1e-6
    abs: float = 0.01
    abs_small: float = 1e-6

    def close(self, a: float, b: float) -> bool:
        scale = max(abs(a), abs(b))
        absolute = self.abs if scale >= 1 else self.abs_small
        return abs(a - b) <= max(self.rel * scale, absolute)


@dataclass(frozen=True)
class Verdict:
    match: bool
    reason: str = ""


def normalise(value: object) -> Value:
    """One comparable form per value: Decimal/int → float, date/timestamp/ISO text → 'YYYY-MM-DD'
    (with the time only when it is not midnight), NaN → None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | decimal.Decimal):
        f = float(value)
        return None if math.isnan(f) else f
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.utcoffset() in (None, dt.timedelta(0)):
            return value.date().isoformat()
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    m = ISO_DAY.match(text.strip())
    return m.group(1) if m else text


def normalise_rows(rows: Sequence[Sequence[object]]) -> list[Row]:
    """Normalised rows; rows of nothing but NULLs are dropped, so that 'no rows' and 'one row of
    NULLs' (an aggregate over nothing) both mean: no data."""
    out = [tuple(normalise(v) for v in r) for r in rows]
    return [r for r in out if any(v is not None for v in r)]


def values_equal(a: Value, b: Value, tol: Tolerance) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, float) and isinstance(b, float):
        return tol.close(a, b)
    return a == b


def _column_matches(gold: Sequence[Value], pred: Sequence[Value], tol: Tolerance) -> bool:
    """Same multiset of values (sorted, then pairwise within tolerance)."""
    return all(
        values_equal(a, b, tol)
        for a, b in zip(sorted(gold, key=sort_key), sorted(pred, key=sort_key), strict=True)
    )


def _rows_equal(a: Row, b: Row, tol: Tolerance) -> bool:
    return all(values_equal(x, y, tol) for x, y in zip(a, b, strict=True))


def _multiset_equal(gold: list[Row], pred: list[Row], tol: Tolerance) -> bool:
    """Greedy pairing after a canonical sort; tolerance makes hashing unusable."""
    pred_sorted = sorted(pred, key=lambda r: tuple(sort_key(v) for v in r))
    gold_sorted = sorted(gold, key=lambda r: tuple(sort_key(v) for v in r))
    if all(_rows_equal(g, p, tol) for g, p in zip(gold_sorted, pred_sorted, strict=True)):
        return True
    unused = list(pred_sorted)
    for g in gold_sorted:
        for i, p in enumerate(unused):
            if _rows_equal(g, p, tol):
                del unused[i]
                break
        else:
            return False
    return True


def _ordered_equal(gold: list[Row], pred: list[Row], tol: Tolerance) -> bool:
    """Row by row; where the key (first gold column) differs, the rows must tie on everything
    else — two stores with equal sales may come in either order."""
    if not _multiset_equal(gold, pred, tol):
        return False
    if gold and len(gold[0]) == 1:
        return all(_rows_equal(g, p, tol) for g, p in zip(gold, pred, strict=True))
    return all(_rows_equal(g[1:], p[1:], tol) for g, p in zip(gold, pred, strict=True))


def compare_results(
    gold_rows: Sequence[Sequence[object]],
    pred_columns: Sequence[str],
    pred_rows: Sequence[Sequence[object]],
    *,
    ordered: bool = False,
    tol: Tolerance | None = None,
    equivalent_layouts: bool = True,
) -> Verdict:
    """Whether the predicted table answers what the gold rows answer (see module docstring)."""
    tol = tol or Tolerance()
    gold = normalise_rows(gold_rows)
    pred = normalise_rows(pred_rows)
    verdict = _compare(gold, pred, ordered=ordered, tol=tol)
    if verdict.match or not equivalent_layouts:
        return verdict
    for how, golds, rows, keeps_order in layouts.alternatives(list(pred_columns), pred, gold):
        if any(_compare(g, rows, ordered=ordered and keeps_order, tol=tol).match for g in golds):
            return Verdict(True, f"equivalent layout: {how}")
    return verdict


def _compare(gold: list[Row], pred: list[Row], *, ordered: bool, tol: Tolerance) -> Verdict:
    if len(gold) != len(pred):
        return Verdict(False, f"{len(pred)} rows, expected {len(gold)}")
    if not gold:
        return Verdict(True)
    n_gold, n_pred = len(gold[0]), len(pred[0])
    gold_cols = [[r[j] for r in gold] for j in range(n_gold)]
    pred_cols = [[r[k] for r in pred] for k in range(n_pred)]
    candidates = [[k for k in range(n_pred) if _column_matches(gold_cols[j], pred_cols[k], tol)]
                  for j in range(n_gold)]  # fmt: skip
    missing = [j for j, c in enumerate(candidates) if not c]
    if missing:
        j = missing[0]
        shown = ", ".join(_show(v) for v in gold_cols[j][:3])
        return Verdict(False, f"no column holds the values of gold column {j + 1} ({shown}…)")
    tried = 0
    for assignment in itertools.product(*candidates):
        if len(set(assignment)) != len(assignment):
            continue
        tried += 1
        if tried > _MAX_ASSIGNMENTS:
            break
        projected = [tuple(r[k] for k in assignment) for r in pred]
        if (_ordered_equal if ordered else _multiset_equal)(gold, projected, tol):
            return Verdict(True)
    if ordered:
        assignment = tuple(c[0] for c in candidates)
        projected = [tuple(r[k] for k in assignment) for r in pred]
        if _multiset_equal(gold, projected, tol):
            return Verdict(False, "right rows, wrong order")
    return Verdict(False, "every column has its values, but they are paired into different rows")


def _show(v: Value) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return repr(v)


def summarise(rows: Sequence[Sequence[object]], limit: int = 3) -> str:
    """A table in one short line, for a report of misses."""
    shown = ["(" + ", ".join(_show(normalise(v)) for v in r) + ")" for r in rows[:limit]]
    more = f" … {len(rows)} rows" if len(rows) > limit else ""
    return ("[" + " ".join(shown) + "]" + more) if rows else "[no rows]"


def plan_matches(expected: object, actual: object) -> bool:
    """The secondary score: every key the case gives has the same value in the plan (a partial
    match — a case pins what matters, e.g. the metric and the filter, not every default). Lists
    compare as sets where the question does not order them (group_by, filter values)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and plan_matches(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return False
        remaining = list(actual)
        for item in expected:
            hit = next((i for i, a in enumerate(remaining) if plan_matches(item, a)), None)
            if hit is None:
                return False
            del remaining[hit]
        return True
    return normalise(expected) == normalise(actual)  # YAML dates vs the plan's ISO strings
