"""Issue 19, finding 4: malformed input is a 4xx with the error envelope, never a 500.

Each case used to crash a handler: `hmac.compare_digest` refuses non-ASCII text (credentials and
the admin token), a filter value that does not fit its dimension's type failed in the warehouse,
and a date near year 1 has no year before it for a comparison.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from assistant.channels.server import create_app
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.api.conftest import NORDWIND, NORDWIND_ORIGIN, Backend, start_services

ADMIN_TOKEN = "malformed-input-admin-token"


@pytest.fixture(scope="module")
def served(
    backend: Backend, api_semantic_layer: SemanticLayer
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    settings = backend.settings.updated(
        api={"admin_token": SecretStr(ADMIN_TOKEN)}, cache_namespace=f"bad-{uuid.uuid4().hex[:8]}"
    )
    services = start_services(Backend(backend.name, settings), api_semantic_layer)
    keys = {
        "analyst": services.keys.create(NORDWIND, "analyst").token,
        "widget": services.widget_tokens.mint(NORDWIND, "jane", NORDWIND_ORIGIN, 600),
    }
    with LiveServer(create_app(services=services)) as server:
        yield server, keys


def _envelope(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] and error["message"]
    return dict(error)


def _raw(server: LiveServer, method: str, path: str, headers: dict[str, bytes], **kw: Any) -> httpx.Response:
    """Header values as raw bytes: UTF-8 on the wire, read by the server as Latin-1 text."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        return client.request(method, path, headers=headers, **kw)


@pytest.mark.parametrize(
    "token",
    [
        "mk_0123456789ab_sécret-key",  # a key-shaped token with a non-ASCII secret
        "mk_0123456789é_secret",  # a prefix of the right length, read as Latin-1
        "mk_ééééééé_secret",
        "Bearer-ünïcödé",
    ],
)
def test_a_non_ascii_api_key_is_a_401(served: tuple[LiveServer, dict[str, str]], token: str) -> None:
    server, keys = served
    real_prefix = keys["analyst"][: len("mk_0123456789ab_")]
    for candidate in (token, real_prefix + "sécret", keys["analyst"] + "é"):
        for path in ("/v1/catalog", "/v1/ask"):
            r = _raw(
                server,
                "POST" if path == "/v1/ask" else "GET",
                path,
                {"authorization": f"Bearer {candidate}".encode()},
                json={"question": "net sales"} if path == "/v1/ask" else None,
            )
            assert _envelope(r, 401)["code"] == "invalid_api_key"


def test_a_widget_token_with_a_non_ascii_signature_is_a_401(
    served: tuple[LiveServer, dict[str, str]],
) -> None:
    server, keys = served
    payload, _signature = keys["widget"].rsplit(".", 1)
    for forged in (f"{payload}.sïgnature", f"{payload}.{_signature[:-1]}é", "mw_é.é"):
        r = _raw(
            server,
            "GET",
            "/v1/catalog",
            {"authorization": f"Bearer {forged}".encode(), "origin": NORDWIND_ORIGIN.encode()},
        )
        assert _envelope(r, 401)["code"] == "invalid_token"


def test_a_non_ascii_admin_token_is_a_403(served: tuple[LiveServer, dict[str, str]]) -> None:
    server, _ = served
    for path in ("/v1/admin/tenants", "/v1/admin/slack/links"):
        r = _raw(server, "GET", path, {"x-admin-token": "malformed-input-admin-tökén".encode()})
        assert _envelope(r, 403)["code"] == "forbidden"
    ok = _raw(server, "GET", "/v1/admin/tenants", {"x-admin-token": ADMIN_TOKEN.encode()})
    assert ok.status_code == 200


def test_a_filter_value_of_the_wrong_type_is_a_400_naming_the_dimension(
    served: tuple[LiveServer, dict[str, str]],
) -> None:
    server, keys = served
    with server.client(keys["analyst"]) as client:
        dimensions = client.get("/v1/catalog").json()["dimensions"]
        boolean = next(d["name"] for d in dimensions if d["name"].endswith("is_return"))
        query = {"metrics": ["net_sales"], "filters": [{"dimension": boolean, "values": ["notabool"]}]}
        error = _envelope(client.post("/v1/query", json=query), 400)
        assert error["code"] == "invalid_filter_value"
        assert boolean in error["message"] and "notabool" in error["message"]
        good = {"metrics": ["net_sales"], "filters": [{"dimension": boolean, "values": [True]}]}
        assert client.post("/v1/query", json=good).status_code == 200
        graphql = client.post(
            "/graphql",
            json={
                "query": 'query($f: [FilterInput!]) { query(metrics: ["net_sales"], filters: $f) { rows } }',
                "variables": {"f": [{"dimension": boolean, "values": ["notabool"]}]},
            },
        )
        assert graphql.status_code == 200
        assert graphql.json()["errors"][0]["extensions"]["code"] == "invalid_filter_value"


def test_a_date_at_the_start_of_the_calendar_is_a_422(served: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = served
    with server.client(keys["analyst"]) as client:
        error = _envelope(client.get("/v1/insights", params={"as_of": "0001-01-01"}), 422)
        assert "as_of" in error["message"]
        for question in ("net sales vs last year", "net sales last month"):
            r = client.post("/v1/ask", json={"question": question, "as_of": "0001-01-01"})
            assert "as_of" in _envelope(r, 422)["message"]
        assert (
            client.post("/v1/ask", json={"question": "net sales vs last year", "as_of": "2026-10-31"}).json()[
                "kind"
            ]
            == "data"
        )


def test_signed_links_with_a_non_ascii_token_are_not_found(served: tuple[LiveServer, dict[str, str]]) -> None:
    server, _ = served
    with httpx.Client(base_url=server.url, timeout=30) as client:
        r = client.get("/ask", params={"tenant": NORDWIND, "q": "net sales", "t": "sïgnature"})
        assert _envelope(r, 404)["code"] == "ask_link_not_found"
        r = client.get("/v1/digests/unsubscribe", params={"tenant": NORDWIND, "s": "x" * 32, "t": "tökén"})
        assert r.status_code == 404
