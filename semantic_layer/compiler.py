"""Compile a validated `SemanticQuery` to SQL with MetricFlow, in process.

Compilation is pure: no warehouse, no subprocess, a few milliseconds. The engines are shared,
and MetricFlow resets global id counters per query, so compilation is serialised by a lock.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guardrails.errors import InternalError
from semantic_layer.catalog import Catalog
from semantic_layer.errors import InvalidQueryError, UnreachableDimensionError, UnsupportedDialectError
from semantic_layer.project import DIALECTS, MF_LOCK, SemanticProject
from semantic_layer.query import SemanticQuery
from semantic_layer.validation import ResolvedQuery, validate
from semantic_layer.where_filters import dimension_template, render_filter, sql_literal

if TYPE_CHECKING:  # imported when a query is compiled, not when this module is (see ProjectCache)
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest


@dataclass(frozen=True)
class CompiledQuery:
    """SQL ready for the guard, with what produced it and how long that took."""

    sql: str
    dialect: str
    query: SemanticQuery
    elapsed_ms: float
    output_columns: tuple[str, ...]  # group-by columns first, then metrics, as MetricFlow names them


def explain_mf_error(exc: Exception) -> str:
    """The 'Message:' block of a MetricFlow error, on one line (its full text is a page long)."""
    text = str(exc)
    match = re.search(
        r"Message:\s*(.+?)(?:\n\s*\n\s*(?:Suggestions|Query Input|Issue Location)|\Z)", text, re.S
    )
    body = match.group(1) if match else text
    return " ".join(body.split())[:600]


def _raise_user_error(exc: Exception) -> None:
    message = explain_mf_error(exc)
    if "does not match any of the available group-by-items" in message or "join path" in message:
        raise UnreachableDimensionError(f"MetricFlow cannot join that: {message}") from exc
    raise InvalidQueryError(f"MetricFlow refused the query: {message}") from exc


def _as_datetime(day: dt.date | None, *, end: bool) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.max if end else dt.time.min).replace(microsecond=0)


def _time_range_filter(resolved: ResolvedQuery, dialect: str) -> str | None:
    """The inclusive date range as a where-filter on metric_time at day grain.

    MetricFlow's own time constraint widens the range to whole periods of the requested grain
    (15 March–10 May by month becomes 1 March–31 May); a filter on `metric_time__day` keeps the
    exact dates. Metrics recorded coarser than a day fall back to the (widened) constraint.
    """
    rng = resolved.query.time_range
    if not resolved.day_grain_available or (rng.start is None and rng.end is None):
        return None
    ref = dimension_template("metric_time", is_time=True, grain="day")
    parts = []
    if rng.start is not None:
        parts.append(f"{ref} >= {sql_literal(rng.start, dialect)}")
    if rng.end is not None:
        parts.append(f"{ref} <= {sql_literal(rng.end, dialect)}")
    return " AND ".join(parts)


def _request(resolved: ResolvedQuery, dialect: str, *, with_order_and_limit: bool) -> MetricFlowQueryRequest:
    from metricflow.dataflow.optimizer.dataflow_optimizer_factory import DataflowPlanOptimization
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    q = resolved.query
    wheres = [
        render_filter(
            f,
            dialect=dialect,
            is_time=f.dimension in resolved.time_filters,
            is_entity=f.dimension in resolved.entity_filters,
        )
        for f in q.filters
    ]
    range_filter = _time_range_filter(resolved, dialect)
    use_constraint = range_filter is None
    if range_filter is not None:
        wheres.append(range_filter)
    order = None
    if with_order_and_limit and q.order_by:
        order = [("-" if o.descending else "") + resolved.output_name(o.name) for o in q.order_by]
    return MetricFlowQueryRequest.create(
        metric_names=list(q.metrics),
        group_by_names=[g.mf_name for g in resolved.group_by],
        where_constraints=wheres or None,
        time_constraint_start=_as_datetime(q.time_range.start, end=False) if use_constraint else None,
        time_constraint_end=_as_datetime(q.time_range.end, end=True) if use_constraint else None,
        order_by_names=order,
        limit=q.limit if with_order_and_limit else None,
        # MetricFlow's pass-through metric evaluation (off by default) computes a ratio or derived
        # metric from the same aggregation as the metrics beside it that share its inputs: a count
        # asked beside a ratio over that count is aggregated once, not once per metric — for a
        # distinct count, the costliest aggregate, that halves the query. Source-scan combining
        # stays on. It selects a derived metric after the others: `select_in_order` restores the
        # asked order.
        dataflow_plan_optimizations={
            DataflowPlanOptimization.SOURCE_SCAN,
            DataflowPlanOptimization.PASSTHROUGH_METRIC_EVALUATION,
        },
    )


def compile_resolved(
    project: SemanticProject, resolved: ResolvedQuery, dialect: str, *, with_order_and_limit: bool = True
) -> CompiledQuery:
    """Compile an already validated query (comparisons call this twice with shifted ranges)."""
    if dialect not in DIALECTS:
        raise UnsupportedDialectError(
            f"unsupported SQL dialect {dialect!r}; choose one of {', '.join(DIALECTS)}"
        )
    started = time.perf_counter()

    def build() -> str:
        from metricflow_semantics.errors.error_classes import InformativeUserError, MetricFlowException

        engine = project.engine(dialect)
        request = _request(resolved, dialect, with_order_and_limit=with_order_and_limit)
        try:
            with MF_LOCK:
                result = engine.explain(request)
        except InformativeUserError as exc:
            _raise_user_error(exc)
            raise  # unreachable; keeps type checkers honest
        except MetricFlowException as exc:
            raise InternalError(
                f"MetricFlow failed to compile: {explain_mf_error(exc)}", code="compile_failed"
            ) from exc
        if result.sql_statement.bind_parameter_set.param_items:
            raise InternalError(
                "MetricFlow produced bind parameters; expected literal SQL", code="compile_failed"
            )
        # the period once more on the raw date column, where the warehouse can prune by it
        from semantic_layer.range_pushdown import push_day_ranges  # sqlglot: only when compiling

        sql = push_day_ranges(result.sql_statement.sql, dialect)
        # one metric cannot come back out of order: spare the parse
        return select_in_order(sql, columns, dialect) if len(resolved.query.metrics) > 1 else sql

    # MetricFlow selects time dimensions before the other group-bys, whatever order was asked.
    time_keys = [g.mf_name for g in resolved.group_by if g.name == "metric_time"]
    other_keys = [g.mf_name for g in resolved.group_by if g.name != "metric_time"]
    columns = (*time_keys, *other_keys, *resolved.query.metrics)
    sql = project.cached_sql(("metric_query", resolved.query, dialect, with_order_and_limit), build)
    elapsed_ms = (time.perf_counter() - started) * 1000
    return CompiledQuery(
        sql=sql, dialect=dialect, query=resolved.query, elapsed_ms=elapsed_ms, output_columns=columns
    )


def select_in_order(sql: str, columns: Sequence[str], dialect: str) -> str:
    """`sql` with its outermost projections in the order of `columns` (matched by name, case
    ignored). MetricFlow's pass-through evaluation selects a derived metric after the plain metrics
    computed beside it, whatever order they were asked in; callers read columns by position.
    Unchanged when the outermost select is not one SELECT naming exactly `columns`."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except sqlglot.errors.SqlglotError:
        return sql
    if not isinstance(tree, exp.Select):
        return sql
    by_name = {p.alias_or_name.lower(): p for p in tree.expressions}
    wanted = [c.lower() for c in columns]
    if len(by_name) != len(tree.expressions) or sorted(by_name) != sorted(wanted):
        return sql
    if [p.alias_or_name.lower() for p in tree.expressions] == wanted:
        return sql
    tree.set("expressions", [by_name[c] for c in wanted])
    return tree.sql(dialect=dialect, pretty=True)


def compile_query(
    project: SemanticProject, catalog: Catalog, query: SemanticQuery, dialect: str
) -> CompiledQuery:
    """Validate `query` against `catalog`, then compile it for `dialect` ('duckdb' or 'snowflake')."""
    return compile_resolved(project, validate(query, catalog), dialect)
