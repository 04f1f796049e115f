"""Tenant theming over HTTP: an admin sets the white-label theme of their own tenant, nobody else
can change it, malformed or hostile values are refused with a message naming the field, and the
widget's configuration carries the theme of the token's tenant only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.runtime.persistence.models import TenantRow
from tests.assistant.api.conftest import ALPIN, NORDWIND, NORDWIND_ORIGIN, Api

NORDWIND_THEME: dict[str, Any] = {
    "primary_color": "#0B3D91",
    "accent_color": "#ff6f00",
    "logo_url": "https://cdn.nordwind.example/logo.svg",
    "assistant_name": "Nordwind Buddy",
    "greeting": "Moin! Frag mich nach Umsatz und Lager.",
    "suggestions": ["Umsatz letzte Woche", "top 5 products by units sold last week"],
}
PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def themed(api: Api) -> Iterator[Api]:
    """Both tenants start and end without a theme (the module's server is shared)."""
    for tenant in (NORDWIND, ALPIN):
        api.services.tenants.set_theme(tenant, None)
    yield api
    for tenant in (NORDWIND, ALPIN):
        api.services.tenants.set_theme(tenant, None)


def _put(api: Api, body: object, tenant: str = NORDWIND, role: str = "admin") -> Any:
    with api.server.client(api.key(tenant, role)) as client:
        return client.put("/v1/tenant/theme", json=body)


def _get(api: Api, tenant: str = NORDWIND) -> dict[str, Any]:
    with api.server.client(api.key(tenant, "admin")) as client:
        r = client.get("/v1/tenant/theme")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _widget_config(api: Api, tenant: str = NORDWIND) -> dict[str, Any]:
    with api.server.client(api.key(tenant, "analyst")) as minting:
        minted = minting.post(
            "/v1/widget-tokens", json={"user_id": "shopper", "origin": NORDWIND_ORIGIN, "ttl_s": 300}
        )
    assert minted.status_code == 201, minted.text
    with api.server.client(minted.json()["token"], Origin=NORDWIND_ORIGIN) as widget:
        r = widget.post("/v1/widget/config", json={})
    assert r.status_code == 200, r.text
    config: dict[str, Any] = r.json()
    return config


def test_an_admin_sets_the_theme_and_the_widget_config_carries_it(themed: Api) -> None:
    before = _widget_config(themed)
    assert before["assistant_name"] == "Mercurios" and before["theme"]["primary_color"] is None
    r = _put(themed, NORDWIND_THEME)
    assert r.status_code == 200, r.text
    assert r.json()["theme"]["primary_color"] == "#0b3d91", "colours are normalised to lower case"
    assert _get(themed)["customized"] is True
    config = _widget_config(themed)
    assert config["assistant_name"] == "Nordwind Buddy"
    assert config["greeting"] == NORDWIND_THEME["greeting"]
    assert config["suggestions"] == NORDWIND_THEME["suggestions"]
    assert config["theme"] == {
        "primary_color": "#0b3d91",
        "accent_color": "#ff6f00",
        "logo_url": NORDWIND_THEME["logo_url"],
    }
    assert _put(themed, {"logo_url": PIXEL}).status_code == 200, "an inline png logo is fine"
    assert _widget_config(themed)["assistant_name"] == "Mercurios", "PUT replaces: unset fields reset"
    assert _put(themed, {}).json()["customized"] is False
    audit = [r["action"] for r in _admin_audit(themed)]
    assert audit.count("tenant.theme") == 3


def _admin_audit(api: Api) -> list[dict[str, Any]]:
    with api.server.client(api.key(NORDWIND, "admin")) as client:
        records: list[dict[str, Any]] = client.get("/v1/audit").json()["records"]
    return records


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"primary_color": "red"}, "primary_color", "invalid_request"),
        ({"primary_color": "#12345"}, "primary_color", "invalid_request"),
        ({"accent_color": "#fff;background:url(x)"}, "accent_color", "invalid_request"),
        ({"logo_url": "javascript:alert(1)"}, "logo_url", "invalid_request"),
        ({"logo_url": "http://cdn.example/logo.png"}, "logo_url", "invalid_request"),
        ({"logo_url": "data:text/html;base64,PHNjcmlwdD4="}, "logo_url", "invalid_request"),
        ({"logo_url": "https://user:pw@cdn.example/l.png"}, "logo_url", "invalid_request"),
        ({"assistant_name": "x" * 61}, "assistant_name", "invalid_request"),
        ({"assistant_name": "Nord\u202ewind"}, "assistant_name", "invalid_request"),
        ({"assistant_name": "   "}, "assistant_name", "invalid_request"),
        ({"greeting": "g" * 501}, "greeting", "invalid_request"),
        ({"suggestions": [f"q{i}" for i in range(7)]}, "suggestions", "invalid_request"),
        ({"suggestions": ["a\nb"]}, "suggestions", "invalid_request"),
        ({"primary_colour": "#000000"}, "primary_colour", "unknown_field"),
        ({"tenant_id": ALPIN, "assistant_name": "Hijack"}, "tenant_id", "unknown_field"),
    ],
)
def test_malformed_or_hostile_values_are_refused_naming_the_field(
    themed: Api, body: dict[str, Any], field: str, code: str
) -> None:
    r = _put(themed, body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == code
    assert field in error["message"]
    assert _get(themed)["customized"] is False, "nothing of a refused theme is stored"


def test_only_an_admin_key_changes_or_reads_the_theme(themed: Api) -> None:
    for role in ("viewer", "analyst"):
        r = _put(themed, {"assistant_name": f"set by {role}"}, role=role)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden_role", r.text
        with themed.server.client(themed.key(NORDWIND, role)) as client:
            assert client.get("/v1/tenant/theme").status_code == 403
    with themed.server.client(themed.key(NORDWIND, "analyst")) as minting:
        token = minting.post("/v1/widget-tokens", json={"user_id": "u", "origin": NORDWIND_ORIGIN}).json()
    with themed.server.client(token["token"], Origin=NORDWIND_ORIGIN) as widget:
        assert widget.put("/v1/tenant/theme", json={"assistant_name": "widget"}).status_code == 403
    with themed.server.client() as anonymous:
        assert anonymous.put("/v1/tenant/theme", json={"assistant_name": "anon"}).status_code == 401
    assert _get(themed)["customized"] is False


def test_one_tenants_admin_cannot_touch_another_tenants_theme(themed: Api) -> None:
    assert (
        _put(themed, {"assistant_name": "Alpin Guide", "primary_color": "#006400"}, tenant=ALPIN).status_code
        == 200
    )
    # The tenant is the key's: neither a query parameter nor a body field can redirect the write.
    with themed.server.client(themed.key(NORDWIND, "admin")) as nordwind:
        r = nordwind.put(f"/v1/tenant/theme?tenant={ALPIN}", json={"assistant_name": "Nordwind took over"})
        assert r.status_code == 200 and r.json()["tenant_id"] == NORDWIND
        r = nordwind.put("/v1/tenant/theme", json={"tenant_id": ALPIN, "assistant_name": "x"})
        assert r.status_code == 422
        r = nordwind.get(f"/v1/tenant/theme?tenant={ALPIN}")
        assert r.json()["theme"]["assistant_name"] == "Nordwind took over"
    assert _get(themed, ALPIN)["theme"]["assistant_name"] == "Alpin Guide"
    assert _widget_config(themed, NORDWIND)["assistant_name"] == "Nordwind took over"
    nordwind_widget = _widget_config(themed, NORDWIND)
    assert nordwind_widget["theme"]["primary_color"] is None, "no colour of the other tenant leaks in"


def test_a_stored_theme_that_no_longer_validates_is_not_served(themed: Api) -> None:
    """Defence in depth: a hand-edited row with a script URL never reaches a widget."""
    with themed.services.db.session() as s:
        row = s.get(TenantRow, NORDWIND)
        assert row is not None
        row.theme = {"logo_url": "javascript:alert(1)", "assistant_name": "Edited"}
    themed.services.tenants.set_cors_origins(NORDWIND, (NORDWIND_ORIGIN,))  # drops the cached tenants
    config = _widget_config(themed)
    assert config["theme"]["logo_url"] is None and config["assistant_name"] == "Mercurios"
