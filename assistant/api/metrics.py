"""Prometheus metrics of one app (own registry: several apps in one process stay apart)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from assistant.events import DoneEvent, ErrorEvent, Event, RefusalEvent


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

    def observe_events(self, events: list[Event]) -> None:
        outcome = "data"
        for e in events:
            if isinstance(e, RefusalEvent):
                outcome = f"refusal:{e.reason}"
            elif isinstance(e, ErrorEvent):
                outcome = f"error:{e.code}"
            elif isinstance(e, DoneEvent):
                if e.cache is not None:
                    self.cache.labels(e.cache).inc()
                for stage, ms in e.timings_ms.items():
                    self.stage.labels(stage).observe(ms / 1000)
        self.outcomes.labels(outcome).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
