"""A two-dimension result seen as series: time × category (one line per store), or two categories.

"Net sales by store" followed by "and by week?" returns one row per store and week. Read row by
row, its lowest store-week says nothing; read as one series per store, it has a trend and
extremes. The narrative, the chart and the grounding check all read the result through this one
pivot, so the numbers a sentence states are exactly the ones the grounding check can derive.

Trends are measured between complete periods only: the first and last weeks of "last month"
usually reach outside the month, and a partial week compared with a full one is a made-up drop.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from assistant.core.answering.result_view import ResultView


def as_number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Series:
    name: object  # the series' value as in the result ("Nordwind Hamburg")
    values: tuple[float | None, ...]  # one per x of the table, None where the result has no row

    def known(self) -> list[float]:
        return [v for v in self.values if v is not None]


@dataclass(frozen=True)
class SeriesTable:
    metric: str
    series_column: str  # the dimension whose values are the series (store)
    x_column: str  # time, or the second category
    temporal: bool
    xs: tuple[object, ...]  # in result order (time ascending)
    series: tuple[Series, ...]
    additive: bool  # values may be summed across series and periods
    complete: tuple[bool, ...]  # per x: the period bucket lies wholly inside the asked period

    def summary(self, series: Series) -> float | None:
        """What ranks a series: its total when the metric adds up, else its average per x."""
        known = series.known()
        if not known:
            return None
        return sum(known) if self.additive else sum(known) / len(known)

    def ranked(self) -> list[tuple[Series, float]]:
        scored = [(s, v) for s in self.series if (v := self.summary(s)) is not None]
        return sorted(scored, key=lambda sv: -sv[1])

    def totals(self) -> tuple[float | None, ...]:
        """Per x, the sum over all series (only meaningful when additive)."""
        out: list[float | None] = []
        for i in range(len(self.xs)):
            known = [v for s in self.series if (v := s.values[i]) is not None]
            out.append(sum(known) if known else None)
        return tuple(out)

    def trend_span(self) -> tuple[int, int] | None:
        """The first and last complete period (time series only; at least two of them)."""
        if not self.temporal:
            return None
        full = [i for i, ok in enumerate(self.complete) if ok]
        return (full[0], full[-1]) if len(full) >= 2 else None


def change(first: float | None, last: float | None) -> float | None:
    """Relative change as a fraction (None when it is undefined: no value, or a zero/negative base)."""
    if first is None or last is None or first <= 0:
        return None
    return (last - first) / first


def series_table(view: ResultView) -> SeriesTable | None:
    """The pivot of a one-metric result with exactly two dimensions (time counts as one); None for
    any other shape, and for comparisons and shares, which have answers of their own."""
    plan = view.plan
    if plan.comparison is not None or plan.share_of_total or plan.drill_down or not view.metrics:
        return None
    dims = view.dimension_columns
    time_col = view.time_column
    if time_col is not None and len(dims) == 1:
        series_col, x_col, temporal = dims[0], time_col, True
    elif time_col is None and len(dims) == 2:
        asked = [g.lower() for g in plan.query.group_by]
        order = sorted(dims, key=lambda d: asked.index(d.lower()) if d.lower() in asked else len(asked))
        series_col, x_col, temporal = order[0], order[1], False
    else:
        return None
    metric = view.metrics[0]
    mi, si, xi = view.index(metric.name), view.index(series_col), view.index(x_col)
    if mi is None or si is None or xi is None:
        return None
    xs: list[object] = []
    names: list[object] = []
    cells: dict[tuple[object, object], float | None] = {}
    for row in view.rows:
        x, name = row[xi], row[si]
        if x not in xs:
            xs.append(x)
        if name not in names:
            names.append(name)
        cells[(name, x)] = as_number(row[mi])
    if len(names) < 2 or len(xs) < 2:
        return None
    if temporal:
        xs.sort(key=_sort_key)
    series = tuple(Series(n, tuple(cells.get((n, x)) for x in xs)) for n in names)
    grain = time_col.lower().split("__")[1] if time_col and "__" in time_col else "day"
    complete = tuple(
        _complete(x, grain, plan.period.start, plan.period.end) if temporal else True for x in xs
    )
    return SeriesTable(
        metric=metric.name,
        series_column=series_col,
        x_column=x_col,
        temporal=temporal,
        xs=tuple(xs),
        series=series,
        additive=metric.additive,
        complete=complete,
    )


def _sort_key(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else str(value)


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def bucket_end(start: dt.date, grain: str) -> dt.date:
    """The last day of the `grain` bucket that begins on `start` (weeks start on Monday)."""
    if grain == "week":
        return start + dt.timedelta(days=6)
    if grain == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if grain == "quarter":
        last_month = start.month + 2
        return start.replace(month=last_month, day=calendar.monthrange(start.year, last_month)[1])
    if grain == "year":
        return start.replace(month=12, day=31)
    return start


def _complete(x: object, grain: str, start: dt.date | None, end: dt.date | None) -> bool:
    day = _as_date(x)
    if day is None:
        return True
    if start is not None and day < start:
        return False
    return end is None or bucket_end(day, grain) <= end


def derived_facts(view: ResultView) -> set[float]:
    """Numbers a two-dimension narrative may state beyond the cells: series totals or averages,
    per-period totals, the count of series and periods, and the changes between complete periods."""
    table = series_table(view)
    if table is None:
        return set()
    facts: set[float] = {float(len(table.series)), float(len(table.xs))}
    for s in table.series:
        known = s.known()
        if known:
            facts.update({sum(known), sum(known) / len(known)})
    totals = table.totals()
    facts.update(t for t in totals if t is not None)
    span = table.trend_span()
    if span is not None:
        first, last = span
        for values in (totals, *(s.values for s in table.series)):
            c = change(values[first], values[last])
            if c is not None:
                facts.add(c)
    return facts
