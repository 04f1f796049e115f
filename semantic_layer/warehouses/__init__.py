"""Warehouse implementations and the one factory that picks one from the settings.

The factory reads settings through small Protocols rather than importing `assistant.runtime.settings`:
`semantic_layer` sits below `assistant` and must not import it. The settings' `duckdb` group has
the fields of `DuckDbSettings`; its `snowflake` group has the arguments of `SnowflakeWarehouse`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from semantic_layer.protocols import Warehouse


class DuckDbKnobs(Protocol):
    @property
    def threads(self) -> int | None: ...
    @property
    def memory_limit(self) -> str | None: ...


class SnowflakeAccess(Protocol):
    @property
    def account(self) -> str | None: ...
    @property
    def user(self) -> str | None: ...
    @property
    def password(self) -> str | None: ...
    @property
    def role(self) -> str: ...
    @property
    def tenant_role_template(self) -> str | None: ...
    @property
    def warehouse(self) -> str: ...
    @property
    def database(self) -> str: ...
    @property
    def schema_name(self) -> str: ...


class WarehouseSettings(Protocol):
    """The part of `assistant.runtime.settings.Settings` the factory reads."""

    @property
    def warehouse(self) -> str: ...
    @property
    def resolved_duckdb_path(self) -> Path: ...
    @property
    def duckdb(self) -> DuckDbKnobs: ...
    @property
    def snowflake(self) -> SnowflakeAccess: ...


def warehouse_from_settings(settings: WarehouseSettings) -> Warehouse:
    """DuckDB (embedded default) or Snowflake; the Snowflake connector is imported only if chosen."""
    if settings.warehouse == "snowflake":
        from semantic_layer.warehouses.snowflake import SnowflakeWarehouse

        sf = settings.snowflake
        return SnowflakeWarehouse(
            account=sf.account or "",
            user=sf.user or "",
            password=sf.password,
            role=sf.role,
            tenant_role_template=sf.tenant_role_template,
            warehouse=sf.warehouse,
            database=sf.database,
            schema=sf.schema_name,
        )
    from semantic_layer.warehouses.duckdb import DuckDbSettings, DuckDbWarehouse

    duckdb = settings.duckdb
    return DuckDbWarehouse(
        settings.resolved_duckdb_path,
        DuckDbSettings(threads=duckdb.threads, memory_limit=duckdb.memory_limit),
    )
