"""`generate_demo`: validate the request, create the raw schema, simulate and load each tenant.

This is the I/O edge of the demo package: everything before it is pure simulation over numpy
arrays; here the arrays become Arrow tables and land in DuckDB.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from guardrails.errors import UserError
from ingestion.demo.anomalies import PlantedAnomaly
from ingestion.demo.raw_loader import insert_columns
from ingestion.demo.raw_tables import raw_tables
from ingestion.demo.tenant_dataset import simulate_tenant
from ingestion.demo.tenants import TENANT_PROFILES
from ingestion.raw_schema import RAW_TABLES, create_raw_schema_sql

DEFAULT_END_DATE = dt.date(2026, 10, 31)
DEFAULT_SEED = 20261031
MAX_SCALE = 100.0
EARLIEST_END_DATE = dt.date(2020, 1, 1)


@dataclass(frozen=True)
class DemoSummary:
    """What was loaded: rows per tenant and raw table, and how long it took."""

    rows: Mapping[str, Mapping[str, int]]  # tenant_id -> raw table name -> rows inserted
    elapsed_seconds: float
    end_date: dt.date
    scale: float
    seed: int

    @property
    def tenants(self) -> tuple[str, ...]:
        return tuple(self.rows)

    def table_total(self, table: str) -> int:
        return sum(per_table.get(table, 0) for per_table in self.rows.values())

    @property
    def total_rows(self) -> int:
        return sum(sum(per_table.values()) for per_table in self.rows.values())


class UnknownTenantError(UserError):
    code = "unknown_tenant"


def _validate(end_date: dt.date, scale: float, tenants: Sequence[str] | None) -> tuple[str, ...]:
    if not isinstance(end_date, dt.date) or end_date < EARLIEST_END_DATE:
        raise UserError(
            f"end_date must be a date on or after {EARLIEST_END_DATE.isoformat()}, got {end_date!r}"
        )
    if not scale > 0 or scale > MAX_SCALE:
        raise UserError(f"scale must be greater than 0 and at most {MAX_SCALE:g}, got {scale!r}")
    if tenants is None:
        return tuple(TENANT_PROFILES)
    if isinstance(tenants, str):
        tenants = [tenants]
    known = ", ".join(TENANT_PROFILES)
    unknown = [t for t in tenants if t not in TENANT_PROFILES]
    if unknown:
        raise UnknownTenantError(f"unknown demo tenant(s) {', '.join(unknown)}; known tenants: {known}")
    if not tenants:
        raise UserError(f"no demo tenants chosen; known tenants: {known}")
    return tuple(dict.fromkeys(tenants))


def generate_demo(
    con: duckdb.DuckDBPyConnection,
    *,
    end_date: dt.date = DEFAULT_END_DATE,
    scale: float = 1.0,
    tenants: Sequence[str] | None = None,
    seed: int = DEFAULT_SEED,
    anomalies: Mapping[str, tuple[PlantedAnomaly, ...]] | None = None,
) -> DemoSummary:
    """Create schema `raw` with every raw table and fill two years of history ending on `end_date`.

    Same arguments give byte-identical data (including `_loaded_at`, derived from `end_date`).
    `anomalies` replaces the documented planted anomalies of the tenants it names (a tenant it
    names with an empty tuple gets none): the detector benchmark plants its own events this way.
    The chosen tenants' existing raw rows are replaced; other tenants' rows are left alone.
    """
    chosen = _validate(end_date, scale, tenants)
    started = time.perf_counter()
    for statement in create_raw_schema_sql():
        con.execute(statement)
    rows: dict[str, dict[str, int]] = {}
    for tenant_id in chosen:
        # Regenerating a tenant replaces its rows, so a second run never doubles the data.
        for spec in RAW_TABLES:
            con.execute(f"DELETE FROM raw.{spec.name} WHERE tenant_id = ?", [tenant_id])
        planted = None if anomalies is None or tenant_id not in anomalies else anomalies[tenant_id]
        dataset = simulate_tenant(TENANT_PROFILES[tenant_id], end_date, scale, seed, planted)
        per_table = {t.name: 0 for t in RAW_TABLES}
        for table, columns in raw_tables(dataset, end_date):
            per_table[table] = insert_columns(con, table, columns)
        rows[tenant_id] = per_table
    return DemoSummary(
        rows=rows,
        elapsed_seconds=time.perf_counter() - started,
        end_date=end_date,
        scale=scale,
        seed=seed,
    )
