"""OpenTelemetry tracing of the service, when configured (`MERCURIOS_OTEL_ENDPOINT`).

One SERVER span per HTTP request (joined to the caller's trace when it sends `traceparent`), and
one child span per stage of the question's road (guard, retrieve, plan, cache, execute, answer),
exported over OTLP/HTTP by a batching background thread. Unset, nothing is recorded and the
stages cost one `None` check each.

Span attributes name the tenant, the route, the status, the cache outcome and stage figures;
never the question, the SQL, result rows or credentials (those stay in the audit log, which is
access-controlled per tenant, unlike a tracing backend).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from opentelemetry import trace

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Tracer

log = logging.getLogger("mercurios.tracing")
_tracer: Tracer | None = None  # set while a `Tracing` is active in this process


def _wall_ns(perf_counter_s: float, offset_ns: int) -> int:
    return int(perf_counter_s * 1e9) + offset_ns


def record_stage(name: str, started: float, ended: float, **attributes: str | int | float | bool) -> None:
    """A finished stage (perf_counter seconds) as a child span of the current request's span."""
    tracer = _tracer
    if tracer is None:
        return
    # perf_counter → wall clock with the offset taken now, not once at import: the wall clock of a
    # long-lived process drifts or is stepped (NTP) away from the monotonic one, and a stale offset
    # put stages seconds outside their request's span (CI, stop 24).
    offset_ns = time.time_ns() - time.perf_counter_ns()
    span = tracer.start_span(
        f"mercurios.{name}",
        start_time=_wall_ns(started, offset_ns),
        attributes={f"mercurios.{k}": v for k, v in attributes.items()},
    )
    span.end(end_time=_wall_ns(ended, offset_ns))


def annotate(**attributes: str | int | float | bool) -> None:
    """Adds attributes to the current span (the request's, when called inside a request)."""
    if _tracer is None:
        return
    span = trace.get_current_span()
    for key, value in attributes.items():
        span.set_attribute(f"mercurios.{key}", value)


class Tracing:
    """The process's tracer provider with an OTLP/HTTP exporter; `shutdown()` flushes it."""

    def __init__(
        self, endpoint: str, *, service_name: str = "mercurios", export_timeout_s: float = 5.0
    ) -> None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        self.endpoint = endpoint.rstrip("/") + "/v1/traces"
        self.provider: TracerProvider = TracerProvider(
            resource=Resource.create({"service.name": service_name})
        )
        self.provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=self.endpoint, timeout=export_timeout_s))
        )
        self.tracer: Tracer = self.provider.get_tracer("mercurios")

    def activate(self) -> None:
        global _tracer
        _tracer = self.tracer

    def shutdown(self) -> None:
        """Exports what is still queued (bounded by the export timeout) and stops recording."""
        global _tracer
        if _tracer is self.tracer:
            _tracer = None
        try:
            self.provider.shutdown()
        except Exception:  # a collector that is down must not break shutdown
            log.warning("could not flush traces to %s", self.endpoint, exc_info=True)


def tracing_from_endpoint(endpoint: str | None, service_name: str = "mercurios") -> Tracing | None:
    if not endpoint:
        return None
    tracing = Tracing(endpoint, service_name=service_name)
    tracing.activate()
    return tracing
