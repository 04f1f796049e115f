"""Acceptance 5: bad input and dead dependencies get a clear error with a stable code."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.channels.server import create_app
from assistant.runtime.persistence.models import AuditRow, ConversationRow, TurnRow
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer, TcpProxy, free_port, postgres_database
from tests.assistant.api.conftest import NORDWIND, Api, Backend, base_settings, start_services
from tests.demo import DemoWarehouse


def _code(r: object) -> str:
    return str(r.json()["error"]["code"])  # type: ignore[attr-defined]


def test_bad_requests_get_stable_codes(api: Api) -> None:
    with api.server.client(api.key(NORDWIND)) as client:
        r = client.post("/v1/ask", content=b'{"question": ', headers={"content-type": "application/json"})
        assert (r.status_code, _code(r)) == (400, "malformed_json")
        r = client.post("/v1/ask", json={"question": "x" * 200_000})
        assert (r.status_code, _code(r)) == (413, "payload_too_large")
        r = client.post("/v1/ask", json={"question": "net sales", "colour": "blue"})
        assert (r.status_code, _code(r)) == (422, "unknown_field")
        r = client.post("/v1/ask", json={"question": 42})
        assert (r.status_code, _code(r)) == (422, "invalid_request")
        r = client.post("/v1/ask", json={"question": "net sales", "as_of": "yesterday"})
        assert (r.status_code, _code(r)) == (422, "invalid_request")
        r = client.get("/v1/conversations/../../etc")
        assert r.status_code == 404
        r = client.get("/v1/conversations/not-a-conversation-id")
        assert (r.status_code, _code(r)) == (422, "invalid_conversation_id")
        r = client.get("/v1/conversations/" + "0" * 32)
        assert (r.status_code, _code(r)) == (404, "conversation_not_found")
        r = client.post("/v1/query", json={"metrics": ["no_such_metric"]})
        assert r.status_code == 404 and "no_such_metric" in r.json()["error"]["message"]
    with api.server.client() as anonymous:
        r = anonymous.get("/v1/catalog")
        assert (r.status_code, _code(r)) == (401, "missing_credentials")
    with api.server.client("mk_000000000000_guess") as guess:
        assert _code(guess.get("/v1/catalog")) == "invalid_api_key"


def test_a_dead_redis_degrades_to_no_caching_and_says_so(
    demo_warehouse: DemoWarehouse, api_semantic_layer: SemanticLayer, tmp_path: Path
) -> None:
    settings = base_settings(demo_warehouse, tmp_path, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    services = start_services(Backend("dead-redis", settings), api_semantic_layer)
    key = services.keys.create(NORDWIND, "analyst").token
    with LiveServer(create_app(services=services)) as server, server.client(key) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "degraded"
        assert ready.json()["checks"]["cache"] == {"ok": False, "reason": "redis_unreachable"}
        for _ in range(2):
            body = client.post(
                "/v1/ask", json={"question": "net sales last month", "as_of": "2026-10-31"}
            ).json()
            assert body["kind"] == "data" and body["cached"] is False


def test_a_dead_postgres_answers_503_and_writes_nothing(
    demo_warehouse: DemoWarehouse, api_semantic_layer: SemanticLayer, tmp_path: Path
) -> None:
    pg = postgres_database()
    if pg is None:
        pytest.skip("!!! PostgreSQL unreachable: the dead-PostgreSQL test did not run !!!")
    url, _admin = pg
    host_port = int(url.split("@", 1)[1].split("/", 1)[0].split(":")[1])
    proxy = TcpProxy(host_port)
    proxied = url.replace(f":{host_port}/", f":{proxy.port}/")
    settings = base_settings(demo_warehouse, tmp_path, database_url=proxied)
    services = start_services(Backend("pg-proxy", settings), api_semantic_layer)
    key = services.keys.create(NORDWIND, "analyst").token

    def counts() -> tuple[int, int, int]:
        from assistant.runtime.persistence.database import Database

        direct = Database(url)
        with direct.session() as s:
            out = tuple(
                int(s.scalar(select(func.count()).select_from(t)) or 0)
                for t in (ConversationRow, TurnRow, AuditRow)
            )
        direct.dispose()
        return out  # type: ignore[return-value]

    with LiveServer(create_app(services=services)) as server, server.client(key) as client:
        before = counts()
        proxy.stop()
        r = client.post("/v1/ask", json={"question": "net sales last month"})
        assert (r.status_code, _code(r)) == (503, "database_unavailable")
        r = client.post("/v1/chat", json={"question": "net sales last month"})
        assert r.status_code == 503
        assert client.get("/readyz").status_code == 503
        assert counts() == before
