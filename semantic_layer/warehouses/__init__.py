"""Warehouse implementations and the one factory that picks one from the settings.

The factory reads settings through a small Protocol rather than importing `assistant.runtime.settings`:
`semantic_layer` sits below `assistant` and must not import it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from semantic_layer.protocols import Warehouse


class WarehouseSettings(Protocol):
    """The part of `assistant.runtime.settings.Settings` the factory reads."""

    @property
    def warehouse(self) -> str: ...
    @property
    def resolved_duckdb_path(self) -> Path: ...
    @property
    def duckdb_threads(self) -> int | None: ...
    @property
    def duckdb_memory_limit(self) -> str | None: ...
    @property
    def snowflake_account(self) -> str | None: ...
    @property
    def snowflake_user(self) -> str | None: ...
    @property
    def snowflake_password(self) -> str | None: ...
    @property
    def snowflake_role(self) -> str: ...
    @property
    def snowflake_tenant_role_template(self) -> str | None: ...
    @property
    def snowflake_warehouse(self) -> str: ...
    @property
    def snowflake_database(self) -> str: ...
    @property
    def snowflake_schema(self) -> str: ...


def warehouse_from_settings(settings: WarehouseSettings) -> Warehouse:
    """DuckDB (embedded default) or Snowflake; the Snowflake connector is imported only if chosen."""
    if settings.warehouse == "snowflake":
        from semantic_layer.warehouses.snowflake import SnowflakeWarehouse

        return SnowflakeWarehouse(
            account=settings.snowflake_account or "",
            user=settings.snowflake_user or "",
            password=settings.snowflake_password,
            role=settings.snowflake_role,
            tenant_role_template=settings.snowflake_tenant_role_template,
            warehouse=settings.snowflake_warehouse,
            database=settings.snowflake_database,
            schema=settings.snowflake_schema,
        )
    from semantic_layer.warehouses.duckdb import DuckDbSettings, DuckDbWarehouse

    return DuckDbWarehouse(
        settings.resolved_duckdb_path,
        DuckDbSettings(threads=settings.duckdb_threads, memory_limit=settings.duckdb_memory_limit),
    )
