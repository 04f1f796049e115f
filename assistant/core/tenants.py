"""The tenant directory: which tenants exist, and their name, currency, timezone and locale.

In the embedded multi-tenant default it is the `mercurios_meta.tenants` registry table that the
warehouse build writes (the service keeps its own copy in the app database). The registry holds no
business data, so it is read through the guard with a policy that declares exactly that one
relation tenant-neutral.

A single-tenant project (`MERCURIOS_SINGLE_TENANT=true`, a company's own dbt project) has no
registry: its one tenant (`MERCURIOS_SINGLE_TENANT_ID`, default `default`) is described by the
settings, else by the dbt project's `vars: {mercurios: {...}}`, else by defaults
(`assistant.runtime.from_settings.single_tenant_profile`); `tenant_directory` there picks one of
the two from the settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from guardrails.errors import NotFoundError
from guardrails.policies import policy_from_relations
from guardrails.sql import guard_sql
from semantic_layer.protocols import Warehouse

REGISTRY = "mercurios_meta.tenants"


@dataclass(frozen=True)
class TenantProfile:
    tenant_id: str
    name: str
    currency: str = "EUR"
    timezone: str = "Europe/Berlin"
    locale: str = "de-DE"


class UnknownTenantError(NotFoundError):
    code = "unknown_tenant"


class WarehouseTenantDirectory:
    def __init__(self, warehouse: Warehouse) -> None:
        self._warehouse = warehouse
        # The registry is the one relation of this policy and it is tenant-neutral by design, so
        # the policy says so explicitly (single_tenant) rather than by leaving a filter out.
        self._policy = policy_from_relations(
            [REGISTRY],
            dialect=warehouse.dialect,  # type: ignore[arg-type]
            tenant_column=None,
            default_schema="mercurios_meta",
            single_tenant=True,
        )
        self._cache: dict[str, TenantProfile] | None = None

    def all(self) -> dict[str, TenantProfile]:
        if self._cache is None:
            guarded = guard_sql(
                f"SELECT tenant_id, tenant_name, currency, timezone, locale FROM {REGISTRY}",
                tenant_id=None,
                policy=self._policy,
            )
            result = self._warehouse.execute(guarded, timeout_s=10, row_cap=100_000)
            self._cache = {
                str(r[0]): TenantProfile(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]))
                for r in result.rows
            }
        return self._cache

    def get(self, tenant_id: str) -> TenantProfile:
        tenants = self.all()
        if tenant_id not in tenants:
            raise UnknownTenantError(f"unknown tenant {tenant_id!r}")
        return tenants[tenant_id]

    def foreign_terms(self, tenant_id: str) -> tuple[str, ...]:
        """Other tenants' ids and names: a question naming one is refused, never answered."""
        return tuple(
            t for p in self.all().values() if p.tenant_id != tenant_id for t in (p.tenant_id, p.name)
        )


class TenantRegistry(Protocol):
    """A tenant directory that can also list its tenants (the CLI, the service's seeding, indexing)."""

    def all(self) -> dict[str, TenantProfile]: ...

    def get(self, tenant_id: str) -> TenantProfile: ...

    def foreign_terms(self, tenant_id: str) -> tuple[str, ...]: ...


class SingleTenantDirectory:
    """The one tenant of a single-tenant project: no registry table, nobody else to refuse."""

    def __init__(self, profile: TenantProfile) -> None:
        self.profile = profile

    def all(self) -> dict[str, TenantProfile]:
        return {self.profile.tenant_id: self.profile}

    def get(self, tenant_id: str) -> TenantProfile:
        if tenant_id != self.profile.tenant_id:
            raise UnknownTenantError(
                f"unknown tenant {tenant_id!r}: this project is single-tenant and its one tenant is "
                f"{self.profile.tenant_id!r} (leave --tenant out)"
            )
        return self.profile

    def foreign_terms(self, tenant_id: str) -> tuple[str, ...]:
        return ()
