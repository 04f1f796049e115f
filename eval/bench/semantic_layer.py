"""How long compiling, guarding and running the retail semantic queries takes (printed, never asserted).

Targets (DESIGN acceptance): compile + guard ≤ 15 ms median in process, and the guarded SQL runs
within 1.1× of the raw compiled SQL.

What is measured, per query of `representative_queries`:

- compile, *uncached*: `SemanticProject` caches compiled SQL per query, so every sample varies the
  query's LIMIT (same plan, same work, a cache miss). The first sample is reported as "cold".
  Cached compiles (validation plus a cache hit) are reported apart; they are what a repeated
  question costs.
- guard: `SemanticLayer.guard` on the compiled SQL for the tenant.
- execution, DuckDB only, all on plain read-only connections of the same file (so the product's
  timeout timer and row conversion do not tilt the comparison):
  *guarded* = the guarded SQL; *raw* = the compiled SQL untouched, over views that keep only the
  tenant's rows (what a row-access policy would do — the fair baseline, same rows read);
  *raw, all tenants* = the compiled SQL over the whole warehouse, for information.
  Each SQL runs once to warm up, then `repeat` times, guarded and raw alternating.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from semantic_layer.comparisons import CompareMode, compile_comparison, compile_share
from semantic_layer.compiler import CompiledQuery
from semantic_layer.facade import SemanticLayer
from semantic_layer.query import Filter, Grain, SemanticQuery, TimeRange
from semantic_layer.warehouses.duckdb import DuckDbWarehouse

TARGET_COMPILE_GUARD_MS = 15.0
TARGET_EXEC_RATIO = 1.1
_UNCACHED_LIMITS = itertools.count(1_000_000)  # a fresh LIMIT per sample: a guaranteed SQL-cache miss


@dataclass(frozen=True)
class BenchQuery:
    name: str
    query: SemanticQuery
    compare: CompareMode | None = None
    share: bool = False


def _month_start(day: dt.date, months_back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def representative_queries(as_of: dt.date) -> tuple[BenchQuery, ...]:
    """About twenty retail questions as a planner would send them, dated relative to `as_of`."""
    last_month = TimeRange(start=_month_start(as_of, 1), end=_month_start(as_of) - dt.timedelta(days=1))
    last_year = TimeRange(start=dt.date(as_of.year - 1, 1, 1), end=dt.date(as_of.year - 1, 12, 31))
    ytd = TimeRange(start=dt.date(as_of.year, 1, 1), end=as_of)
    last_90 = TimeRange(start=as_of - dt.timedelta(days=89), end=as_of)

    def q(
        *metrics: str,
        by: tuple[str, ...] = (),
        grain: Grain = Grain.DAY,
        time_range: TimeRange = TimeRange(),
        filters: tuple[Filter, ...] = (),
    ) -> SemanticQuery:
        return SemanticQuery(
            metrics=metrics, group_by=by, time_grain=grain, time_range=time_range, filters=filters
        )

    online = Filter(dimension="sale_line__channel", values=("online",))
    return (
        BenchQuery("net sales, all time", q("net_sales")),
        BenchQuery(
            "net sales by month, last year",
            q("net_sales", by=("metric_time",), grain=Grain.MONTH, time_range=last_year),
        ),
        BenchQuery(
            "net sales by store city, last month", q("net_sales", by=("store__city",), time_range=last_month)
        ),
        BenchQuery(
            "orders by week, last 90 days",
            q("orders", by=("metric_time",), grain=Grain.WEEK, time_range=last_90),
        ),
        BenchQuery(
            "AOV by channel, YTD", q("average_order_value", by=("sale_line__channel",), time_range=ytd)
        ),
        BenchQuery(
            "margin % by category and month, YTD",
            q("gross_margin_pct", by=("metric_time", "product__category"), grain=Grain.MONTH, time_range=ytd),
        ),
        BenchQuery(
            "return rate by category, last year",
            q("return_rate", by=("product__category",), time_range=last_year),
        ),
        BenchQuery(
            "active customers by tier and quarter",
            q(
                "active_customers",
                by=("metric_time", "customer__loyalty_tier"),
                grain=Grain.QUARTER,
                time_range=ytd,
            ),
        ),
        BenchQuery(
            "new customers by month, YTD",
            q("new_customers", by=("metric_time",), grain=Grain.MONTH, time_range=ytd),
        ),
        BenchQuery(
            "stock by store, last month", q("on_hand_units", by=("store__store_name",), time_range=last_month)
        ),
        BenchQuery(
            "inventory value by category and month",
            q("inventory_value", by=("metric_time", "product__category"), grain=Grain.MONTH, time_range=ytd),
        ),
        BenchQuery(
            "sell-through by season, last 90 days",
            q("sell_through_rate", by=("product__season",), time_range=last_90),
        ),
        BenchQuery(
            "weeks of supply by category, last month",
            q("weeks_of_supply", by=("product__category",), time_range=last_month),
        ),
        BenchQuery(
            "sales per sqm by store city, YTD", q("sales_per_sqm", by=("store__city",), time_range=ytd)
        ),
        BenchQuery(
            "sessions and web orders by device",
            q("sessions", "transactions", by=("web_traffic__device_category",), time_range=last_month),
        ),
        BenchQuery(
            "web conversion by week, last 90 days",
            q("web_conversion_rate", by=("metric_time",), grain=Grain.WEEK, time_range=last_90),
        ),
        BenchQuery(
            "e-mail open rate by campaign, YTD",
            q("email_open_rate", by=("campaign__campaign_name",), time_range=ytd),
        ),
        BenchQuery(
            "online net sales and units by day, last month",
            q("net_sales", "units_sold", by=("metric_time",), filters=(online,), time_range=last_month),
        ),
        BenchQuery(
            "basket size by store type, last month",
            q("units_per_transaction", by=("store__store_type",), time_range=last_month),
        ),
        BenchQuery(
            "net sales by month vs last year",
            q("net_sales", by=("metric_time",), grain=Grain.MONTH, time_range=ytd),
            compare="same_period_last_year",
        ),
        BenchQuery(
            "net sales by city vs previous month",
            q("net_sales", by=("store__city",), time_range=last_month),
            compare="previous_period",
        ),
        BenchQuery(
            "share of net sales by category, YTD",
            q("net_sales", by=("product__category",), time_range=ytd),
            share=True,
        ),
    )


@dataclass(frozen=True)
class Stat:
    median_ms: float
    p95_ms: float
    samples: int

    @classmethod
    def of(cls, samples_ms: Sequence[float]) -> Stat:
        ordered = sorted(samples_ms)
        if not ordered:
            raise ValueError("no samples")
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return cls(median_ms=statistics.median(ordered), p95_ms=p95, samples=len(ordered))


@dataclass(frozen=True)
class QueryTiming:
    name: str
    compile_cold_ms: float  # the first (uncached) compile of this query in this process
    compile_ms: Stat  # uncached compiles
    compile_cached_ms: Stat  # the same query again: validation and an SQL-cache hit
    guard_ms: Stat
    guarded_exec_ms: Stat | None  # None when the warehouse is not a DuckDB file
    raw_exec_ms: Stat | None  # compiled SQL over tenant-scoped views
    raw_all_tenants_exec_ms: Stat | None  # compiled SQL over the whole warehouse
    rows: int | None
    same_result: bool | None  # guarded and tenant-scoped raw returned the same rows

    @property
    def compile_guard_ms(self) -> float:
        return self.compile_ms.median_ms + self.guard_ms.median_ms

    @property
    def exec_ratio(self) -> float | None:
        if self.guarded_exec_ms is None or self.raw_exec_ms is None or self.raw_exec_ms.median_ms <= 0:
            return None
        return self.guarded_exec_ms.median_ms / self.raw_exec_ms.median_ms


@dataclass(frozen=True)
class BenchmarkReport:
    tenant: str
    as_of: dt.date
    repeat: int
    setup_ms: float  # catalog and MetricFlow engine, once per process
    queries: tuple[QueryTiming, ...]

    @property
    def compile_guard_median_ms(self) -> float:
        return statistics.median(q.compile_guard_ms for q in self.queries)

    @property
    def exec_ratio_median(self) -> float | None:
        ratios = [r for q in self.queries if (r := q.exec_ratio) is not None]
        return statistics.median(ratios) if ratios else None

    @property
    def exec_ratio_total(self) -> float | None:
        """Sum of guarded medians over sum of raw medians: the ratio weighted by query cost."""
        pairs = [
            (q.guarded_exec_ms.median_ms, q.raw_exec_ms.median_ms)
            for q in self.queries
            if q.guarded_exec_ms is not None and q.raw_exec_ms is not None
        ]
        raw = sum(r for _, r in pairs)
        return sum(g for g, _ in pairs) / raw if pairs and raw > 0 else None


def _compiler(layer: SemanticLayer, bench: BenchQuery) -> Callable[[SemanticQuery], CompiledQuery]:
    if bench.compare is not None:
        mode = bench.compare
        return lambda q: compile_comparison(layer.project, layer.catalog, q, mode, layer.dialect)
    if bench.share:
        return lambda q: compile_share(layer.project, layer.catalog, q, layer.dialect)
    return layer.compile


def _elapsed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


class _Connections:
    """Plain read-only connections to the warehouse file: whole, and scoped to one tenant by views."""

    def __init__(self, path: Path, layer: SemanticLayer, tenant: str, tenant_column: str) -> None:
        self.whole = duckdb.connect(":memory:")
        self.scoped = duckdb.connect(":memory:")
        neutral = set(layer.project.time_spine_relations())
        literal = "'" + tenant.replace("'", "''") + "'"
        for con in (self.whole, self.scoped):
            con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS wh (READ_ONLY)")
        self.whole.execute("USE wh")
        for schema, table in layer.project.relations():
            where = "" if (schema, table) in neutral else f" WHERE {tenant_column} = {literal}"
            self.scoped.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            self.scoped.execute(
                f'CREATE VIEW "{schema}"."{table}" AS SELECT * FROM wh."{schema}"."{table}"{where}'
            )

    def close(self) -> None:
        self.whole.close()
        self.scoped.close()


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, row_cap: int) -> list[tuple[object, ...]]:
    return con.execute(sql).fetchmany(row_cap + 1)


def _sorted_rows(rows: list[tuple[object, ...]]) -> list[str]:
    return sorted(repr(r) for r in rows)


def bench_query(
    layer: SemanticLayer,
    bench: BenchQuery,
    tenant: str,
    *,
    repeat: int,
    connections: _Connections | None,
) -> QueryTiming:
    compile_fn = _compiler(layer, bench)
    uncached: list[float] = []
    compiled = compile_fn(bench.query)  # validates; also the SQL that is guarded and run below
    for _ in range(max(repeat, 1)):
        varied = bench.query.model_copy(update={"limit": next(_UNCACHED_LIMITS)})
        uncached.append(_elapsed_ms(lambda varied=varied: compile_fn(varied)))  # type: ignore[misc]
    cached = [_elapsed_ms(lambda: compile_fn(bench.query)) for _ in range(max(repeat, 1))]
    guard_samples = [
        _elapsed_ms(lambda: layer.guard(compiled.sql, tenant_id=tenant)) for _ in range(max(repeat, 1))
    ]
    guarded_sql = layer.guard(compiled.sql, tenant_id=tenant).sql
    guarded_stat = raw_stat = whole_stat = None
    rows: int | None = None
    same: bool | None = None
    if connections is not None:
        cap = layer.row_cap
        guarded_rows = _fetch(connections.whole, guarded_sql, cap)  # warm-up runs, and the results
        raw_rows = _fetch(connections.scoped, compiled.sql, cap)
        _fetch(connections.whole, compiled.sql, cap)
        rows, same = len(guarded_rows), _sorted_rows(guarded_rows) == _sorted_rows(raw_rows)
        guarded: list[float] = []
        raw: list[float] = []
        whole: list[float] = []
        for i in range(max(repeat, 1)):
            runs = [
                (guarded, lambda: _fetch(connections.whole, guarded_sql, cap)),
                (raw, lambda: _fetch(connections.scoped, compiled.sql, cap)),
            ]
            for samples, run in runs if i % 2 == 0 else reversed(runs):
                samples.append(_elapsed_ms(run))
            whole.append(_elapsed_ms(lambda: _fetch(connections.whole, compiled.sql, cap)))
        guarded_stat, raw_stat, whole_stat = Stat.of(guarded), Stat.of(raw), Stat.of(whole)
    return QueryTiming(
        name=bench.name,
        compile_cold_ms=uncached[0],
        compile_ms=Stat.of(uncached),
        compile_cached_ms=Stat.of(cached),
        guard_ms=Stat.of(guard_samples),
        guarded_exec_ms=guarded_stat,
        raw_exec_ms=raw_stat,
        raw_all_tenants_exec_ms=whole_stat,
        rows=rows,
        same_result=same,
    )


def run_benchmark(
    layer: SemanticLayer,
    tenant: str,
    *,
    repeat: int = 20,
    as_of: dt.date | None = None,
    queries: Sequence[BenchQuery] | None = None,
    tenant_column: str = "tenant_id",
) -> BenchmarkReport:
    """Time every query (see module docstring). Execution is timed only on a DuckDB file warehouse."""
    # time MetricFlow, not the disk cache, and keep the LIMIT-varied samples out of that cache
    layer.project.cache = None
    started = time.perf_counter()
    _ = layer.catalog
    layer.project.engine(layer.dialect)
    setup_ms = (time.perf_counter() - started) * 1000
    if as_of is None:
        as_of = layer.data_version(tenant).last_data_date or dt.date.today()
    selected = tuple(queries) if queries is not None else representative_queries(as_of)
    warehouse = layer.warehouse
    connections = (
        _Connections(warehouse.path, layer, tenant, tenant_column)
        if isinstance(warehouse, DuckDbWarehouse)
        else None
    )
    try:
        timings = tuple(
            bench_query(layer, b, tenant, repeat=repeat, connections=connections) for b in selected
        )
    finally:
        if connections is not None:
            connections.close()
    return BenchmarkReport(tenant=tenant, as_of=as_of, repeat=repeat, setup_ms=setup_ms, queries=timings)


def format_report(report: BenchmarkReport) -> str:
    """A plain-text table, then the medians against the targets."""
    lines = [
        f"tenant {report.tenant}, as of {report.as_of.isoformat()}, {report.repeat} repeats; "
        f"catalog + engine setup {report.setup_ms:.0f} ms (once per process)",
        "compile = uncached (LIMIT varied), median; cached = SQL-cache hit; exec medians in ms; "
        "raw = compiled SQL over tenant-scoped views; all = raw over all tenants",
        f"{'query':<46} {'cold':>6} {'compile':>8} {'p95':>6} {'cached':>7} {'guard':>6} {'p95':>6} "
        f"{'guarded':>8} {'raw':>8} {'ratio':>6} {'all':>8} {'rows':>5}",
    ]

    def ms(stat: Stat | None, width: int) -> str:
        return f"{stat.median_ms:>{width}.2f}" if stat is not None else f"{'-':>{width}}"

    for q in report.queries:
        ratio = f"{q.exec_ratio:>6.2f}" if q.exec_ratio is not None else f"{'-':>6}"
        flag = "" if q.same_result in (True, None) else "  (results differ!)"
        lines.append(
            f"{q.name[:46]:<46} {q.compile_cold_ms:>6.1f} {q.compile_ms.median_ms:>8.2f} "
            f"{q.compile_ms.p95_ms:>6.1f} {q.compile_cached_ms.median_ms:>7.2f} {q.guard_ms.median_ms:>6.2f} "
            f"{q.guard_ms.p95_ms:>6.1f} {ms(q.guarded_exec_ms, 8)} {ms(q.raw_exec_ms, 8)} {ratio} "
            f"{ms(q.raw_all_tenants_exec_ms, 8)} {q.rows if q.rows is not None else '-':>5}{flag}"
        )
    cg = report.compile_guard_median_ms
    lines.append(
        f"compile + guard, median over queries: {cg:.2f} ms "
        f"(target <= {TARGET_COMPILE_GUARD_MS:g} ms: {'met' if cg <= TARGET_COMPILE_GUARD_MS else 'MISSED'})"
    )
    exec_ratio = report.exec_ratio_median
    if exec_ratio is None:
        lines.append("guarded vs raw execution: not measured (not a DuckDB file warehouse)")
    else:
        total = report.exec_ratio_total
        lines.append(
            f"guarded / raw execution, median over queries: {exec_ratio:.3f}x; "
            f"cost-weighted: {total or 0:.3f}x "
            f"(target <= {TARGET_EXEC_RATIO:g}x: {'met' if exec_ratio <= TARGET_EXEC_RATIO else 'MISSED'})"
        )
    return "\n".join(lines)
