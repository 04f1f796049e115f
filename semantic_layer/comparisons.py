"""Period comparisons and shares of total, built on MetricFlow's SQL, never written per metric.

A comparison compiles the same semantic query twice — for the asked range and for the comparison
range — and joins the two results on the group-by keys; a share divides each row by the total
over the grouped dimension (per period when metric_time is grouped). The outer SQL reads only the
compiled subqueries, so the guard sees the same allow-listed relations as for a plain query and
scopes every table reference inside them to the tenant.
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from typing import Literal

from semantic_layer.catalog import Catalog
from semantic_layer.compiler import CompiledQuery, compile_resolved
from semantic_layer.errors import InvalidQueryError
from semantic_layer.project import SemanticProject
from semantic_layer.query import Grain, SemanticQuery, TimeRange
from semantic_layer.validation import CHANGE_SUFFIXES, ResolvedQuery, validate

CompareMode = Literal["previous_period", "same_period_last_year"]

COMPARISON_SUFFIX = "__comparison"
CHANGE_SUFFIX, CHANGE_PCT_SUFFIX = CHANGE_SUFFIXES
SHARE_SUFFIX = "__share"
TOTAL_SUFFIX = "__total"  # a share's whole: the figure over every group (within each period)
_SEP = ",\n  "


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def comparison_range(rng: TimeRange, mode: CompareMode) -> TimeRange:
    """The range to compare with: the same dates a year earlier, or the period just before.

    A range of whole calendar months (a month, a quarter, a year, YTD-to-month-end) steps back by
    the same number of months (March → February, Q2 → Q1); any other range steps back by its
    length in days (the 7 days before a 7-day range).
    """
    if rng.start is None or rng.end is None:
        raise InvalidQueryError("a comparison needs a time range with a start and an end")
    if mode == "same_period_last_year":
        return TimeRange(start=_shift_years(rng.start, -1), end=_shift_years(rng.end, -1))
    if rng.start.day == 1 and rng.end == _month_end(rng.end):
        months = (rng.end.year - rng.start.year) * 12 + rng.end.month - rng.start.month + 1
        start = _add_months(rng.start, -months)
        return TimeRange(start=start, end=_month_end(_add_months(rng.start, -1)))
    days = (rng.end - rng.start).days + 1
    return TimeRange(start=rng.start - dt.timedelta(days=days), end=rng.start - dt.timedelta(days=1))


def check_comparison(resolved: ResolvedQuery, mode: CompareMode) -> TimeRange:
    """What a comparison needs beyond a valid query (raises `InvalidQueryError`); returns the range
    compared with. Pure and cheap, so a caller can ask "would this compile?" without MetricFlow."""
    time_keys = [g for g in resolved.group_by if g.name == "metric_time"]
    if time_keys and mode == "previous_period":
        raise InvalidQueryError(
            "compare with the previous period per total, not per metric_time (its periods do not line up); "
            "use same_period_last_year to compare a time series"
        )
    if any(g.grain in (Grain.DAY, Grain.WEEK) for g in time_keys):
        raise InvalidQueryError("a year-over-year time series needs a month, quarter or year grain")
    return comparison_range(resolved.query.time_range, mode)


def check_share(resolved: ResolvedQuery) -> None:
    """What a share of total needs beyond a valid query (raises `InvalidQueryError`)."""
    if not any(g.name != "metric_time" for g in resolved.group_by):
        raise InvalidQueryError("a share of total needs a dimension to break the total down by")


def _shifted(column: str, dialect: str) -> str:
    if dialect == "snowflake":
        return f"DATEADD(year, 1, prev.{column})"
    return f"CAST(prev.{column} + INTERVAL 1 YEAR AS DATE)"


def _order_and_limit(resolved: ResolvedQuery, outputs: set[str]) -> str:
    q = resolved.query
    parts = []
    for order in q.order_by:
        name = resolved.output_name(order.name)
        if name in outputs:
            parts.append(f"{name} {'DESC' if order.descending else 'ASC'}")
    clause = f"\nORDER BY {', '.join(parts)}" if parts else ""
    return clause + (f"\nLIMIT {q.limit}" if q.limit is not None else "")


def compile_comparison(
    project: SemanticProject, catalog: Catalog, query: SemanticQuery, mode: CompareMode, dialect: str
) -> CompiledQuery:
    """SQL giving, per group, `m`, `m__comparison`, `m__change` and `m__change_pct` for each metric."""
    started = time.perf_counter()
    resolved = validate(query, catalog, comparison=True)
    previous = resolved.query.model_copy(update={"time_range": check_comparison(resolved, mode)})
    time_keys = [g for g in resolved.group_by if g.name == "metric_time"]
    cur = compile_resolved(project, resolved, dialect, with_order_and_limit=False)
    prev = compile_resolved(
        project, validate(previous, catalog, comparison=True), dialect, with_order_and_limit=False
    )

    keys = [g.mf_name for g in resolved.group_by]
    time_names = {g.mf_name for g in time_keys}
    prev_key = {k: (_shifted(k, dialect) if k in time_names else f"prev.{k}") for k in keys}
    select = [f"COALESCE(cur.{k}, {prev_key[k]}) AS {k}" for k in keys]
    for m in query.metrics:
        select += [
            f"cur.{m} AS {m}",
            f"prev.{m} AS {m}{COMPARISON_SUFFIX}",
            f"cur.{m} - prev.{m} AS {m}{CHANGE_SUFFIX}",
            f"CAST(cur.{m} - prev.{m} AS DOUBLE) / NULLIF(CAST(prev.{m} AS DOUBLE), 0)"
            f" AS {m}{CHANGE_PCT_SUFFIX}",
        ]
    if keys:
        condition = " AND ".join(f"cur.{k} IS NOT DISTINCT FROM {prev_key[k]}" for k in keys)
        join = f"FULL OUTER JOIN (\n{prev.sql}\n) AS prev ON {condition}"
    else:
        join = f"CROSS JOIN (\n{prev.sql}\n) AS prev"
    columns = (
        *keys,
        *(
            f"{m}{s}"
            for m in query.metrics
            for s in ("", COMPARISON_SUFFIX, CHANGE_SUFFIX, CHANGE_PCT_SUFFIX)
        ),
    )
    tail = _order_and_limit(resolved, set(columns))
    sql = f"SELECT\n  {_SEP.join(select)}\nFROM (\n{cur.sql}\n) AS cur\n{join}{tail}"
    elapsed_ms = (time.perf_counter() - started) * 1000
    return CompiledQuery(sql=sql, dialect=dialect, query=query, elapsed_ms=elapsed_ms, output_columns=columns)


def compile_share(
    project: SemanticProject, catalog: Catalog, query: SemanticQuery, dialect: str
) -> CompiledQuery:
    """SQL adding `m__share` = value / total over the grouped dimensions (within each period), and
    that total as `m__total` (the whole a share of one part is of: 'online: 15.8 % of 373,926')."""
    started = time.perf_counter()
    resolved = validate(query, catalog)
    check_share(resolved)
    inner = compile_resolved(project, resolved, dialect, with_order_and_limit=False)
    keys = [g.mf_name for g in resolved.group_by]
    periods = [g.mf_name for g in resolved.group_by if g.name == "metric_time"]
    partition = f"PARTITION BY {', '.join(f'q.{p}' for p in periods)}" if periods else ""
    select = [f"q.{k}" for k in keys] + [f"q.{m}" for m in query.metrics]
    select += [
        f"CAST(q.{m} AS DOUBLE) / NULLIF(CAST(SUM(q.{m}) OVER ({partition}) AS DOUBLE), 0)"
        f" AS {m}{SHARE_SUFFIX}"
        for m in query.metrics
    ]
    select += [f"SUM(q.{m}) OVER ({partition}) AS {m}{TOTAL_SUFFIX}" for m in query.metrics]
    columns = (
        *keys,
        *query.metrics,
        *(f"{m}{SHARE_SUFFIX}" for m in query.metrics),
        *(f"{m}{TOTAL_SUFFIX}" for m in query.metrics),
    )
    tail = _order_and_limit(resolved, set(columns))
    sql = f"SELECT\n  {_SEP.join(select)}\nFROM (\n{inner.sql}\n) AS q{tail}"
    elapsed_ms = (time.perf_counter() - started) * 1000
    return CompiledQuery(sql=sql, dialect=dialect, query=query, elapsed_ms=elapsed_ms, output_columns=columns)
