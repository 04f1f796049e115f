"""Layout equivalence: the other tables that hold the same answer as the assistant's.

Two layouts of the same answer are equivalent. eval/compare.py tries these only after the strict
comparison fails, and not at all when the run asks for the strict judge
(MERCURIOS_EVAL_JUDGE=strict, `equivalent_layouts=False`):
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
- A share, rate or change as a fraction where the gold has it in percent: the answer's 0.49 that it
  shows as '49.0 %' against the gold's 49.0. Only columns holding fractions — a `__share` or
  `__change_pct` column, or a figure whose every value lies within ±1 — get a copy times 100 beside
  them; every gold column must still find its column, so a fraction of another figure fails.
- A yes/no group named in words: the answer's `room_night__is_weekend_night` True/False against
  the gold's 'Weekend (Fri/Sat)'/'Weekday'. True is the one gold name holding a word of the
  column's own name ('weekend') that the other name lacks, False the other; when neither or both
  hold one ('weekend' / 'not weekend'), there is no pairing and the answer fails as before.
- A period named by its start day where the gold names it by number: the answer's
  `metric_time__quarter` '2025-04-01' against the gold's quarter 2 (and its year 2025), a month's
  first day against month 4 or '2025-04', a week's Monday against its ISO week number. Only a
  column whose name carries the grain (`__year`, `__quarter`, `__month`, `__week`) and whose every
  value is a day gets these copies beside it; each row's figures must still meet the gold row of
  its own period, so a shifted period or a wrong figure fails.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from eval.values import ISO_DAY, Row, Value, sort_key

Alternative = tuple[str, list[list[Row]], list[Row], bool]


def alternatives(columns: list[str], pred: list[Row], gold: list[Row]) -> list[Alternative]:
    """The answer's table in each other layout: (how, the golds it may meet, its rows, whether a
    ranking's order still holds). A comparison row unpivoted into its periods may meet the gold
    with its period names read as earlier/later, and has no order of its own."""
    tables = _layouts(columns, pred, gold)
    for how, cols, rows in [("as given", columns, pred), *list(tables)]:
        tables += [(f"{how}, {named}", cols, renamed) for named, renamed in _renamed(rows, gold)]
        tables += [(f"{how}, {named}", cols, worded) for named, worded in _yes_no_named(cols, rows, gold)]
    for how, cols, rows in [("as given", columns, pred), *list(tables)]:
        numbered = _period_numbers(cols, rows)
        if numbered is not None:
            label = "periods by number" if how == "as given" else f"{how}, periods by number"
            tables.append((label, *numbered))
    for how, cols, rows in [("as given", columns, pred), *list(tables)]:
        percent = _in_percent(cols, rows)
        if percent is not None:
            tables.append((f"{how}, fractions in percent" if how != "as given" else "fractions in percent",
                           *percent))  # fmt: skip
    out: list[Alternative] = []
    for how, _columns, rows in tables:
        comparison = how.startswith("comparison")
        golds = [gold] + (_period_ranked(gold) if comparison else [])
        out.append((how, golds, rows, not comparison))
    return out


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


_FLAG_WORDS = {"is", "has", "was", "flag", "flagged"}


def _yes_no_named(columns: list[str], pred: list[Row], gold: list[Row]) -> list[tuple[str, list[Row]]]:
    """The answer with one yes/no column's True/False replaced by the gold's two names, where
    exactly one of them holds a word of the column's name (module docstring)."""
    out: list[tuple[str, list[Row]]] = []
    if not pred or not gold or len(columns) != len(pred[0]):
        return out
    for k, c in enumerate(columns):
        if not all(isinstance(r[k], bool) for r in pred):
            continue
        own = {w for w in re.split(r"_+", c.rsplit("__", 1)[-1].casefold()) if w and w not in _FLAG_WORDS}
        for j in range(len(gold[0])):
            names = list(dict.fromkeys(r[j] for r in gold))
            if len(names) != 2 or not all(isinstance(v, str) for v in names):
                continue
            shared = set(_words(str(names[0]))) & set(_words(str(names[1])))
            holding = [v for v in names if (own - shared) & set(_words(str(v)))]
            if len(holding) != 1:
                continue
            yes = holding[0]
            no = names[1] if names[0] == yes else names[0]
            rows = [(*r[:k], yes if r[k] else no, *r[k + 1 :]) for r in pred]
            out.append(("the yes/no group under the gold's names", rows))
    return out


_FRACTIONS = ("__share", "__change_pct")


def _in_percent(columns: list[str], rows: list[Row]) -> tuple[list[str], list[Row]] | None:
    """The table with a copy times 100 of each column holding fractions (module docstring), or
    None when no column does."""
    if not rows or len(columns) != len(rows[0]):
        return None
    fractions = []
    for k, c in enumerate(columns):
        values = [r[k] for r in rows]
        if not _is_figure(c, values) or all(v is None or v == 0.0 for v in values):
            continue
        numbers = [v for v in values if isinstance(v, float)]
        if c.endswith(_FRACTIONS) or all(-1.0 <= v <= 1.0 for v in numbers):
            fractions.append(k)
    if not fractions:
        return None
    cols = [*columns, *(f"{columns[k]}__percent" for k in fractions)]
    out: list[Row] = []
    for r in rows:
        extra = [None if (v := r[k]) is None else float(v) * 100.0 for k in fractions]
        out.append((*r, *extra))
    return cols, out


_GRAINS = ("__year", "__quarter", "__month", "__week")


def _numbers_of(grain: str, day: str) -> list[Value]:
    """The names by number of the period starting on `day` (ISO): its year, and its quarter,
    month (also as 'YYYY-MM') or ISO week."""
    y, m, d = (int(x) for x in day.split("-"))
    if grain == "__year":
        return [float(y)]
    if grain == "__quarter":
        return [float(y), float((m - 1) // 3 + 1)]
    if grain == "__month":
        return [float(y), float(m), f"{y:04d}-{m:02d}"]
    iso = dt.date(y, m, d).isocalendar()
    return [float(iso.year), float(iso.week)]


def _period_numbers(columns: list[str], rows: list[Row]) -> tuple[list[str], list[Row]] | None:
    """The table with copies of each period column named by number (module docstring), or None
    when no column is a period of a named grain."""
    if not rows or len(columns) != len(rows[0]):
        return None
    periods: list[tuple[int, str]] = []
    for k, c in enumerate(columns):
        grain = next((g for g in _GRAINS if c.endswith(g)), None)
        if grain and all(isinstance(r[k], str) and ISO_DAY.match(str(r[k])) for r in rows):
            periods.append((k, grain))
    if not periods:
        return None
    cols = list(columns)
    for k, grain in periods:
        cols += [f"{columns[k]}__number{i}" for i in range(len(_numbers_of(grain, "2000-01-03")))]
    out: list[Row] = []
    for r in rows:
        extra: list[Value] = []
        for k, grain in periods:
            extra += _numbers_of(grain, str(r[k]))
        out.append((*r, *extra))
    return cols, out


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
        return sorted(distinct, key=sort_key)
    if not all(isinstance(v, str) for v in distinct):
        return None
    texts = [str(v) for v in distinct]
    if all(ISO_DAY.match(t) for t in texts):
        return sorted(distinct, key=sort_key)
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
