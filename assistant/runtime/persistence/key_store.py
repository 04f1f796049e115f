"""Tenant API keys: `mk_<prefix>_<secret>`, only a SHA-256 of the secret kept at rest.

The prefix is public (it names the key in lists, logs and revocations); the secret is 256 random
bits, so a fast hash is enough — nothing to brute-force — and lookups stay one primary-key read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Literal, cast

from sqlalchemy import Table, bindparam, select

from assistant.core.tenants import UnknownTenantError
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import ApiKeyRow, TenantRow
from assistant.runtime.secret_compare import same_secret
from guardrails.errors import NotFoundError, UserError

Role = Literal["admin", "analyst", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "analyst", "viewer")
_PREFIX_HEX = 12
_KEYS = cast(Table, ApiKeyRow.__table__)
_k = _KEYS.c
_SELECT_KEY = select(
    _k.prefix, _k.tenant_id, _k.name, _k.role, _k.created_at, _k.revoked_at, _k.secret_hash
).where(_k.prefix == bindparam("prefix"))


@dataclass(frozen=True)
class ApiKeyInfo:
    prefix: str
    tenant_id: str
    name: str
    role: Role
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class IssuedKey:
    """A new key: `token` is shown once and never stored."""

    token: str
    info: ApiKeyInfo


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_token(token: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, else None."""
    if not token.startswith("mk_") or len(token) < 3 + _PREFIX_HEX + 2:
        return None
    prefix, sep, secret = token[3:].partition("_")
    if sep != "_" or len(prefix) != _PREFIX_HEX or not secret:
        return None
    return prefix, secret


class KeyRepository:
    """Keys in the app database. A verified key is remembered in this process for `verified_ttl_s`
    seconds (every request presents one; most present the same few), so a revocation made
    through this process applies at once and one made elsewhere (another worker, the CLI) within
    that many seconds — the same bound as the tenant settings cache."""

    def __init__(self, db: Database, *, verified_ttl_s: float = 5.0) -> None:
        self.db = db
        self.verified_ttl_s = verified_ttl_s
        self._verified: dict[str, tuple[ApiKeyInfo, float]] = {}  # sha256(token) -> (info, expiry)
        self._lock = threading.Lock()

    def is_cached(self, token: str) -> bool:
        """True when `verify(token)` would answer from memory (no database round trip)."""
        entry = self._verified.get(_hash(token))
        return entry is not None and entry[1] > time.monotonic()

    def _forget(self, prefix: str) -> None:
        with self._lock:
            self._verified = {h: e for h, e in self._verified.items() if e[0].prefix != prefix}

    def create(self, tenant_id: str, role: str, name: str = "") -> IssuedKey:
        if role not in ROLES:
            raise UserError(f"unknown role {role!r}: one of {', '.join(ROLES)}", code="invalid_role")
        prefix, secret = secrets.token_hex(_PREFIX_HEX // 2), secrets.token_urlsafe(32)
        with self.db.session() as s:
            if s.get(TenantRow, tenant_id) is None:
                raise UnknownTenantError(f"unknown tenant {tenant_id!r}")
            row = ApiKeyRow(
                prefix=prefix, tenant_id=tenant_id, name=name, role=role, secret_hash=_hash(secret)
            )
            s.add(row)
            s.flush()
            info = _info(row)
        return IssuedKey(token=f"mk_{prefix}_{secret}", info=info)

    def verify(self, token: str) -> ApiKeyInfo | None:
        """The key's info if the token is a live key, else None (unknown, wrong secret, revoked)."""
        parsed = parse_token(token)
        if parsed is None:
            return None
        token_hash = _hash(token)
        entry = self._verified.get(token_hash)
        if entry is not None and entry[1] > time.monotonic():
            return entry[0]
        prefix, secret = parsed
        with self.db.transaction() as conn:  # a prebuilt Core statement: this runs on every request
            row = conn.execute(_SELECT_KEY, {"prefix": prefix}).first()
        if row is None or row.revoked_at is not None:
            return None
        if not same_secret(_hash(secret), row.secret_hash):
            return None
        info = ApiKeyInfo(row.prefix, row.tenant_id, row.name, row.role, row.created_at, None)
        with self._lock:
            if len(self._verified) > 10_000:  # live keys only ever land here; bound it anyway
                self._verified.clear()
            self._verified[token_hash] = (info, time.monotonic() + self.verified_ttl_s)
        return info

    def list(self, tenant_id: str) -> list[ApiKeyInfo]:
        with self.db.session() as s:
            rows = s.scalars(
                select(ApiKeyRow).where(ApiKeyRow.tenant_id == tenant_id).order_by(ApiKeyRow.created_at)
            ).all()
            return [_info(r) for r in rows]

    def revoke(self, tenant_id: str, prefix: str) -> ApiKeyInfo:
        with self.db.session() as s:
            row = s.get(ApiKeyRow, prefix)
            if row is None or row.tenant_id != tenant_id:
                raise NotFoundError(f"no key {prefix!r} in this tenant", code="key_not_found")
            if row.revoked_at is None:
                row.revoked_at = dt.datetime.now(dt.UTC)
            info = _info(row)
        self._forget(prefix)
        return info

    def rotate(self, tenant_id: str, prefix: str) -> IssuedKey:
        """A new key with the same role and name; the old one is revoked in the same transaction."""
        with self.db.session() as s:
            row = s.get(ApiKeyRow, prefix)
            if row is None or row.tenant_id != tenant_id or row.revoked_at is not None:
                raise NotFoundError(f"no live key {prefix!r} in this tenant", code="key_not_found")
            row.revoked_at = dt.datetime.now(dt.UTC)
            new_prefix, secret = secrets.token_hex(_PREFIX_HEX // 2), secrets.token_urlsafe(32)
            new = ApiKeyRow(
                prefix=new_prefix,
                tenant_id=tenant_id,
                name=row.name,
                role=row.role,
                secret_hash=_hash(secret),
            )
            s.add(new)
            s.flush()
            info = _info(new)
        self._forget(prefix)
        return IssuedKey(token=f"mk_{new_prefix}_{secret}", info=info)


def _info(row: ApiKeyRow) -> ApiKeyInfo:
    role: Role = row.role  # type: ignore[assignment]
    return ApiKeyInfo(row.prefix, row.tenant_id, row.name, role, row.created_at, row.revoked_at)
