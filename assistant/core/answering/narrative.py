"""The template narrative: a few plain sentences built only from the numbers in the result.

This is the offline writer and the fallback whenever an LLM narrative fails the grounding check,
so it must never state a number that is not in (or directly derived from) the result table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assistant.core.answering.formatting import format_change_pct, format_value
from assistant.core.answering.result_view import CHANGE, CHANGE_PCT, PREVIOUS, SHARE, TOTAL, ResultView
from assistant.core.answering.two_dimensions import (
    Series,
    SeriesTable,
    _as_date,
    bucket_end,
    change,
    series_table,
)
from assistant.core.planning.time_periods import describe


def _num(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class Writer:
    def __init__(self, view: ResultView, *, locale: str, currency: str) -> None:
        self.view = view
        self.locale = locale
        self.currency = currency

    def value(self, column: str, value: object) -> str:
        return format_value(value, self.view.fmt(column), locale=self.locale, currency=self.currency)

    def cell(self, column: str, value: object) -> str:
        value = self.view.named(column, value)
        if isinstance(value, dt.date | dt.datetime):
            return format_value(value, None, locale=self.locale, currency=self.currency)
        return str(value) if value is not None else "(none)"


def period_phrase(view: ResultView) -> str:
    """Scope and period: 'for Hamburg last month (2026-09-01 to 2026-09-30)'."""
    period = view.plan.period
    if period.start is None and period.end is None:
        when = "across all loaded data"
    elif period.label.startswith(
        ("last ", "this ", "the last", "today", "yesterday", "since", "year to date")
    ):
        when = period.label
    else:
        when = f"in {period.label}"
    return f"{view.scope} {when}" if view.scope else when


def write_narrative(view: ResultView, *, locale: str, currency: str) -> str:
    text = _narrative(view, locale=locale, currency=currency)
    if view.without_value:
        text += f" ({view.without_value} without a value not shown.)"
    return text[:1].upper() + text[1:]


def _narrative(view: ResultView, *, locale: str, currency: str) -> str:
    w = Writer(view, locale=locale, currency=currency)
    if not view.rows:
        return f"There is no data {period_phrase(view)} for this question."
    if view.plan.share_of_total and any(c.lower().endswith(SHARE) for c in view.columns):
        return _share(view, w)
    dims = view.dimension_columns
    if not dims and view.time_column is None:
        return _single(view, w)
    if view.time_column is not None and not dims:
        return " ".join(_series(view, w, m.name, m.label, lead=i == 0) for i, m in enumerate(view.metrics))
    table = series_table(view)
    if table is not None:
        return _two_dimensions(view, w, table) + _other_metrics(view, w, dims)
    return _grouped(view, w, dims) + _other_metrics(view, w, dims)


def _change_clause(view: ResultView, w: Writer, row: Sequence[object], metric: str) -> str:
    prev_i, pct_i = view.index(metric + PREVIOUS), view.index(metric + CHANGE_PCT)
    if prev_i is None:
        return ""
    previous = row[prev_i]
    pct = _num(row[pct_i]) if pct_i is not None else None
    against = (
        "the same period last year"
        if view.plan.comparison == "same_period_last_year"
        else "the period before"
    )
    if pct is None:
        return f" ({against}: {w.value(metric + PREVIOUS, previous)})"
    direction = "up" if pct > 0 else "down" if pct < 0 else "unchanged"
    return (
        f", {direction} {format_change_pct(pct, locale=w.locale)} "
        f"from {w.value(metric + PREVIOUS, previous)} "
        f"in {against}"
    )


def _single(view: ResultView, w: Writer) -> str:
    row = view.rows[0]
    parts = []
    for m in view.metrics:
        i = view.index(m.name)
        if i is None:
            continue
        change = _change_clause(view, w, row, m.name)
        parts.append(f"{m.label} {period_phrase(view)} was {w.value(m.name, row[i])}{change}")
    return ". ".join(parts) + "."


def _series(view: ResultView, w: Writer, metric: str, label: str, *, lead: bool = True) -> str:
    """One metric over time; `lead` names the period (the first metric's sentence of several)."""
    time_col = view.time_column
    assert time_col is not None
    grain = view.labels.get(time_col, "period").lower()
    mi, ti = view.index(metric), view.index(time_col)
    if mi is None or ti is None:
        return ""
    points = [(row[ti], row[mi]) for row in view.rows if _num(row[mi]) is not None]
    if not points:
        return f"There is no {label.lower()} {period_phrase(view)}."
    best = max(points, key=lambda p: _num(p[1]) or 0.0)
    worst = min(points, key=lambda p: _num(p[1]) or 0.0)
    first, last = points[0], points[-1]
    head = f"{label} by {grain} {period_phrase(view)}" if lead else label
    text = (
        f"{head}: from {w.value(metric, first[1])} "
        f"({w.cell(time_col, first[0])}) to {w.value(metric, last[1])} ({w.cell(time_col, last[0])})."
    )
    if len(points) > 2:
        text += (
            f" Highest: {w.value(metric, best[1])} ({w.cell(time_col, best[0])}); "
            f"lowest: {w.value(metric, worst[1])} ({w.cell(time_col, worst[0])})."
        )
    return text


def _two_dimensions(view: ResultView, w: Writer, table: SeriesTable) -> str:
    """Trend and extremes per series, never the first row of a long table: 'Net sales by store
    and week …: Hamburg highest (…), Köln lowest (…); overall +4,0 % from the week of … to …'."""
    m = view.metrics[0]
    series_label = view.labels.get(table.series_column, table.series_column).lower().removesuffix(" name")
    x_label = view.labels.get(table.x_column, table.x_column).lower()
    how = "in total" if table.additive else f"on average per {x_label}"
    ranked = table.ranked()
    if not ranked:
        return f"There is no {m.label.lower()} {period_phrase(view)}."
    top, bottom = ranked[0], ranked[-1]
    text = (
        f"{m.label} by {series_label} and {x_label} {period_phrase(view)}: "
        f"{w.cell(table.series_column, top[0].name)} highest ({w.value(m.name, top[1])} {how}), "
        f"{w.cell(table.series_column, bottom[0].name)} lowest ({w.value(m.name, bottom[1])})"
    )
    if not table.temporal:
        return text + _largest_cells(view, w, table) + "."
    span = table.trend_span()
    if span is None:
        return text + "."
    first, last = span
    first_x, last_x = (w.cell(table.x_column, table.xs[i]) for i in (first, last))
    full = "" if all(table.complete) else f" (full {x_label}s only)"
    when = f"from the {x_label} of {first_x} to the {x_label} of {last_x}{full}"
    totals = table.totals()
    overall = change(totals[first], totals[last]) if table.additive else None
    if overall is not None:
        text += (
            f"; overall {format_change_pct(overall, locale=w.locale)} from "
            f"{w.value(m.name, totals[first])} in the {x_label} of {first_x} to "
            f"{w.value(m.name, totals[last])} in the {x_label} of {last_x}{full}"
        )
    moves = [(s, c) for s in table.series if (c := change(s.values[first], s.values[last])) is not None]
    if not moves:
        return text + "."

    def moved(series_change: tuple[Series, float], verb: str = "") -> str:
        series, pct = series_change
        return f"{w.cell(table.series_column, series.name)}{verb} {format_change_pct(pct, locale=w.locale)}"

    scope = "" if overall is not None else f" {when}"
    if len(table.series) <= 3:
        return text + f". Change{scope}: " + ", ".join(moved(sc) for sc in moves) + "."
    rose, fell = max(moves, key=lambda sc: sc[1]), min(moves, key=lambda sc: sc[1])
    parts = [moved(rose, " rose most,")] if rose[1] > 0 else []
    parts += [moved(fell, " fell most,")] if fell[1] < 0 else []
    return text + "." + (f" {'; '.join(parts)}{scope}." if parts else "")


def _largest_cells(view: ResultView, w: Writer, table: SeriesTable) -> str:
    cells = [
        (s.name, x, v) for s in table.series for x, v in zip(table.xs, s.values, strict=True) if v is not None
    ]
    if len(cells) < 3:
        return ""
    big = max(cells, key=lambda c: c[2])
    small = min(cells, key=lambda c: c[2])
    return (
        f"; the largest single value is {w.cell(table.series_column, big[0])} / "
        f"{w.cell(table.x_column, big[1])} ({w.value(table.metric, big[2])}), the smallest "
        f"{w.cell(table.series_column, small[0])} / {w.cell(table.x_column, small[1])} "
        f"({w.value(table.metric, small[2])})"
    )


def _other_metrics(view: ResultView, w: Writer, dims: list[str]) -> str:
    """Several metrics in one plan: each one after the first gets its own sentence, by the first
    dimension (its leader), so no metric of the table goes unmentioned."""
    if len(view.metrics) < 2 or not dims or any(c.lower().endswith(CHANGE_PCT) for c in view.columns):
        return ""
    di = view.index(dims[0])
    if di is None:
        return ""
    sentences = []
    for m in view.metrics[1:]:
        mi = view.index(m.name)
        rows = [r for r in view.rows if mi is not None and _num(r[mi]) is not None]
        if mi is None or not rows:
            continue
        lead = max(rows, key=lambda r: _num(r[mi]) or 0.0)
        sentences.append(
            f"Highest {m.label.lower()}: {w.cell(dims[0], lead[di])} ({w.value(m.name, lead[mi])})."
        )
    return (" " + " ".join(sentences)) if sentences else ""


def _grouped(view: ResultView, w: Writer, dims: list[str]) -> str:
    m = view.metrics[0]
    mi = view.index(m.name)
    if mi is None:
        return ""
    di = [view.index(d) for d in dims]

    def name(row: Sequence[object]) -> str:
        return " / ".join(w.cell(d, row[i]) for d, i in zip(dims, di, strict=True) if i is not None)

    rows = [r for r in view.rows if _num(r[mi]) is not None]
    if not rows:
        return f"There is no {m.label.lower()} {period_phrase(view)}."
    pct_i = view.index(m.name + CHANGE_PCT)
    dim_label = view.labels.get(dims[0], dims[0]).lower()
    if pct_i is not None:
        with_change = [r for r in rows if _num(r[pct_i]) is not None]
        losers = sorted(
            (r for r in with_change if (_num(r[pct_i]) or 0) < 0), key=lambda r: _num(r[pct_i]) or 0
        )
        winners = sorted(
            (r for r in with_change if (_num(r[pct_i]) or 0) > 0), key=lambda r: -(_num(r[pct_i]) or 0)
        )
        against = (
            "the same period last year"
            if view.plan.comparison == "same_period_last_year"
            else "the period before"
        )
        parts = [f"{m.label} {period_phrase(view)} compared with {against}, by {dim_label}:"]
        order = view.plan.query.order_by
        if order and order[0].name == m.name + CHANGE and not order[0].descending and not losers:
            parts.append(f"no {dim_label} declined;")  # 'the biggest drop' when nothing dropped: said
        elif order and order[0].name == m.name + CHANGE and order[0].descending and not winners:
            parts.append(f"no {dim_label} grew;")
        if losers:
            listed = ", ".join(
                f"{name(r)} ({format_change_pct(_num(r[pct_i]), locale=w.locale)})" for r in losers[:5]
            )
            parts.append(f"{len(losers)} of {len(rows)} declined — {listed}.")
        if winners:
            listed = ", ".join(
                f"{name(r)} ({format_change_pct(_num(r[pct_i]), locale=w.locale)})" for r in winners[:5]
            )
            parts.append(f"{len(winners)} grew — {listed}.")
        if not losers and not winners:
            parts.append("no change.")
        return " ".join(parts)
    ascending = bool(view.plan.query.order_by) and not view.plan.query.order_by[0].descending
    ordered = sorted(rows, key=lambda r: _num(r[mi]) or 0.0, reverse=not ascending)
    lead = ordered[0]
    word = "lowest" if ascending else "highest"
    text = f"{name(lead)} had the {word} {m.label.lower()} {period_phrase(view)}: {w.value(m.name, lead[mi])}"
    text += _change_clause(view, w, lead, m.name)
    if len(ordered) > 1:
        rest = ", ".join(f"{name(r)} ({w.value(m.name, r[mi])})" for r in ordered[1:3])
        text += f", followed by {rest}"
    text += "."
    if len(ordered) > 3:
        text += f" All {len(ordered)} are in the table."
    return text


def _share(view: ResultView, w: Writer) -> str:
    m = view.metrics[0]
    dims = view.dimension_columns
    share_col = next(c for c in view.columns if c.lower().endswith(SHARE))
    si, mi, wi = view.index(share_col), view.index(m.name), view.index(m.name + TOTAL)
    di = view.index(dims[0]) if dims else None
    ti = view.index(view.time_column) if view.time_column is not None else None
    if si is None or mi is None or di is None:
        return ""
    focus = {f.casefold() for f in view.plan.focus}
    rows = [r for r in view.rows if not focus or str(r[di]).casefold() in focus] or list(view.rows)
    rows.sort(key=lambda r: _num(r[si]) or 0.0, reverse=True)
    shown = 3
    if ti is not None and view.plan.focus_only:
        # the share of one part per period: each period said, in time order
        rows.sort(key=lambda r: str(r[ti]))
        shown = _SHARE_PERIODS
    label = view.labels.get(dims[0], dims[0])

    def named(value: object) -> str:
        # a yes/no breakdown's row is said by its side's name ('Complimentary stay'), not 'True'
        if isinstance(value, bool) and dims[0] not in view.sides:
            return label if value else f"Not {label[:1].lower()}{label[1:]}"
        return w.cell(dims[0], value)

    def whole(r: Sequence[object]) -> str:
        # the part of the whole: the figure across every group, as the query summed it
        part, share = _num(r[mi]), _num(r[si])
        if not view.plan.focus_only or part is None or not share:
            return ""
        total = _num(r[wi]) if wi is not None else part / share
        return f" of {w.value(m.name, total)}" if total is not None else ""

    def when(r: Sequence[object]) -> str:
        return f"{_bucket(view, r[ti])}: " if ti is not None and shown == _SHARE_PERIODS else ""

    parts = [
        f"{when(r)}{named(r[di])} accounted for {w.value(share_col, r[si])} of {m.label.lower()} "
        f"({w.value(m.name, r[mi])}{whole(r)})"
        for r in rows[:shown]
    ]
    text = "; ".join(parts) + f" {period_phrase(view)}."
    return text[:1].upper() + text[1:]


_SHARE_PERIODS = 12  # the share of one part per period: every period said, up to a year of months


def _bucket(view: ResultView, value: object) -> str:
    """A period of the breakdown in words: 'Q1 2025', 'March 2026', else its first day."""
    day = _as_date(value)
    time_col = view.time_column or ""
    grain = time_col.lower().split("__")[1] if "__" in time_col else "day"
    if day is None:
        return str(value)
    return describe(day, bucket_end(day, grain))


def no_data_yet(view_period_end: dt.date, last_data_date: dt.date, *, locale: str) -> str:
    """As_of beyond the last load: say so instead of answering zero."""
    latest = format_value(last_data_date, None, locale=locale, currency="EUR")
    return (
        f"Your data is loaded up to {latest}, so there is nothing yet for the period you asked about "
        f"(through {format_value(view_period_end, None, locale=locale, currency='EUR')})."
    )
