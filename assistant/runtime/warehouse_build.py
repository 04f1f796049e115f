"""Build the embedded demo warehouse: generate raw data, run dbt, record data versions, swap in.

The build never touches the live warehouse file until it has fully succeeded: it writes into a
fresh directory beside the target (same filesystem, same file name, so DuckDB's catalog name —
the file stem, which dbt bakes into view definitions — is identical), and only then renames the
file over the target. A failed build leaves the previous warehouse usable and removes its debris.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

import duckdb

from assistant.core.clock import Clock
from guardrails.errors import ConfigError, UserError
from guardrails.policies import RETAIL_MARTS
from ingestion.data_versions import record_data_versions
from ingestion.demo import generate_demo
from ingestion.demo.tenants import TENANT_PROFILES
from semantic_layer.dbt_runner import run_dbt

MART_TABLES = RETAIL_MARTS  # the contract marts of DESIGN.md, one list for the guard and the build

# Per-tenant fingerprint of the marts: changes whenever the data a question could see changes.


@dataclass(frozen=True)
class MartStats:
    table: str
    rows: int
    checksum: str  # order-independent fingerprint of the table's content


@dataclass(frozen=True)
class BuildReport:
    path: Path
    end_date: date
    scale: float
    tenants: tuple[str, ...]
    generate_s: float
    dbt_s: float
    total_s: float
    marts: tuple[MartStats, ...]
    raw_rows: dict[str, int] = field(default_factory=dict)
    file_size_bytes: int = 0

    def mart(self, name: str) -> MartStats:
        return next(m for m in self.marts if m.table == name)


def _check_writable(target: Path) -> None:
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"warehouse directory {parent} cannot be created: {exc.strerror}") from exc
    if not os.access(parent, os.W_OK):
        raise ConfigError(f"warehouse directory {parent} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise ConfigError(f"warehouse file {target} is not writable")


def mart_stats(con: duckdb.DuckDBPyConnection) -> tuple[MartStats, ...]:
    """Row count and an order-independent content checksum per mart (for determinism checks)."""
    stats = []
    for table in MART_TABLES:
        row = con.execute(
            f"SELECT count(*), coalesce(sum(hash(t::VARCHAR)), 0)::VARCHAR FROM marts.{table} AS t"
        ).fetchone()
        assert row is not None
        stats.append(MartStats(table, int(row[0]), str(row[1])))
    return tuple(stats)


class RawLanding(Protocol):
    """Fills the raw schema of a fresh warehouse: the demo generator, or the real connectors
    against the ProHandel simulator (`mercurios demo --via-api`)."""

    def __call__(
        self, con: duckdb.DuckDBPyConnection, *, end_date: date, scale: float, tenants: Sequence[str] | None
    ) -> _LandingSummary: ...


class _LandingSummary(Protocol):
    @property
    def tenants(self) -> tuple[str, ...]: ...


def build_warehouse(
    target: Path,
    *,
    end_date: date,
    scale: float = 1.0,
    tenants: Sequence[str] | None = None,
    dbt_project_dir: Path,
    dbt_target_path: Path | None = None,
    land: RawLanding = generate_demo,
) -> BuildReport:
    """Land the demo tenants' raw data, `dbt build` it, and atomically replace `target`."""
    target = Path(target).resolve()
    if target.suffix != ".duckdb":
        raise ConfigError(f"warehouse path must end in .duckdb: {target}")
    _check_writable(target)
    started = time.perf_counter()
    staging_dir = target.parent / f".build-{os.getpid()}-{time.time_ns()}"
    staging_dir.mkdir()
    building = staging_dir / target.name
    try:
        with duckdb.connect(str(building)) as con:
            summary = land(con, end_date=end_date, scale=scale, tenants=tenants)
        generated = time.perf_counter()
        run_dbt(dbt_project_dir, ["build"], duckdb_path=building, target_path=dbt_target_path)
        built = time.perf_counter()
        with duckdb.connect(str(building)) as con:
            record_data_versions(con)
            marts = mart_stats(con)
            raw_rows = {
                str(name): int(n)
                for name, n in con.execute(
                    "SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'raw' "
                    "ORDER BY table_name"
                ).fetchall()
            }
            con.execute("CHECKPOINT")
        os.replace(building, target)
        stale_wal = target.with_name(target.name + ".wal")
        if stale_wal.exists():
            stale_wal.unlink()
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)
    return BuildReport(
        path=target,
        end_date=end_date,
        scale=scale,
        tenants=tuple(summary.tenants),
        generate_s=generated - started,
        dbt_s=built - generated,
        total_s=time.perf_counter() - started,
        marts=marts,
        raw_rows=raw_rows,
        file_size_bytes=target.stat().st_size,
    )


def parse_end_date(text: str) -> date:
    """Parse `YYYY-MM-DD`; anything else is the user's error, named as such."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UserError(f"malformed end date {text!r}: expected YYYY-MM-DD, e.g. 2026-10-31") from exc


def default_demo_end_date(clock: Clock, tenants: Sequence[str] | None = None) -> date:
    """Yesterday in the demo tenants' timezones (the earliest, should they differ): the demo reads
    like a warehouse loaded last night, so "last week" or "last month" has data on any day someone
    tries it. Reproducible builds (tests, the eval, benchmarks) pass their own end date."""
    zones = {TENANT_PROFILES[t].timezone for t in (tenants or TENANT_PROFILES) if t in TENANT_PROFILES}
    return min(clock.today(zone) for zone in zones or {"UTC"}) - timedelta(days=1)


def warehouse_data_end(path: Path) -> date | None:
    """The last day a built warehouse has sales for (any tenant); None when it records none."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = con.execute("SELECT max(last_data_date) FROM mercurios_meta.data_versions").fetchone()
    except duckdb.CatalogException:  # built before data versions were recorded, or not by us
        return None
    return row[0] if row is not None and isinstance(row[0], date) else None


def stale_demo_reason(path: Path, wanted_end: date, *, pinned: bool) -> str | None:
    """Why the demo must rebuild an existing warehouse (None: it may be used as it is). Without a
    pinned end date any data reaching `wanted_end` (yesterday) will do; with one, exactly it."""
    data_end = warehouse_data_end(path)
    if data_end is None:
        return f"The demo warehouse {path} records no data versions: rebuilding it."
    if pinned and data_end != wanted_end:
        return f"The demo warehouse's data ends {data_end}, not {wanted_end}: rebuilding it."
    if not pinned and data_end < wanted_end:
        return f"The demo warehouse's data ends {data_end}, before yesterday ({wanted_end}): rebuilding it."
    return None
