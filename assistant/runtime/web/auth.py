"""Who is calling: an API key or a widget token, resolved to a `Principal` bound to one tenant.

The tenant ALWAYS comes from the credential. Requests carry no tenant field (request models
forbid unknown fields), and a question naming another tenant is refused by the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from starlette.requests import HTTPConnection

from assistant.core.tenants import UnknownTenantError
from assistant.runtime.app_services import ApiServices
from assistant.runtime.persistence.key_store import Role
from assistant.runtime.web.errors import Forbidden, Unauthorized
from assistant.runtime.widget_tokens import PREFIX as WIDGET_PREFIX
from assistant.runtime.widget_tokens import OriginMismatch

ROLE_RANK: dict[str, int] = {"viewer": 0, "analyst": 1, "admin": 2}
WIDGET_ROLE: Role = "viewer"


@dataclass(frozen=True)
class Principal:
    tenant_id: str
    role: Role
    user_id: str
    kind: Literal["key", "widget"]
    credential: str  # "key:<prefix>" or "widget:<user>": names the caller in audits and limits
    origin: str | None = None

    def allows(self, role: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def _bearer(conn: HTTPConnection) -> str:
    header = conn.headers.get("authorization")
    if not header:
        raise Unauthorized(
            "missing credentials: send 'Authorization: Bearer <API key or widget token>'",
            code="missing_credentials",
        )
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("use 'Authorization: Bearer <token>'", code="invalid_credentials")
    return token.strip()


def needs_io(conn: HTTPConnection, services: ApiServices) -> bool:
    """Whether `authenticate` would wait on the app database or Redis for this request."""
    if not services.rate_limiter.is_local or not services.tenants.is_fresh():
        return True
    header = conn.headers.get("authorization", "")
    token = header.partition(" ")[2].strip()
    return bool(token) and not token.startswith(WIDGET_PREFIX) and not services.keys.is_cached(token)


def _name_caller(conn: HTTPConnection, tenant_id: str, credential: str) -> dict[str, object]:
    """Records a verified credential's tenant and public name on the request (the request log and
    the audit of a denial that follows name them); returns the request's state."""
    state: dict[str, object] = conn.scope.setdefault("state", {})
    state["tenant_id"], state["credential"] = tenant_id, credential
    return state


def authenticate(conn: HTTPConnection, services: ApiServices) -> Principal:
    token = _bearer(conn)
    origin = conn.headers.get("origin")
    if token.startswith(WIDGET_PREFIX):
        try:
            claims = services.widget_tokens.verify(token, origin)
        except OriginMismatch as exc:
            _name_caller(conn, exc.claims.tenant_id, f"widget:{exc.claims.user_id}")
            raise
        principal = Principal(
            claims.tenant_id, WIDGET_ROLE, claims.user_id, "widget", f"widget:{claims.user_id}", origin
        )
    else:
        info = services.keys.verify(token)
        if info is None:
            raise Unauthorized("unknown, malformed or revoked API key", code="invalid_api_key")
        user = conn.headers.get("x-mercurios-user", "").strip()[:200] or f"key:{info.prefix}"
        principal = Principal(info.tenant_id, info.role, user, "key", f"key:{info.prefix}", origin)
    state = _name_caller(conn, principal.tenant_id, principal.credential)
    try:
        tenant = services.tenants.get(principal.tenant_id)
    except UnknownTenantError as exc:
        raise Unauthorized("the credential's tenant no longer exists", code="invalid_credentials") from exc
    if origin is not None and origin not in tenant.cors_origins:
        raise Forbidden(f"origin {origin!r} is not allowed for this tenant", code="origin_not_allowed")
    services.rate_limiter.check(principal.tenant_id, principal.credential)
    if origin is not None:
        state["cors_origin"] = origin
    return principal
