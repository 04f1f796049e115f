"""The `ask` benchmark: where the time of an offline answer goes, stage by stage.

Printed, not asserted (timed unit tests are flaky on shared machines). Targets from the engine
issue: median ≤ 50 ms, p95 ≤ 150 ms, and non-SQL overhead (everything but executing the query)
≤ 20 ms median. Caching is bypassed by giving every repetition its own data-version-neutral
question set run on a fresh cache, so the figures are for answers actually computed.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assistant.core.cache import InProcessCache
from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import AnswerEvent, DoneEvent

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
    answered = 0
    for _ in range(repeat):
        engine.cache = InProcessCache()  # measure computed answers, not cache hits
        for q in questions:
            events = list(engine.ask(q, context))
            done = events[-1]
            assert isinstance(done, DoneEvent)
            answered += any(isinstance(e, AnswerEvent) for e in events)
            t = done.timings_ms
            totals.append(t["total"])
            overheads.append(t["total"] - t.get("execute", 0.0))
            for s in STAGES:
                per_stage[s].append(t.get(s, 0.0))
    stage_median = {s: statistics.median(v) for s, v in per_stage.items()}
    total_sum = sum(sum(v) for v in per_stage.values()) or 1.0
    return AskBenchmark(
        samples=len(totals),
        answered=answered,
        median_ms=statistics.median(totals),
        p95_ms=_p95(totals),
        overhead_median_ms=statistics.median(overheads),
        stage_median_ms=stage_median,
        stage_share={s: sum(v) / total_sum for s, v in per_stage.items()},
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
