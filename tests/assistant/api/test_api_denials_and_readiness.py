"""Issue 19, finding 6: denials are audited (without secrets); `/readyz` tells strangers no paths.

A refused credential (401), a refused role or origin (403) and a conversation of another tenant
(404) each leave an audit record: who (the credential's public name, never the token), what
(method, path, status, code) — so an operator can see someone probing. `/readyz` answers without
credentials, so it says only ok/failed and a reason code per check; the details (file paths,
URLs) are for the platform admin token.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from assistant.channels.server import create_app
from assistant.runtime.app_services import build_api_services
from assistant.runtime.persistence.models import AuditRow
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.api.conftest import ALPIN, NORDWIND, NORDWIND_ORIGIN, Api, base_settings
from tests.demo import DemoWarehouse

ADMIN_TOKEN = "denials-admin-token"


def _denials(api: Api) -> list[AuditRow]:
    with api.services.db.session() as s:
        rows = s.scalars(select(AuditRow).where(AuditRow.action == "denied").order_by(AuditRow.id)).all()
        s.expunge_all()
        return list(rows)


def test_refused_credentials_roles_origins_and_foreign_ids_are_audited_without_secrets(api: Api) -> None:
    before = {row.id for row in _denials(api)}
    wrong_key = "mk_0123456789ab_" + uuid.uuid4().hex  # key-shaped, unknown: the secret must not be kept
    nordwind_widget = api.services.widget_tokens.mint(NORDWIND, "jane", NORDWIND_ORIGIN, 600)
    with api.server.client(api.key(ALPIN)) as alpin:
        alpin_conversation = alpin.post(
            "/v1/ask", json={"question": "net sales last month", "as_of": "2026-10-31"}
        ).json()["conversation_id"]
    with api.server.client() as anonymous:
        assert anonymous.get("/v1/catalog").status_code == 401
    with api.server.client(wrong_key) as guess:
        assert guess.get("/v1/catalog").status_code == 401
    with api.server.client(nordwind_widget, Origin="https://evil.example") as stolen:
        assert stolen.get("/v1/catalog").status_code == 403
    with api.server.client(api.key(NORDWIND, "viewer")) as viewer:
        assert viewer.get("/v1/keys").status_code == 403
    with api.server.client(api.key(NORDWIND)) as nordwind:
        assert nordwind.get(f"/v1/conversations/{alpin_conversation}").status_code == 404

    new = [row for row in _denials(api) if row.id not in before]
    seen = {(row.detail["status"], row.detail["code"], row.detail["path"]) for row in new}
    assert (401, "missing_credentials", "/v1/catalog") in seen
    assert (401, "invalid_api_key", "/v1/catalog") in seen
    assert (403, "origin_mismatch", "/v1/catalog") in seen
    assert (403, "forbidden_role", "/v1/keys") in seen
    assert (404, "conversation_not_found", f"/v1/conversations/{alpin_conversation}") in seen
    by_code = {row.detail["code"]: row for row in new}
    # a denial of a known credential is filed under its tenant, with its public name
    assert by_code["forbidden_role"].tenant_id == NORDWIND
    assert by_code["forbidden_role"].actor.startswith("key:")
    assert by_code["conversation_not_found"].tenant_id == NORDWIND
    assert by_code["origin_mismatch"].tenant_id == NORDWIND
    assert by_code["origin_mismatch"].actor == "widget:jane"
    # no secret in any record: not the wrong key, not the widget token, not a real key
    dumped = " ".join(f"{row.actor} {row.detail}" for row in new)
    for secret in (wrong_key.split("_")[2], nordwind_widget, api.key(NORDWIND), api.key(NORDWIND, "viewer")):
        assert secret not in dumped
    # the tenant's admin sees its own denials in its audit log
    with api.server.client(api.key(NORDWIND, "admin")) as admin:
        records = admin.get("/v1/audit").json()["records"]
    assert any(r["action"] == "denied" and r["detail"]["code"] == "conversation_not_found" for r in records)


@pytest.fixture(scope="module")
def missing_warehouse(
    demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, Path]]:
    data_dir = tmp_path_factory.mktemp("readyz")
    missing = data_dir / "secret-location" / "warehouse.duckdb"
    settings = base_settings(
        demo_warehouse, data_dir, api={"admin_token": SecretStr(ADMIN_TOKEN)}
    ).model_copy(update={"duckdb_path": missing})
    sl: SemanticLayer = build_semantic_layer(
        Settings(duckdb_path=missing), dbt_target_path=demo_warehouse.dbt_target_path
    )
    services = build_api_services(settings, semantic_layer=sl)
    with LiveServer(create_app(services=services)) as server:
        yield server, missing


def test_readyz_tells_strangers_ok_or_failed_and_a_code_only(
    missing_warehouse: tuple[LiveServer, Path],
) -> None:
    server, missing = missing_warehouse
    r = httpx.get(f"{server.url}/readyz", timeout=10)
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["warehouse"] == {"ok": False, "reason": "warehouse_missing"}
    assert body["checks"]["database"] == {"ok": True, "reason": "ok"}
    for check in body["checks"].values():
        assert set(check) == {"ok", "reason"}
    assert "secret-location" not in r.text and "/" not in r.text.replace("\\/", "")
    # the platform's operator, with the admin token, gets the details
    detailed = httpx.get(f"{server.url}/readyz", headers={"X-Admin-Token": ADMIN_TOKEN}, timeout=10).json()
    assert str(missing) in detailed["checks"]["warehouse"]["detail"]
    wrong = httpx.get(f"{server.url}/readyz", headers={"X-Admin-Token": "guess"}, timeout=10)
    assert "secret-location" not in wrong.text
