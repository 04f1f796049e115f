"""Tenants in the app database, and the engine's `TenantDirectory` over them.

The service owns its tenants here; the warehouse registry (`mercurios_meta.tenants`) remains the
source of the demo tenants, copied in by `seed_from_directory`.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from assistant.core.context import TENANT_ID_PATTERN
from assistant.core.tenants import SingleTenantDirectory, TenantProfile, UnknownTenantError
from assistant.runtime.ask_links import check_ask_url
from assistant.runtime.from_settings import single_tenant_profile
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import TenantRow
from assistant.runtime.theme import InvalidTheme, Theme, parse_theme
from guardrails.errors import UserError

if TYPE_CHECKING:
    from assistant.runtime.settings import Settings

log = logging.getLogger("mercurios.tenants")


@dataclass(frozen=True)
class TenantSettings:
    """A tenant as the service sees it: the engine's profile plus service settings."""

    profile: TenantProfile
    cors_origins: tuple[str, ...] = ()
    retention_days: int = 365
    theme: Theme | None = None  # white-label widget; None = the widget's defaults
    ask_url: str | None = None  # the tenant's page embedding the widget, `{q}` = the question


@dataclass
class TenantRepository:
    db: Database
    _cache: dict[str, TenantSettings] | None = field(default=None, init=False)
    _cached_at: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    ttl_s: float = 5.0

    def create(
        self,
        tenant_id: str,
        name: str,
        *,
        currency: str = "EUR",
        timezone: str = "Europe/Berlin",
        locale: str = "de-DE",
        cors_origins: tuple[str, ...] = (),
        retention_days: int = 365,
    ) -> TenantSettings:
        if not TENANT_ID_PATTERN.fullmatch(tenant_id):
            raise UserError(
                f"malformed tenant id {tenant_id!r}: lower-case letters, digits, '-' and '_'",
                code="invalid_tenant_id",
            )
        with self.db.session() as s:
            if s.get(TenantRow, tenant_id) is not None:
                raise UserError(f"tenant {tenant_id!r} already exists", code="tenant_exists")
            s.add(
                TenantRow(
                    tenant_id=tenant_id,
                    name=name,
                    currency=currency,
                    timezone=timezone,
                    locale=locale,
                    cors_origins=list(cors_origins),
                    retention_days=retention_days,
                )
            )
        self._invalidate()
        return self.get(tenant_id)

    def set_cors_origins(self, tenant_id: str, origins: tuple[str, ...]) -> TenantSettings:
        with self.db.session() as s:
            row = s.get(TenantRow, tenant_id)
            if row is None:
                raise UnknownTenantError(f"unknown tenant {tenant_id!r}")
            row.cors_origins = list(origins)
        self._invalidate()
        return self.get(tenant_id)

    def set_theme(self, tenant_id: str, theme: Theme | None) -> TenantSettings:
        """Replaces the tenant's whole theme (None resets to the defaults); only a validated
        `Theme` can be stored, so what the widget reads back has passed the same checks."""
        with self.db.session() as s:
            row = s.get(TenantRow, tenant_id)
            if row is None:
                raise UnknownTenantError(f"unknown tenant {tenant_id!r}")
            row.theme = None if theme is None else theme.to_json()
        self._invalidate()
        return self.get(tenant_id)

    def set_ask_url(self, tenant_id: str, url: str | None) -> TenantSettings:
        """Where the tenant's digest links open a question (see `assistant/runtime/ask_links.py`);
        None = this service's `/ask` page. Checked before it is stored."""
        checked = None if url is None else check_ask_url(url)
        with self.db.session() as s:
            row = s.get(TenantRow, tenant_id)
            if row is None:
                raise UnknownTenantError(f"unknown tenant {tenant_id!r}")
            row.ask_url = checked
        self._invalidate()
        return self.get(tenant_id)

    def theme(self, tenant_id: str) -> Theme | None:
        return self.get(tenant_id).theme

    def all(self) -> dict[str, TenantSettings]:
        """Every tenant, cached for a few seconds: asked on every request, changed rarely."""
        with self._lock:
            if self._cache is not None and time.monotonic() - self._cached_at < self.ttl_s:
                return self._cache
        with self.db.session() as s:
            rows = s.scalars(select(TenantRow).order_by(TenantRow.tenant_id)).all()
            loaded = {r.tenant_id: _settings(r) for r in rows}
        with self._lock:
            self._cache, self._cached_at = loaded, time.monotonic()
        return loaded

    def is_fresh(self) -> bool:
        """True when `all()`/`get()` would answer from memory (no database round trip)."""
        return self._cache is not None and time.monotonic() - self._cached_at < self.ttl_s

    def get(self, tenant_id: str) -> TenantSettings:
        found = self.all().get(tenant_id)
        if found is None:
            raise UnknownTenantError(f"unknown tenant {tenant_id!r}")
        return found

    def _invalidate(self) -> None:
        with self._lock:
            self._cache = None

    def seed_from_directory(self, profiles: dict[str, TenantProfile]) -> list[str]:
        """Copy tenants missing here (e.g. the demo tenants of the warehouse registry); returns ids added."""
        existing = self.all()
        added = []
        for p in profiles.values():
            if p.tenant_id not in existing:
                self.create(p.tenant_id, p.name, currency=p.currency, timezone=p.timezone, locale=p.locale)
                added.append(p.tenant_id)
        return added


def seed_single_tenant(repo: TenantRepository, settings: Settings) -> None:
    """A single-tenant project's one tenant exists in the app database without `tenants create`
    (keys, themes, Slack links and digests hang off it); a no-op for a multi-tenant project."""
    if settings.tenancy.single_tenant:
        repo.seed_from_directory(SingleTenantDirectory(single_tenant_profile(settings)).all())


class SqlTenantDirectory:
    """The engine's `TenantDirectory` over the app database."""

    def __init__(self, repo: TenantRepository) -> None:
        self._repo = repo

    def get(self, tenant_id: str) -> TenantProfile:
        return self._repo.get(tenant_id).profile

    def foreign_terms(self, tenant_id: str) -> tuple[str, ...]:
        """Other tenants' ids and names: a question naming one is refused, never answered."""
        return tuple(
            t
            for ts in self._repo.all().values()
            if ts.profile.tenant_id != tenant_id
            for t in (ts.profile.tenant_id, ts.profile.name)
        )


def _settings(row: TenantRow) -> TenantSettings:
    return TenantSettings(
        profile=TenantProfile(row.tenant_id, row.name, row.currency, row.timezone, row.locale),
        cors_origins=tuple(row.cors_origins or ()),
        retention_days=row.retention_days,
        theme=_stored_theme(row),
        ask_url=row.ask_url,
    )


def _stored_theme(row: TenantRow) -> Theme | None:
    """A stored theme that no longer validates (rules tightened since, or a hand-edited row) is
    dropped, not served: the widget falls back to its defaults and the log says why."""
    if row.theme is None:
        return None
    try:
        return parse_theme(row.theme)
    except InvalidTheme as exc:
        log.warning("ignoring the stored theme of tenant %s: %s", row.tenant_id, exc)
        return None
