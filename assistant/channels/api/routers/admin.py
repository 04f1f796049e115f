"""Keys, widget tokens, CORS origins and the audit log of the caller's tenant; tenants (platform)."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path

from assistant.channels.api.schemas import (
    CorsUpdateRequest,
    KeyCreateRequest,
    TenantCreateRequest,
    WidgetTokenRequest,
)
from assistant.runtime.persistence.key_store import ApiKeyInfo
from assistant.runtime.persistence.tenant_store import TenantSettings
from assistant.runtime.secret_compare import same_secret
from assistant.runtime.web.deps import Admin, AnalystKey, Services
from assistant.runtime.web.errors import Forbidden
from guardrails.errors import UserError

router = APIRouter(prefix="/v1", tags=["administration"])

KeyPrefix = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")]


def _key_json(info: ApiKeyInfo) -> dict[str, Any]:
    return {
        "prefix": info.prefix,
        "name": info.name,
        "role": info.role,
        "created_at": info.created_at.isoformat(),
        "revoked_at": info.revoked_at.isoformat() if info.revoked_at else None,
    }


def _tenant_json(t: TenantSettings) -> dict[str, Any]:
    p = t.profile
    return {
        "tenant_id": p.tenant_id,
        "name": p.name,
        "currency": p.currency,
        "timezone": p.timezone,
        "locale": p.locale,
        "cors_origins": list(t.cors_origins),
        "retention_days": t.retention_days,
    }


@router.post("/widget-tokens", status_code=201)
def mint_widget_token(body: WidgetTokenRequest, caller: AnalystKey, services: Services) -> dict[str, Any]:
    """A short-lived token for one end user on one page origin of the caller's tenant."""
    tenant = services.tenants.get(caller.tenant_id)
    if body.origin not in tenant.cors_origins:
        raise UserError(
            f"origin {body.origin!r} is not in this tenant's allowed origins", code="origin_not_allowed"
        )
    ttl = min(body.ttl_s, services.settings.api.widget_token_max_ttl_s)
    token = services.widget_tokens.mint(caller.tenant_id, body.user_id, body.origin, ttl)
    services.audit.record(
        caller.tenant_id,
        caller.credential,
        "widget_token.mint",
        {"user": body.user_id, "origin": body.origin},
    )
    return {"token": token, "expires_at": int(time.time()) + ttl}


@router.get("/keys")
def list_keys(caller: Admin, services: Services) -> dict[str, Any]:
    return {"keys": [_key_json(k) for k in services.keys.list(caller.tenant_id)]}


@router.post("/keys", status_code=201)
def create_key(body: KeyCreateRequest, caller: Admin, services: Services) -> dict[str, Any]:
    issued = services.keys.create(caller.tenant_id, body.role, body.name)
    services.audit.record(
        caller.tenant_id, caller.credential, "key.create", {"prefix": issued.info.prefix, "role": body.role}
    )
    return {"key": issued.token, **_key_json(issued.info)}


@router.delete("/keys/{prefix}")
def revoke_key(prefix: KeyPrefix, caller: Admin, services: Services) -> dict[str, Any]:
    info = services.keys.revoke(caller.tenant_id, prefix)
    services.audit.record(caller.tenant_id, caller.credential, "key.revoke", {"prefix": prefix})
    return _key_json(info)


@router.post("/keys/{prefix}/rotate", status_code=201)
def rotate_key(prefix: KeyPrefix, caller: Admin, services: Services) -> dict[str, Any]:
    issued = services.keys.rotate(caller.tenant_id, prefix)
    services.audit.record(
        caller.tenant_id, caller.credential, "key.rotate", {"old": prefix, "new": issued.info.prefix}
    )
    return {"key": issued.token, **_key_json(issued.info)}


@router.put("/tenant/cors")
def set_cors(body: CorsUpdateRequest, caller: Admin, services: Services) -> dict[str, Any]:
    updated = services.tenants.set_cors_origins(caller.tenant_id, body.origins)
    services.audit.record(caller.tenant_id, caller.credential, "tenant.cors", {"origins": list(body.origins)})
    return _tenant_json(updated)


@router.get("/audit")
def audit(caller: Admin, services: Services, limit: int = 100) -> dict[str, Any]:
    records = services.audit.records(caller.tenant_id, limit=max(1, min(limit, 1000)))
    return {
        "records": [
            {
                "id": r.id,
                "actor": r.actor,
                "action": r.action,
                "detail": r.detail,
                "at": r.created_at.isoformat(),
            }
            for r in records
        ]
    }


def _platform_admin(services: Services, token: str | None) -> None:
    configured = services.settings.api.admin_token
    if configured is None:
        raise Forbidden(
            "tenant administration over HTTP is disabled (no MERCURIOS_ADMIN_TOKEN)", code="forbidden"
        )
    if token is None or not same_secret(token, configured.get_secret_value()):
        raise Forbidden("a valid X-Admin-Token is required", code="forbidden")


AdminToken = Annotated[str | None, Header(alias="X-Admin-Token")]


@router.post("/admin/tenants", status_code=201)
def create_tenant(
    body: TenantCreateRequest, services: Services, x_admin_token: AdminToken = None
) -> dict[str, Any]:
    _platform_admin(services, x_admin_token)
    created = services.tenants.create(
        body.tenant_id,
        body.name,
        currency=body.currency,
        timezone=body.timezone,
        locale=body.locale,
        cors_origins=body.cors_origins,
        retention_days=body.retention_days,
    )
    services.audit.record(body.tenant_id, "platform-admin", "tenant.create", {"name": body.name})
    return _tenant_json(created)


@router.get("/admin/tenants")
def list_tenants(services: Services, x_admin_token: AdminToken = None) -> dict[str, Any]:
    _platform_admin(services, x_admin_token)
    return {"tenants": [_tenant_json(t) for t in services.tenants.all().values()]}
