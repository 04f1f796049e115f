"""One ProHandel load, the same wherever it starts (`mercurios ingest prohandel`, the Lambda handler):

1. sync the tenant's changed records into the raw tables (each landed page archived in the lake);
2. rebuild the marts with dbt;
3. bump the tenant's data version, so its cached answers are recomputed (and only its);
4. ask dbt whether the tenant's sources are still fresh.

On DuckDB the data versions are fingerprints of the marts, re-recorded after the build; on Snowflake
the loader bumps the tenant's version itself after every successful load. Skipping dbt (`dbt=None`)
skips 2–4 on DuckDB: the versions describe the marts, which did not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingestion.data_versions import read_data_versions, record_data_versions
from ingestion.lake.archiving_sink import ArchivingSink
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.landing.protocols import RawSink
from ingestion.landing.snowflake_sink import SnowflakeSink
from ingestion.prohandel.client import Credentials, ProHandelClient
from ingestion.prohandel.connector import SyncReport, sync_tenant
from ingestion.quality.freshness import TableFreshness, check_freshness
from semantic_layer.dbt_runner import run_dbt


@dataclass(frozen=True)
class DbtProject:
    """Where the marts are built from. `work_dir` holds the freshness check's own dbt target."""

    project_dir: Path
    target: str
    target_path: Path | None
    work_dir: Path


@dataclass(frozen=True)
class LoadResult:
    report: SyncReport
    where: str
    versions: dict[str, str | None] = field(default_factory=dict)  # before/after, when dbt ran
    fresh: tuple[TableFreshness, ...] = ()


def _sync(
    credentials: Credentials,
    sink: RawSink,
    lake: IcebergLake | None,
    *,
    full_refresh: bool,
    page_size: int,
) -> SyncReport:
    with ProHandelClient(credentials) as client:
        target: RawSink = ArchivingSink(sink, lake) if lake is not None else sink
        return sync_tenant(client, target, full_refresh=full_refresh, page_size=page_size)


def load_into_duckdb(
    credentials: Credentials,
    path: Path,
    *,
    dbt: DbtProject | None,
    lake: IcebergLake | None,
    full_refresh: bool = False,
    page_size: int = 1000,
) -> LoadResult:
    tenant = credentials.tenant_id
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        report = _sync(credentials, DuckDbSink(con), lake, full_refresh=full_refresh, page_size=page_size)
    if dbt is None:
        return LoadResult(report, str(path))
    before = read_data_versions(path)
    run_dbt(dbt.project_dir, ["build"], duckdb_path=path, target=dbt.target, target_path=dbt.target_path)
    with duckdb.connect(str(path)) as con:
        record_data_versions(con)
        con.execute("CHECKPOINT")
    after = read_data_versions(path)
    fresh = check_freshness(
        tenant, project_dir=dbt.project_dir, target=dbt.target, duckdb_path=path, work_dir=dbt.work_dir
    )
    return LoadResult(
        report, str(path), {"before": before.get(tenant), "after": after.get(tenant)}, tuple(fresh)
    )


def load_into_snowflake(
    credentials: Credentials,
    snow: SnowflakeSink,
    *,
    database: str,
    dbt: DbtProject | None,
    lake: IcebergLake | None,
    full_refresh: bool = False,
    page_size: int = 1000,
) -> LoadResult:
    """Closes `snow` (and its connection) when done."""
    tenant = credentials.tenant_id
    fresh: list[TableFreshness] = []
    try:
        report = _sync(credentials, snow, lake, full_refresh=full_refresh, page_size=page_size)
        if dbt is not None:
            run_dbt(dbt.project_dir, ["build"], target="snowflake", target_path=dbt.target_path)
        versions: dict[str, str | None] = {"before": snow.data_version(tenant)}
        versions["after"] = snow.bump_data_version(tenant, report.load_id)
        if dbt is not None:
            fresh = check_freshness(
                tenant,
                project_dir=dbt.project_dir,
                target="snowflake",
                duckdb_path=None,
                work_dir=dbt.work_dir,
            )
    finally:
        snow.con.close()
        snow.close()
    return LoadResult(report, f"Snowflake {database}", versions, tuple(fresh))
