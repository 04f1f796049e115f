"""Acceptance 2: a credential of tenant A never reaches tenant B's data, whatever it tries."""

from __future__ import annotations

import base64
import json
import time

from tests.assistant.api.api_harness import read_sse
from tests.assistant.api.conftest import ALPIN, ALPIN_ORIGIN, NORDWIND, NORDWIND_ORIGIN, Api

AS_OF = "2026-10-31"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _ask(api: Api, token: str, question: str, **extra: object) -> dict[str, object]:
    with api.server.client(token) as client:
        r = client.post("/v1/ask", json={"question": question, "as_of": AS_OF, **extra})
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def test_conversation_ids_of_another_tenant_are_not_found(api: Api) -> None:
    mine = _ask(api, api.key(NORDWIND), "net sales last month")
    conversation, turn = str(mine["conversation_id"]), None
    with api.server.client(api.key(NORDWIND)) as client:
        turn = client.get(f"/v1/conversations/{conversation}").json()["turns"][0]["turn_id"]
    with api.server.client(api.key(ALPIN, "admin")) as other:
        for r in (
            other.get(f"/v1/conversations/{conversation}"),
            other.delete(f"/v1/conversations/{conversation}"),
            other.post(
                "/v1/feedback", json={"conversation_id": conversation, "turn_id": turn, "rating": "down"}
            ),
            other.post("/v1/ask", json={"question": "and by store?", "conversation_id": conversation}),
        ):
            assert r.status_code == 404, r.text
            assert r.json()["error"]["code"] == "conversation_not_found"
    with api.server.client(api.key(NORDWIND)) as client:  # still there, untouched
        assert len(client.get(f"/v1/conversations/{conversation}").json()["turns"]) == 1


def test_a_tenant_id_in_the_body_is_refused_and_in_the_question_is_not_answered(api: Api) -> None:
    with api.server.client(api.key(NORDWIND)) as client:
        r = client.post("/v1/ask", json={"question": "net sales last month", "tenant_id": ALPIN})
        assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_field"
    body = _ask(api, api.key(NORDWIND), f"net sales of {ALPIN} last month")
    assert body["kind"] == "refusal" and body["sql"] is None


def test_catalog_values_are_the_tenants_own(api: Api) -> None:
    def stores(token: str) -> set[str]:
        with api.server.client(token) as client:
            dims = client.get("/v1/catalog").json()["dimensions"]
        return {v for d in dims if d["name"] == "store__store_name" for v in d["values"]}

    nordwind, alpin = stores(api.key(NORDWIND, "viewer")), stores(api.key(ALPIN, "viewer"))
    assert nordwind and alpin and not (nordwind & alpin)


def test_cached_answers_never_cross_tenants(api: Api) -> None:
    question = "gross margin by store last month"
    with (
        api.server.client(api.key(NORDWIND)) as client,
        client.stream("POST", "/v1/chat", json={"question": question, "as_of": AS_OF}) as r,
    ):
        events = list(read_sse(r))
    assert events[-1].data["cache"] in ("miss", "hit")
    other = _ask(api, api.key(ALPIN), question)
    assert other["cached"] is False
    assert f"'{ALPIN}'" in str(other["sql"]) and f"'{NORDWIND}'" not in str(other["sql"])


def test_audit_records_are_per_tenant(api: Api) -> None:
    _ask(api, api.key(NORDWIND), "net sales yesterday")
    with api.server.client(api.key(ALPIN, "admin")) as client:
        records = client.get("/v1/audit").json()["records"]
    assert all(NORDWIND not in json.dumps(r) for r in records)
    assert not any(r["detail"].get("question") == "net sales yesterday" for r in records)
    with api.server.client(api.key(NORDWIND, "admin")) as client:
        mine = client.get("/v1/audit").json()["records"]
    assert any(r["action"] == "ask" and r["detail"].get("question") == "net sales yesterday" for r in mine)


def _widget(api: Api, user: str = "shopper-1", origin: str = NORDWIND_ORIGIN) -> str:
    with api.server.client(api.key(NORDWIND)) as client:
        r = client.post("/v1/widget-tokens", json={"user_id": user, "origin": origin, "ttl_s": 300})
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def test_widget_tokens_are_bound_to_origin_and_signature_and_expiry(api: Api) -> None:
    token = _widget(api)
    with api.server.client(token, Origin=NORDWIND_ORIGIN) as client:
        ok = client.post("/v1/ask", json={"question": "net sales last month", "as_of": AS_OF})
        assert ok.status_code == 200 and ok.json()["tenant"] == NORDWIND
        assert ok.headers["access-control-allow-origin"] == NORDWIND_ORIGIN
    with api.server.client(token, Origin=ALPIN_ORIGIN) as replayed:
        r = replayed.get("/v1/catalog")
        assert r.status_code == 403 and r.json()["error"]["code"] == "origin_mismatch"
    with api.server.client(token) as no_origin:
        assert no_origin.get("/v1/catalog").status_code == 403
    header, payload, signature = token[3:].split(".")
    claims = json.loads(_unb64(payload))
    assert claims["tid"] == NORDWIND and claims["aud"] == NORDWIND_ORIGIN
    unsigned = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    for forged_token in (
        f"mw_{header}.{_b64(json.dumps({**claims, 'tid': ALPIN}).encode())}.{signature}",  # other tenant
        f"mw_{header}.{_b64(json.dumps({**claims, 'aud': ALPIN_ORIGIN}).encode())}.{signature}",
        f"mw_{header}.{_b64(json.dumps({**claims, 'exp': claims['exp'] + 86400}).encode())}.{signature}",
        f"mw_{unsigned}.{_b64(json.dumps({**claims, 'tid': ALPIN}).encode())}.",  # alg none: no signature
    ):
        for origin in (NORDWIND_ORIGIN, ALPIN_ORIGIN):  # refused for its signature, whatever the origin
            with api.server.client(forged_token, Origin=origin) as forged:
                r = forged.get("/v1/catalog")
                assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token", r.text
    expired = api.services.widget_tokens.mint(
        NORDWIND, "shopper-1", NORDWIND_ORIGIN, 60, now=time.time() - 120
    )
    with api.server.client(expired, Origin=NORDWIND_ORIGIN) as late:
        r = late.get("/v1/catalog")
        assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired"


