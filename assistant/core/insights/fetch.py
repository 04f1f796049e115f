"""Running the insights' semantic queries and reading their results by column name.

MetricFlow orders output columns its own way and leaves out days with no rows, so results are read
by name, and daily series are densified here (a missing day is a day with nothing sold — exactly
what a closed store looks like). That holds only *within the loaded data*: a day after the last
loaded date has no data, not zero sales, so `data_bounds` tells the report where the data end
(and begin) and no series is densified past them.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from assistant.core.insights.model import Period
from assistant.core.insights.protocols import DataVersionSource, MetricSource
from assistant.core.insights.roles import InsightRoles
from semantic_layer.query import Filter, Grain, SemanticQuery, TimeRange


@dataclass(frozen=True)
class InsightContext:
    """Who and when: every query of one report is scoped to `tenant_id` by the source's guard."""

    source: MetricSource
    tenant_id: str
    period: Period
    roles: InsightRoles  # which metrics and dimensions of the project the insights read
    locale: str = "de-DE"
    currency: str = "EUR"
    data_start: dt.date | None = None  # first loaded day: no series reaches before it


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


@dataclass(frozen=True)
class DataBounds:
    """The first and last day with loaded sales of one tenant (None: unknown, no sales)."""

    first: dt.date | None
    last: dt.date | None


BOUNDS_LOOKBACK_DAYS = 800  # the fallback query's reach back from the period (two years and a bit)


def data_bounds(
    source: MetricSource, tenant_id: str, start: dt.date, end: dt.date, *, metric: str
) -> DataBounds:
    """Where the tenant's loaded sales begin and end, as seen from the period [start, end].

    The build records both per tenant in the data version (read through the tenant guard); a
    source without one — a warehouse built by plain `dbt build`, a test's source — is asked
    through a semantic query instead: the first and last day with some of `metric` (the
    transactions, else the sales) from
    `BOUNDS_LOOKBACK_DAYS` before `start` to `end` (a closed last day then looks like the data's
    end, which costs nothing: nothing was expected on it either).
    """
    if isinstance(source, DataVersionSource):
        version = source.data_version(tenant_id)
        if version.first_data_date is not None and version.last_data_date is not None:
            return DataBounds(version.first_data_date, version.last_data_date)
    since = start - dt.timedelta(days=BOUNDS_LOOKBACK_DAYS)
    records = source.query(daily_query(metric, None, since, end), tenant_id).records()
    days = sorted(as_date(r["metric_time__day"]) for r in records if as_float(r[metric]) > 0)
    return DataBounds(days[0], days[-1]) if days else DataBounds(None, None)
