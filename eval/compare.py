"""Execution accuracy: does the assistant's result table hold the same answer as the gold SQL's?

As the text-to-SQL literature scores it (Spider/BIRD execution accuracy, test-suite accuracy):
the rows are compared, not the SQL text, so any correct query counts. Column names and order are
ignored and extra columns are allowed — every gold column must be found among the predicted
columns by its values — because an answer that adds "change %" to a comparison is still right.
Rows are a multiset unless the question asks for an order (a ranking), numbers meet within a
tolerance (cents and float noise, not different answers), and dates meet whatever their type.

Two layouts of the same answer are equivalent (`equivalent_layouts`, on unless the run asks for
the strict judge with MERCURIOS_EVAL_JUDGE=strict):
- A comparison of two periods as one row per group with `<m>`, `<m>__comparison`, `<m>__change`,
  `<m>__change_pct` holds the same answer as one row per group and period: the row is unpivoted
  into the current period's values and the comparison period's (always the earlier one: the
  previous period or the same period a year before). A gold column naming the two periods
  (years, dates, labels with a year) is read as earlier/later, so each period's values must meet
  that period's gold row — swapped periods, a wrong value, a missing period or group still fail.
- Rows whose every figure is 0 or NULL that the gold leaves out ('no-shows by hotel' listing a
  hotel with none): a group with nothing is what a GROUP BY over facts omits. Only the answer's
  extra rows of nothing may go, and only when the gold itself lists no such row — where the gold
  lists zeros they are part of its answer.
- A group named by another name of the same thing: the answer's 'Zürich' where the gold's row is
  'Casa Living Zürich' (a city for its one store, a store for its city). Only when each of the
  answer's names sits, as whole words, in exactly one of the gold column's names and no two share
  one — a city with two stores sums them, so its rows and figures differ and it still fails.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

Value = str | float | bool | None
Row = tuple[Value, ...]

_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:[+-]00:?00|Z)?)?$")
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
    m = _ISO_DAY.match(text.strip())
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


def _sort_key(v: Value) -> tuple[int, float, str]:
    if v is None:
        return (0, 0.0, "")
    if isinstance(v, bool):
        return (1, float(v), "")
    if isinstance(v, float):
        return (2, v, "")
    return (3, 0.0, v)


def _column_matches(gold: Sequence[Value], pred: Sequence[Value], tol: Tolerance) -> bool:
    """Same multiset of values (sorted, then pairwise within tolerance)."""
    return all(
        values_equal(a, b, tol)
        for a, b in zip(sorted(gold, key=_sort_key), sorted(pred, key=_sort_key), strict=True)
    )


def _rows_equal(a: Row, b: Row, tol: Tolerance) -> bool:
    return all(values_equal(x, y, tol) for x, y in zip(a, b, strict=True))


def _multiset_equal(gold: list[Row], pred: list[Row], tol: Tolerance) -> bool:
    """Greedy pairing after a canonical sort; tolerance makes hashing unusable."""
    pred_sorted = sorted(pred, key=lambda r: tuple(_sort_key(v) for v in r))
    gold_sorted = sorted(gold, key=lambda r: tuple(_sort_key(v) for v in r))
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
    layouts = _layouts(list(pred_columns), pred, gold)
    for how, cols, rows in [("as given", list(pred_columns), pred), *list(layouts)]:
        layouts += [(f"{how}, {named}", cols, renamed) for named, renamed in _renamed(rows, gold)]
    for how, _columns, rows in layouts:
        golds = [gold] + (_period_ranked(gold) if how.startswith("comparison") else [])
        if any(_compare(g, rows, ordered=ordered and not how.startswith("comparison"), tol=tol).match
               for g in golds):  # fmt: skip
            return Verdict(True, f"equivalent layout: {how}")
    return verdict


_FIGURE_SUFFIXES = ("__comparison", "__change", "__change_pct", "__share")
_PERIOD = "__period"
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def _is_figure(name: str, values: Sequence[Value]) -> bool:
    """A measured value, not a key: numbers under a metric's name (group-by columns are named
    `<entity>__<dimension>` or `metric_time__<grain>`)."""
    named = "__" not in name or name.endswith(_FIGURE_SUFFIXES)
    return named and all(v is None or (isinstance(v, float) and not isinstance(v, bool)) for v in values)


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.casefold()))


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return 0 < n <= len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _renamed(pred: list[Row], gold: list[Row]) -> list[tuple[str, list[Row]]]:
    """The answer with one text column's names replaced by the gold's names that hold them (or that
    they hold), where that pairing is one to one (module docstring)."""
    out: list[tuple[str, list[Row]]] = []
    if not pred or not gold:
        return out
    for k in range(len(pred[0])):
        names = {r[k] for r in pred}
        if not all(isinstance(v, str) for v in names):
            continue
        for j in range(len(gold[0])):
            targets = {r[j] for r in gold}
            if not all(isinstance(v, str) for v in targets) or names == targets:
                continue
            pairing: dict[Value, Value] = {}
            for name in names:
                a = _words(str(name))
                hits = [t for t in targets if _inside(a, _words(str(t))) or _inside(_words(str(t)), a)]
                if len(hits) != 1:
                    break
                pairing[name] = hits[0]
            else:
                if len(set(pairing.values())) == len(pairing):
                    rows = [(*r[:k], pairing[r[k]], *r[k + 1 :]) for r in pred]
                    out.append(("the same groups under the gold's names", rows))
    return out


def _nothing(row: Sequence[Value], figures: Sequence[int]) -> bool:
    return bool(figures) and all(row[k] is None or row[k] == 0.0 for k in figures)


def _layouts(columns: list[str], pred: list[Row], gold: list[Row]) -> list[tuple[str, list[str], list[Row]]]:
    """The answer's table in the other layouts that hold the same answer (module docstring)."""
    out: list[tuple[str, list[str], list[Row]]] = []
    if pred and len(columns) == len(pred[0]):
        unpivoted = _unpivot(columns, pred)
        if unpivoted is not None:
            out.append(("comparison row unpivoted into its two periods", *unpivoted))
    gold_nothing = any(_nothing(r, [j for j, v in enumerate(r) if isinstance(v, float)]) for r in gold)
    if not gold_nothing:
        for how, cols, rows in [("as given", columns, pred), *out]:
            if not rows or len(cols) != len(rows[0]):
                continue
            figures = [k for k, c in enumerate(cols) if _is_figure(c, [r[k] for r in rows])]
            kept = [r for r in rows if not _nothing(r, figures)]
            if figures and len(figures) < len(cols) and len(kept) < len(rows):
                label = (
                    "rows of nothing left out" if how == "as given" else f"{how}, rows of nothing left out"
                )
                out.append((label, cols, kept))
    return out


