"""Pure ASGI middleware (safe for streaming responses): body size limit, per-tenant CORS, and
request ids with one structured log line and metrics per request.

CORS is per tenant: a preflight carries no credential, so it is answered for any origin some
tenant allows; the real request is then checked against the caller's own tenant by `auth`, and
only an origin that passed that check is echoed in `Access-Control-Allow-Origin`.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from opentelemetry.trace import SpanKind, StatusCode, get_current_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.core.tracing import Tracing
from assistant.runtime.app_services import ApiServices
from assistant.runtime.web.errors import PayloadTooLarge, error_body

log = logging.getLogger("mercurios.api.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


async def _send_json(
    send: Send, status: int, body: dict[str, object], headers: list[tuple[bytes, bytes]]
) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def _trace_id() -> dict[str, str]:
    """The request's trace id for the log line, when tracing records it (logs ↔ traces)."""
    context = get_current_span().get_span_context()
    return {"trace_id": format(context.trace_id, "032x")} if context.is_valid else {}


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _send_json(
                send, 413, error_body("payload_too_large", f"the body exceeds {self.max_bytes} bytes"), []
            )
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise PayloadTooLarge(f"the body exceeds {self.max_bytes} bytes")
            return message

        await self.app(scope, limited, send)


class TenantCors:
    def __init__(self, app: ASGIApp, services: Callable[[], ApiServices]) -> None:
        self.app = app
        self.services = services

    def _any_tenant_allows(self, origin: str) -> bool:
        return any(origin in t.cors_origins for t in self.services().tenants.all().values())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        origin = headers.get(b"origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            if not self._any_tenant_allows(origin.decode("latin-1")):
                await _send_json(
                    send, 403, error_body("origin_not_allowed", "this origin is not allowed"), []
                )
                return
            await _send_json(
                send,
                200,
                {},
                [
                    (b"access-control-allow-origin", origin),
                    (b"access-control-allow-methods", b"GET, POST, PUT, DELETE"),
                    (b"access-control-allow-headers", b"authorization, content-type, x-request-id"),
                    (b"access-control-max-age", b"600"),
                    (b"vary", b"Origin"),
                ],
            )
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                allowed = scope.get("state", {}).get("cors_origin")
                extra = [(b"vary", b"Origin")]
                if allowed is not None and allowed.encode("latin-1") == origin:
                    extra.append((b"access-control-allow-origin", origin))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_cors)


class RequestLog:
    """A request id per request (echoed in `X-Request-Id`), one JSON log line, request metrics."""

    def __init__(self, app: ASGIApp, services: Callable[[], ApiServices]) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())],
                }
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            metrics = self.services().metrics
            metrics.requests.labels(route, scope["method"], str(status)).inc()
            metrics.latency.labels(route).observe(elapsed)
            log.info(
                json.dumps(
                    {
                        "request_id": request_id,
                        "tenant": scope.get("state", {}).get("tenant_id"),
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "ms": round(elapsed * 1000, 2),
                        **_trace_id(),
                    }
                )
            )


class TraceRequests:
    """One OpenTelemetry SERVER span per HTTP request (outermost, so it covers everything), joined
    to the caller's trace by its `traceparent` header; named by the matched route, not the raw
    path (ids in paths would make every conversation its own span name).

    Kept instead of opentelemetry-instrumentation-fastapi (0.66b2): that one records the full URL
    with its query string (`http.url`), which for `GET /ask?q=…&t=…` and `/demo?q=…` is the
    question and a signed link token — spans must carry neither (see `core/tracing.py`)."""

    def __init__(self, app: ASGIApp, tracing: Tracing) -> None:
        self.app = app
        self.tracer = tracing.tracer
        self.propagator = TraceContextTextMapPropagator()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        parent = self.propagator.extract(carrier)
        method = scope["method"]
        status = 500

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        with self.tracer.start_as_current_span(
            method, context=parent, kind=SpanKind.SERVER, attributes={"http.request.method": method}
        ) as span:
            try:
                await self.app(scope, receive, observed)
            finally:
                route = getattr(scope.get("route"), "path", None)
                if route is not None:
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                state = scope.get("state", {})
                for key in ("tenant_id", "request_id"):
                    if state.get(key):
                        span.set_attribute(f"mercurios.{key}", str(state[key]))
                if status >= 500:
                    span.set_status(StatusCode.ERROR)
