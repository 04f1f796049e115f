"""The `ask` benchmark: where the time of an offline answer goes, stage by stage.

Printed, not asserted (timed unit tests are flaky on shared machines). Targets from the engine
issue: median ≤ 50 ms, p95 ≤ 150 ms, and non-SQL overhead (everything but executing the query)
≤ 20 ms median. Caching is bypassed by giving every repetition its own data-version-neutral
question set run on a fresh cache, so the figures are for answers actually computed.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.core.cache import InProcessCache
from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import AnswerEvent, DoneEvent, SqlEvent

QUESTIONS: tuple[str, ...] = (
    "net sales last month",
    "net sales by store last month",
    "gross margin by category this year",
    "top 5 products by units sold last week",
    "weekly net sales in Q3",
    "which categories lost margin vs last year?",
    "what share of sales is online?",
    "return rate by category YTD",
    "orders and average order value by channel last quarter",
    "net sales in Hamburg last month vs last year",
    "units sold by brand in September 2026",
    "active customers by loyalty tier this year",
    "sessions by source last 4 weeks",
    "email open rate by campaign this quarter",
    "what is running out of stock?",
    "inventory value by category",
    "sell-through rate by category last month",
    "basket size by store last month",
    "revenue per square metre by store this year",
    "net sales trend this year",
)

STAGES = ("guard", "retrieve", "plan", "cache", "compile", "sql_guard", "execute", "answer")


@dataclass(frozen=True)
class AskBenchmark:
    samples: int
    answered: int
    median_ms: float
    p95_ms: float
    overhead_median_ms: float  # total minus warehouse execution
    stage_median_ms: dict[str, float]
    stage_share: dict[str, float]
    overhead_p95_ms: float = 0.0
    stage_p95_ms: dict[str, float] = field(default_factory=dict)
    question_median_ms: dict[str, float] = field(default_factory=dict)  # per question, total
    executed_sql: dict[str, str] = field(default_factory=dict)  # per question, as the guard let it run


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_ask_benchmark(
    engine: Engine, tenant_id: str, *, as_of: date, repeat: int = 3, questions: Sequence[str] = QUESTIONS
) -> AskBenchmark:
    context = RequestContext(tenant_id=tenant_id, as_of=as_of)
    for q in questions:  # warm-up: lexicon, MetricFlow engines, DuckDB caches
        list(engine.ask(q, context))
    totals: list[float] = []
    overheads: list[float] = []
    per_stage: dict[str, list[float]] = {s: [] for s in STAGES}
    per_question: dict[str, list[float]] = {q: [] for q in questions}
    executed: dict[str, str] = {}
    answered = 0
    for _ in range(repeat):
        engine.cache = InProcessCache()  # measure computed answers, not cache hits
        for q in questions:
            events = list(engine.ask(q, context))
            done = events[-1]
            assert isinstance(done, DoneEvent)
            answered += any(isinstance(e, AnswerEvent) for e in events)
            for event in events:
                if isinstance(event, SqlEvent):
                    executed[q] = event.sql
            t = done.timings_ms
            totals.append(t["total"])
            per_question[q].append(t["total"])
            overheads.append(t["total"] - t.get("execute", 0.0))
            for s in STAGES:
                per_stage[s].append(t.get(s, 0.0))
    total_sum = sum(sum(v) for v in per_stage.values()) or 1.0
    return AskBenchmark(
        samples=len(totals),
        answered=answered,
        median_ms=statistics.median(totals),
        p95_ms=_p95(totals),
        overhead_median_ms=statistics.median(overheads),
        stage_median_ms={s: statistics.median(v) for s, v in per_stage.items()},
        stage_share={s: sum(v) / total_sum for s, v in per_stage.items()},
        overhead_p95_ms=_p95(overheads),
        stage_p95_ms={s: _p95(v) for s, v in per_stage.items()},
        question_median_ms={q: statistics.median(v) for q, v in per_question.items() if v},
        executed_sql=executed,
    )


def format_ask_benchmark(result: AskBenchmark) -> str:
    lines = [
        f"ask (offline planner): {result.samples} answers ({result.answered} with data)",
        f"  total   median {result.median_ms:7.1f} ms (target ≤ 50)   "
        f"p95 {result.p95_ms:7.1f} ms (target ≤ 150)",
        f"  non-SQL overhead median {result.overhead_median_ms:7.1f} ms (target ≤ 20)",
        "  stage      median ms   share of time",
    ]
    for stage in STAGES:
        lines.append(
            f"  {stage:<10} {result.stage_median_ms[stage]:9.2f}   {100 * result.stage_share[stage]:5.1f} %"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class ScaledAsk:
    """One warehouse's figures: the engine's, and DuckDB's own for the SQL the engine ran."""

    label: str
    result: AskBenchmark
    floor_ms: list[float]  # per question: DuckDB alone, the executed SQL on a plain connection


def duckdb_floor(path: Path, result: AskBenchmark, *, repeat: int) -> list[float]:
    """DuckDB's own time (median of `repeat`) for each SQL the engine ran: the floor under `execute`."""
    from eval.bench.report import raw_duckdb_ms

    return raw_duckdb_ms(path, list(result.executed_sql.values()), repeat=repeat)


# The targets at ten times the data (scale 10, ≈ 11 M sales lines), in process.
SCALE10_TARGETS = {"median": 80.0, "p95": 250.0}


def format_scaled(runs: Sequence[ScaledAsk], *, slowest: int = 3) -> str:
    """Per stage median / p95 side by side, one column pair per warehouse, then DuckDB's floor."""
    head = f"{'':<24}" + "".join(f"{r.label:>22}" for r in runs)
    sub = f"{'ms':<24}" + "".join(f"{'median':>11}{'p95':>11}" for _ in runs)
    lines = [head, sub]

    def row(name: str, pairs: Sequence[tuple[float, float]]) -> None:
        lines.append(f"{name:<24}" + "".join(f"{m:>11.1f}{p:>11.1f}" for m, p in pairs))

    row("total", [(r.result.median_ms, r.result.p95_ms) for r in runs])
    row("  non-SQL overhead", [(r.result.overhead_median_ms, r.result.overhead_p95_ms) for r in runs])
    for stage in STAGES:
        row(f"  {stage}", [(r.result.stage_median_ms[stage], r.result.stage_p95_ms[stage]) for r in runs])
    row(
        "DuckDB alone (floor)",
        [
            (statistics.median(r.floor_ms), _p95(r.floor_ms)) if r.floor_ms else (float("nan"),) * 2
            for r in runs
        ],
    )
    lines.append(
        f"{'answers (with data)':<24}"
        + "".join(f"{f'{r.result.samples} ({r.result.answered})':>22}" for r in runs)
    )
    for r in runs:
        worst = sorted(r.result.question_median_ms.items(), key=lambda kv: -kv[1])[:slowest]
        lines.append(f"slowest at {r.label}: " + "; ".join(f"{q} {ms:.0f} ms" for q, ms in worst))
    lines.append(
        f"targets at scale 10: median ≤ {SCALE10_TARGETS['median']:g} ms, p95 ≤ {SCALE10_TARGETS['p95']:g} ms"
        " (in process, computed answers; guarded / raw SQL ≤ 1.1×: `mercurios bench sl`)"
    )
    return "\n".join(lines)
