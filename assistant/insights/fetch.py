"""Running the insights' semantic queries and reading their results by column name.

MetricFlow orders output columns its own way and leaves out days with no rows, so results are read
by name, and daily series are densified here (a missing day is a day with nothing sold — exactly
what a closed store looks like).
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from assistant.insights.model import Period
from assistant.insights.protocols import MetricSource
from semantic_layer.query import Filter, Grain, SemanticQuery, TimeRange


@dataclass(frozen=True)
class InsightContext:
    """Who and when: every query of one report is scoped to `tenant_id` by the source's guard."""

    source: MetricSource
    tenant_id: str
    period: Period
    locale: str = "de-DE"
    currency: str = "EUR"


def as_float(value: object) -> float:
    if value is None:
        return 0.0
    if isinstance(value, decimal.Decimal | int | float):
        return float(value)
    raise TypeError(f"not a number: {value!r}")


def as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def totals(
    ctx: InsightContext, metrics: tuple[str, ...], start: dt.date, end: dt.date
) -> dict[str, float | None]:
    query = SemanticQuery(metrics=metrics, time_range=TimeRange(start=start, end=end))
    records = ctx.source.query(query, ctx.tenant_id).records()
    if not records:
        return {m: None for m in metrics}
    return {m: (None if records[0][m] is None else as_float(records[0][m])) for m in metrics}


def by_group(
    ctx: InsightContext,
    metric: str,
    dimension: str,
    start: dt.date,
    end: dt.date,
    *,
    filters: tuple[Filter, ...] = (),
) -> dict[str, float]:
    query = grouped_query(metric, dimension, start, end, filters=filters)
    return {
        str(r[dimension]): as_float(r[metric])
        for r in ctx.source.query(query, ctx.tenant_id).records()
        if r[dimension] is not None and r[metric] is not None
    }


def grouped_query(
    metric: str, dimension: str, start: dt.date, end: dt.date, *, filters: tuple[Filter, ...] = ()
) -> SemanticQuery:
    return SemanticQuery(
        metrics=(metric,), group_by=(dimension,), filters=filters, time_range=TimeRange(start=start, end=end)
    )


def daily_query(metric: str, dimension: str | None, start: dt.date, end: dt.date) -> SemanticQuery:
    return SemanticQuery(
        metrics=(metric,),
        group_by=("metric_time", *((dimension,) if dimension else ())),
        time_grain=Grain.DAY,
        time_range=TimeRange(start=start, end=end),
    )


def daily_series(
    ctx: InsightContext, metric: str, dimension: str | None, start: dt.date, end: dt.date
) -> dict[str, dict[dt.date, float]]:
    """{group: {day: value}} with every day of [start, end] present (0 where nothing was sold).
    With no dimension the single group is named ''."""
    result = ctx.source.query(daily_query(metric, dimension, start, end), ctx.tenant_id)
    series: dict[str, dict[dt.date, float]] = {}
    for r in result.records():
        key = "" if dimension is None else r[dimension]
        if key is None:
            continue
        series.setdefault(str(key), {})[as_date(r["metric_time__day"])] = as_float(r[metric])
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return {k: {d: v.get(d, 0.0) for d in days} for k, v in series.items()}
