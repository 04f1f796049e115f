"""OpenTelemetry tracing when configured: a request's SERVER span joins the caller's trace, the
question's stages are its children, routes are named by template, and no span carries the
question, the SQL or a credential. A collector that is down costs the user nothing."""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

import pytest

from assistant.channels.server import create_app
from assistant.runtime.app_services import ApiServices
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer, free_port, read_sse
from tests.assistant.api.conftest import NORDWIND, Backend, base_settings, start_services
from tests.assistant.api.otlp_collector import OtlpCollector, ReceivedSpan
from tests.demo import DemoWarehouse

AS_OF = "2026-10-31"
QUESTION = "net sales by store last month"
LINKED_QUESTION = "stock of socks in Hamburg"
SERVER_KIND = 2  # opentelemetry.proto.trace.v1.Span.SPAN_KIND_SERVER


def _serve(
    demo_warehouse: DemoWarehouse, tmp_path: Path, sl: SemanticLayer, endpoint: str
) -> tuple[ApiServices, str]:
    settings = base_settings(demo_warehouse, tmp_path, api={"otel_endpoint": endpoint})
    services = start_services(Backend("sqlite+inprocess", settings), sl)
    token = services.keys.create(NORDWIND, "analyst", "tracing test").token
    return services, token


def test_a_request_is_one_server_span_with_its_stages_as_children(
    demo_warehouse: DemoWarehouse, tmp_path: Path, api_semantic_layer: SemanticLayer
) -> None:
    trace_id, parent_id = secrets.token_hex(16), secrets.token_hex(8)
    with OtlpCollector() as collector:
        services, token = _serve(demo_warehouse, tmp_path, api_semantic_layer, collector.url)
        with LiveServer(create_app(services=services)) as server, server.client(token) as client:
            traceparent = {"traceparent": f"00-{trace_id}-{parent_id}-01"}
            first = client.post("/v1/ask", json={"question": QUESTION, "as_of": AS_OF}, headers=traceparent)
            assert first.status_code == 200, first.text
            conversation = first.json()["conversation_id"]
            again = client.post("/v1/ask", json={"question": QUESTION, "as_of": AS_OF})
            assert again.json()["cached"] is True
            assert client.get(f"/v1/conversations/{conversation}").status_code == 200
            chat = {"question": "orders last week", "as_of": AS_OF}
            with client.stream("POST", "/v1/chat", json=chat) as r:
                assert [e.event for e in read_sse(r)][-1] == "done"
            forged = {"Authorization": "Bearer mk_forged_key"}
            assert client.get("/v1/catalog", headers=forged).status_code == 401
            # a digest's question link carries the question (and its token) in the query string
            link = {"tenant": NORDWIND, "q": LINKED_QUESTION, "t": "linktoken0123456789"}
            assert client.get("/ask", params=link).status_code == 404
        # the server's shutdown flushed every span to the collector
    spans = collector.spans
    servers = [s for s in spans if s.kind == SERVER_KIND]

    asked = [s for s in servers if s.trace_id == trace_id]
    assert len(asked) == 1, [s.name for s in servers]
    ask = asked[0]
    assert ask.name == "POST /v1/ask" and ask.parent_span_id == parent_id  # joined the caller's trace
    assert ask.attributes["http.response.status_code"] == 200
    assert ask.attributes["mercurios.tenant_id"] == NORDWIND
    assert ask.attributes["mercurios.cache"] == "miss"
    assert ask.resource["service.name"] == "mercurios"
    stages = {s.name: s for s in spans if s.parent_span_id == ask.span_id}
    assert {"mercurios.guard", "mercurios.plan", "mercurios.cache", "mercurios.execute"} <= set(stages)
    execute = stages["mercurios.execute"]
    assert int(str(execute.attributes["mercurios.rows"])) > 0
    for child in stages.values():  # inside the request, in order of time
        assert ask.start_ns <= child.start_ns <= child.end_ns <= ask.end_ns

    hit = next(s for s in servers if s.name == "POST /v1/ask" and s.trace_id != trace_id)
    assert hit.attributes["mercurios.cache"] == "hit"
    hit_stages = {s.name for s in spans if s.parent_span_id == hit.span_id}
    assert "mercurios.cache" in hit_stages and "mercurios.execute" not in hit_stages

    names = {s.name for s in servers}
    assert "GET /v1/conversations/{conversation_id}" in names  # the route template, not the id
    assert not any(conversation in s.name for s in spans)
    streamed = next(s for s in servers if s.name == "POST /v1/chat")
    assert any(s.parent_span_id == streamed.span_id and s.name == "mercurios.plan" for s in spans)
    refused = next(s for s in servers if s.name == "GET /v1/catalog")
    assert refused.attributes["http.response.status_code"] == 401
    assert "mercurios.tenant_id" not in refused.attributes

    exported = json.dumps([_text(s) for s in spans])
    assert any(s.name == "GET /ask" for s in servers)
    for secret in (
        token,
        "mk_forged_key",
        QUESTION,
        "orders last week",
        "SELECT",
        "socks",
        "linktoken",
    ):
        assert secret not in exported


def _text(span: ReceivedSpan) -> dict[str, object]:
    return {"name": span.name, "attributes": {k: str(v) for k, v in span.attributes.items()}}


@pytest.mark.timed_waits  # the OTLP exporter's retry backoff and the span processor's flush wait
def test_a_collector_that_is_down_does_not_touch_answers(
    demo_warehouse: DemoWarehouse, tmp_path: Path, api_semantic_layer: SemanticLayer
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    services, token = _serve(demo_warehouse, tmp_path, api_semantic_layer, dead)
    started = time.monotonic()
    with LiveServer(create_app(services=services)) as server, server.client(token) as client:
        for _ in range(3):
            r = client.post("/v1/ask", json={"question": QUESTION, "as_of": AS_OF})
            assert r.status_code == 200 and r.json()["answer"], r.text
    assert time.monotonic() - started < 60  # shutdown gave up on the collector in bounded time
