"""`mercurios eval bench`: the performance figures of every issue in one report, each beside the raw
DuckDB time of the same SQL where that applies.

Why one report: a speed claim means little alone — "ask takes 60 ms" is good or bad depending on
what the warehouse needs for the query itself. So every engine figure is printed next to the time a
plain read-only DuckDB connection needs for the SQL the engine ran, and the ratio says what our
layers (planning, compiling, guarding, answering, caching) add. The existing benchmarks are called,
not re-implemented: `eval.bench.semantic_layer` (compile, guard, guarded vs raw execution),
`eval.bench.ask` (end-to-end `ask` by stage) and `eval.bench.retrieval` (indexing and
search). Figures are printed, never asserted (timed assertions are flaky on shared machines).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from assistant.core.cache import InProcessCache
from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import DoneEvent, SqlEvent
from eval.bench.ask import QUESTIONS, run_ask_benchmark
from eval.bench.retrieval import BenchResult as RetrievalResult
from eval.bench.semantic_layer import representative_queries
from eval.bench.semantic_layer import run_benchmark as run_sl_benchmark
from semantic_layer.facade import SemanticLayer


@dataclass(frozen=True)
class BenchLine:
    """One measured figure; `raw_ms` is DuckDB's own time for the same SQL, when there is one."""

    section: str
    name: str
    p50_ms: float
    p95_ms: float | None = None
    raw_ms: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.raw_ms is None or self.raw_ms <= 0:
            return None
        return self.p50_ms / self.raw_ms


@dataclass(frozen=True)
class BenchReport:
    warehouse: str
    scale: float | None
    tenant: str
    lines: tuple[BenchLine, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def section(self, name: str) -> list[BenchLine]:
        return [line for line in self.lines if line.section == name]


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _executed_sql(engine: Engine, questions: Sequence[str], context: RequestContext) -> dict[str, str]:
    """The SQL each question really ran (after the guard), as the engine reported it."""
    out: dict[str, str] = {}
    for q in questions:
        for event in engine.ask(q, context):
            if isinstance(event, SqlEvent):
                out[q] = event.sql
    return out


def raw_duckdb_ms(path: Path, sqls: Sequence[str], *, repeat: int) -> list[float]:
    """Median DuckDB time per SQL on a plain read-only connection (one warm-up run each).

    The file is ATTACHed to an in-memory database rather than opened directly: DuckDB refuses a
    second connection to a file with another configuration than the engine's in the same process.
    """
    con = duckdb.connect(":memory:")
    try:
        literal = str(path).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS warehouse (READ_ONLY)")
        con.execute("USE warehouse")
        medians = []
        for sql in sqls:
            con.execute(sql).fetchall()
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                con.execute(sql).fetchall()
                samples.append((time.perf_counter() - started) * 1000)
            medians.append(statistics.median(samples))
        return medians
    finally:
        con.close()


def bench_ask_and_cache(
    engine: Engine,
    duckdb_path: Path,
    tenant: str,
    *,
    as_of: date,
    repeat: int,
    questions: Sequence[str] = QUESTIONS,
) -> list[BenchLine]:
    """End-to-end `ask` (computed answers) and cache hits, both beside the raw time of their SQL."""
    context = RequestContext(tenant_id=tenant, as_of=as_of)
    asked = run_ask_benchmark(engine, tenant, as_of=as_of, repeat=repeat, questions=questions)
    sqls = _executed_sql(engine, questions, context)
    raw = raw_duckdb_ms(duckdb_path, list(sqls.values()), repeat=max(repeat, 3))
    raw_median = statistics.median(raw) if raw else None
    lines = [
        BenchLine("ask", "ask end to end (computed)", asked.median_ms, asked.p95_ms, raw_median,
                  f"{asked.samples} answers; non-SQL overhead median {asked.overhead_median_ms:.1f} ms"),
    ]  # fmt: skip
    for stage, ms in asked.stage_median_ms.items():
        lines.append(
            BenchLine("ask", f"  stage {stage}", ms, None, raw_median if stage == "execute" else None)
        )
    engine.cache = InProcessCache()
    for q in sqls:  # fill the cache
        list(engine.ask(q, context))
    hits: list[float] = []
    misses = 0
    for _ in range(repeat):
        for q in sqls:
            started = time.perf_counter()
            events = list(engine.ask(q, context))
            hits.append((time.perf_counter() - started) * 1000)
            done = events[-1]
            misses += not (isinstance(done, DoneEvent) and done.cache == "hit")
    if hits:
        note = f"{len(hits)} repeated questions" + (f"; {misses} were NOT cache hits" if misses else "")
        lines.append(
            BenchLine("cache", "ask, cache hit", statistics.median(hits), _p95(hits), raw_median, note)
        )
    return lines


def bench_semantic_layer(
    layer: SemanticLayer,
    tenant: str,
    *,
    as_of: date,
    repeat: int,
    tenant_column: str,
    sample: int | None = None,
) -> list[BenchLine]:
    """Compile + guard per query, and guarded execution beside the raw compiled SQL (same rows)."""
    queries = representative_queries(as_of)[:sample]
    report = run_sl_benchmark(
        layer, tenant, repeat=repeat, as_of=as_of, tenant_column=tenant_column, queries=queries
    )
    compile_guard = [q.compile_guard_ms for q in report.queries]
    lines = [
        BenchLine("semantic layer", "compile + guard (uncached)", statistics.median(compile_guard),
                  _p95(compile_guard), None, f"{len(report.queries)} queries"),
    ]  # fmt: skip
    guarded = [q.guarded_exec_ms.median_ms for q in report.queries if q.guarded_exec_ms is not None]
    raw = [q.raw_exec_ms.median_ms for q in report.queries if q.raw_exec_ms is not None]
    if guarded and raw:
        note = "raw = compiled SQL on tenant-only views"
        line = BenchLine("semantic layer", "execute guarded SQL", statistics.median(guarded), _p95(guarded),
                         statistics.median(raw), note)  # fmt: skip
        lines.append(line)
    return lines


def bench_retrieval(run: Callable[[int], RetrievalResult], chunk_counts: Sequence[int]) -> list[BenchLine]:
    """Indexing throughput and search latency (no SQL, so no raw ratio)."""
    lines = []
    for n in chunk_counts:
        r = run(n)
        note = f"indexing {r.chunks_per_s:.0f} chunks/s, {r.values_per_s:.0f} values/s"
        lines.append(BenchLine("retrieval", f"search over {n} chunks", r.p50_ms, r.p95_ms, None, note))
    return lines


def render_bench(report: BenchReport) -> str:
    head = f"mercurios eval bench — warehouse {report.warehouse}"
    head += f" (scale {report.scale:g})" if report.scale is not None else ""
    lines = [head, f"tenant {report.tenant}; ratio = our p50 / raw DuckDB p50 of the same SQL", ""]
    lines.append(f"{'':<36} {'p50 ms':>9} {'p95 ms':>9} {'raw ms':>9} {'ratio':>7}")
    section = None
    for line in report.lines:
        if line.section != section:
            section = line.section
            lines.append(f"[{section}]")

        def cell(v: float | None, fmt: str = "9.2f") -> str:
            return format(v, fmt) if v is not None else f"{'-':>9}"

        ratio = f"{line.ratio:6.1f}x" if line.ratio is not None else f"{'-':>7}"
        text = f"{line.name:<36} {cell(line.p50_ms)} {cell(line.p95_ms)} {cell(line.raw_ms)} {ratio}"
        lines.append(text + (f"  {line.note}" if line.note else ""))
    lines.extend(f"note: {n}" for n in report.notes)
    return "\n".join(lines)