def _unpivot(columns: list[str], pred: list[Row]) -> tuple[list[str], list[Row]] | None:
    """One row per group with `<m>`/`<m>__comparison` → one row per group and period, with a
    `__period` column: 1.0 for the current period, 0.0 for the (earlier) comparison period."""
    index = {c: k for k, c in enumerate(columns)}
    bases = [c for c in columns if f"{c}__comparison" in index]
    if not bases:
        return None
    keys = [k for k, c in enumerate(columns)
            if c not in bases and not c.endswith(_FIGURE_SUFFIXES)
            and not _is_figure(c, [r[k] for r in pred])]  # fmt: skip
    cols = [columns[k] for k in keys] + [_PERIOD, *bases]
    rows: list[Row] = []
    for r in pred:
        key = tuple(r[k] for k in keys)
        rows.append((*key, 1.0, *(r[index[b]] for b in bases)))
        rows.append((*key, 0.0, *(r[index[f"{b}__comparison"]] for b in bases)))
    return cols, rows


def _period_order(values: Sequence[Value]) -> list[Value] | None:
    """Two distinct period names in chronological order, or None when they are not two periods:
    years or other numbers, ISO dates, or labels that differ in the one year each names."""
    distinct = list(dict.fromkeys(v for v in values if v is not None))
    if len(distinct) != 2 or any(isinstance(v, bool) for v in distinct):
        return None
    if all(isinstance(v, float) for v in distinct):
        return sorted(distinct, key=_sort_key)
    if not all(isinstance(v, str) for v in distinct):
        return None
    texts = [str(v) for v in distinct]
    if all(_ISO_DAY.match(t) for t in texts):
        return sorted(distinct, key=_sort_key)
    years = [_YEAR.findall(t) for t in texts]
    if all(len(y) == 1 for y in years) and years[0] != years[1]:
        return [v for _, v in sorted(zip((y[0] for y in years), distinct, strict=True))]
    return None


def _period_ranked(gold: list[Row]) -> list[list[Row]]:
    """The gold with one column naming two periods read as 0.0 (earlier) / 1.0 (later), once per
    such column."""
    out: list[list[Row]] = []
    for j in range(len(gold[0]) if gold else 0):
        order = _period_order([r[j] for r in gold])
        if order is None:
            continue
        rank = {order[0]: 0.0, order[1]: 1.0}
        out.append([(*r[:j], rank.get(r[j]) if r[j] is not None else None, *r[j + 1 :]) for r in gold])
    return out


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