def test_a_widget_user_sees_only_their_own_conversations_and_cannot_manage(api: Api) -> None:
    first, second = _widget(api, "shopper-a"), _widget(api, "shopper-b")
    with api.server.client(first, Origin=NORDWIND_ORIGIN) as a:
        conversation = a.post("/v1/ask", json={"question": "net sales last month"}).json()["conversation_id"]
        assert a.get(f"/v1/conversations/{conversation}").status_code == 200
        assert a.post("/v1/keys", json={"role": "admin"}).status_code == 403
        assert a.post("/v1/query", json={"metrics": ["net_sales"]}).status_code == 403
    with api.server.client(second, Origin=NORDWIND_ORIGIN) as b:
        assert b.get(f"/v1/conversations/{conversation}").status_code == 404
        follow_up = {"question": "and by store?", "conversation_id": conversation}
        assert b.post("/v1/ask", json=follow_up).status_code == 404  # nor continue it
    with api.server.client(first, Origin=NORDWIND_ORIGIN) as a:  # its owner still can
        r = a.post("/v1/ask", json={"question": "and by store?", "conversation_id": conversation})
        assert r.status_code == 200 and r.json()["conversation_id"] == conversation
    with api.server.client(api.key(NORDWIND)) as c:
        r = c.post("/v1/widget-tokens", json={"user_id": "x", "origin": "https://evil.example"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "origin_not_allowed"


def test_roles_viewer_cannot_manage_keys_and_revoked_or_rotated_keys_stop_working(api: Api) -> None:
    with api.server.client(api.key(NORDWIND, "viewer")) as viewer:
        r = viewer.post("/v1/keys", json={"role": "admin"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden_role"
        assert viewer.get("/v1/keys").status_code == 403
        assert viewer.post("/v1/query", json={"metrics": ["net_sales"]}).status_code == 403
    with api.server.client(api.key(NORDWIND, "analyst")) as analyst:
        assert analyst.get("/v1/keys").status_code == 403
        assert analyst.post("/v1/query", json={"metrics": ["net_sales"]}).status_code == 200
    with api.server.client(api.key(NORDWIND, "admin")) as admin:
        created = admin.post("/v1/keys", json={"role": "viewer", "name": "temp"}).json()
        assert created["key"].startswith(f"mk_{created['prefix']}_")
        rotated = admin.post(f"/v1/keys/{created['prefix']}/rotate").json()
        with api.server.client(created["key"]) as old:
            assert old.get("/v1/catalog").status_code == 401
        with api.server.client(rotated["key"]) as new:
            assert new.get("/v1/catalog").status_code == 200
        assert admin.delete(f"/v1/keys/{rotated['prefix']}").status_code == 200
        with api.server.client(rotated["key"]) as revoked:
            r = revoked.get("/v1/catalog")
            assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_api_key"
        listed = {k["prefix"] for k in admin.get("/v1/keys").json()["keys"]}
    with api.server.client(api.key(ALPIN, "admin")) as other:  # another tenant's admin cannot touch it
        assert created["prefix"] not in {k["prefix"] for k in other.get("/v1/keys").json()["keys"]}
        assert other.delete(f"/v1/keys/{next(iter(listed))}").status_code == 404


def test_cors_allows_only_the_tenants_origins(api: Api) -> None:
    with api.server.client() as client:
        pre = client.options(
            "/v1/chat", headers={"Origin": NORDWIND_ORIGIN, "Access-Control-Request-Method": "POST"}
        )
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == NORDWIND_ORIGIN
        bad = client.options(
            "/v1/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
        )
        assert bad.status_code == 403 and "access-control-allow-origin" not in bad.headers
    with api.server.client(api.key(NORDWIND), Origin=ALPIN_ORIGIN) as cross:
        r = cross.get("/v1/catalog")  # alpin's page using a nordwind key
        assert r.status_code == 403 and r.json()["error"]["code"] == "origin_not_allowed"
