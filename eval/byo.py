"""Bring your own evaluation: the tenants of any dbt project, read from its own data.

A customer's or researcher's project has no `mercurios_meta.tenants` registry. Its tenants are the
distinct values of its tenant column (`--tenant-column`, e.g. `org_id`) in its built relations,
read through the harness's read-only oracle connection; a question file naming a tenant the data
does not hold gets a per-case "unknown tenant" error, like the product would give.

A single-tenant project (its question file says `tenant_column: null`) has no tenant column: it
runs in the product's single-tenant mode with the product's own one-tenant directory
(`assistant.core.tenants.tenant_directory`), so this directory is for multi-tenant projects only.
"""

from __future__ import annotations

from assistant import TenantProfile, UnknownTenantError
from eval.errors import HarnessError
from eval.runner import GoldOracle


class ProjectTenants:
    """A `TenantDirectory` over a project's tenant column (profiles take the product defaults)."""

    def __init__(self, oracle: GoldOracle, tenant_column: str | None) -> None:
        if tenant_column is None:
            raise HarnessError(
                "a single-tenant project has no tenant column to read tenants from: run it in "
                "single-tenant mode (MERCURIOS_SINGLE_TENANT=true, or questions with tenant_column: null)"
            )
        self._oracle = oracle
        self._column = tenant_column
        self._known: set[str] | None = None

    def _tenants(self) -> set[str]:
        if self._known is None:
            tables = self._oracle.rows(
                "select table_schema, table_name from information_schema.columns "
                "where table_catalog = current_database() and column_name = "
                f"'{self._column.replace(chr(39), chr(39) * 2)}' and table_schema not like 'raw%'"
            )
            known: set[str] = set()
            for schema, table in tables:
                for (value,) in self._oracle.rows(
                    f'select distinct "{self._column}" from "{schema}"."{table}" '
                    f'where "{self._column}" is not null'
                ):
                    known.add(str(value))
            self._known = known
        return self._known

    def get(self, tenant_id: str) -> TenantProfile:
        if tenant_id not in self._tenants():
            raise UnknownTenantError(f"unknown tenant {tenant_id!r} (not in column {self._column})")
        return TenantProfile(tenant_id=tenant_id, name=tenant_id)

    def foreign_terms(self, tenant_id: str) -> tuple[str, ...]:
        return tuple(sorted(t for t in self._tenants() if t != tenant_id))
