"""Prometheus metrics of one app (own registry: several apps in one process stay apart).

Guard rejections are counted by guard and rule: the SQL guard's rule (from a `guard_rejected`
error, whose message names it) and the input guard's refusals (by reason). LLM tokens and cost
come from the `done` event's `usage`, so they count exactly what the engine accounted per turn.
LLM-call cache hits and misses are the cache's own counts, read at scrape time (`observe_llm_cache`):
a hit sends no request and spends no token, so it never shows up in the token counters.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from assistant.core.events import ErrorEvent, RefusalEvent, TurnSummary

_GUARD_RULE = re.compile(r"guard rule '([A-Za-z0-9_.-]+)'")
# Refusal reasons that come from the input guard (other refusals are the planner's, e.g. off topic).
_INPUT_GUARD_REASONS = frozenset({"empty", "too_long", "injection"})


class _LlmCacheCounts(Collector):
    """`mercurios_llm_cache_total{result=hit|miss|store}`: counts kept by the LLM-call cache."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def update(self, counts: Mapping[str, int]) -> None:
        with self._lock:
            self._counts = dict(counts)

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            counts = dict(self._counts)
        if not counts:
            return
        family = CounterMetricFamily(
            "mercurios_llm_cache",
            "LLM calls answered from the LLM-call cache (hit, no tokens), not found there (miss), stored",
            labels=["result"],
        )
        for result, value in sorted(counts.items()):
            family.add_metric([result], value)
        yield family


class ApiMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "mercurios_http_requests", "HTTP requests", ["route", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "mercurios_http_request_seconds", "HTTP request latency", ["route"], registry=self.registry
        )
        self.stage = Histogram(
            "mercurios_engine_stage_seconds", "Time per engine stage", ["stage"], registry=self.registry
        )
        self.cache = Counter(
            "mercurios_answer_cache", "Answer cache lookups", ["result"], registry=self.registry
        )
        self.outcomes = Counter(
            "mercurios_answers",
            "Answers by outcome (data, refusal, error code)",
            ["outcome"],
            registry=self.registry,
        )

        self.guard_rejections = Counter(
            "mercurios_guard_rejections",
            "Questions or queries refused by a guard, by guard (sql, input) and rule",
            ["guard", "rule"],
            registry=self.registry,
        )
        self.llm_tokens = Counter(
            "mercurios_llm_tokens", "LLM tokens used", ["model", "kind"], registry=self.registry
        )
        self.llm_cost = Counter(
            "mercurios_llm_cost_usd",
            "LLM cost in USD (litellm's price list)",
            ["model"],
            registry=self.registry,
        )
        self.llm_cache = _LlmCacheCounts()
        self.registry.register(self.llm_cache)

    def observe_llm_cache(self, counts: Mapping[str, int] | None) -> None:
        """The LLM-call cache's running counts (None: no LLM cache configured, nothing exported)."""
        if counts is not None:
            self.llm_cache.update(counts)

    def guard_rejection(self, rule: str, *, guard: str = "sql") -> None:
        self.guard_rejections.labels(guard, rule).inc()

    def observe_usage(self, usage: dict[str, float | str]) -> None:
        model = str(usage.get("model", "unknown"))
        for key, kind in (("prompt_tokens", "prompt"), ("completion_tokens", "completion")):
            value = usage.get(key)
            if isinstance(value, int | float) and value > 0:
                self.llm_tokens.labels(model, kind).inc(value)
        cost = usage.get("cost_usd")
        if isinstance(cost, int | float) and cost > 0:
            self.llm_cost.labels(model).inc(cost)

    def observe_turn(self, turn: TurnSummary) -> None:
        for o in turn.outcomes:
            if isinstance(o, RefusalEvent) and o.reason in _INPUT_GUARD_REASONS:
                self.guard_rejection(o.reason, guard="input")
            elif isinstance(o, ErrorEvent) and o.code == "guard_rejected":
                match = _GUARD_RULE.search(o.message)
                self.guard_rejection(match.group(1) if match else "unknown")
        if turn.done is not None:
            if turn.done.cache is not None:
                self.cache.labels(turn.done.cache).inc()
            for stage, ms in turn.done.timings_ms.items():
                self.stage.labels(stage).observe(ms / 1000)
            self.observe_usage(turn.done.usage)
        self.outcomes.labels(turn.outcome).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
