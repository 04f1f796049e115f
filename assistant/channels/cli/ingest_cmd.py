"""`mercurios ingest prohandel|freshness`, `mercurios lake expire|replay`, `mercurios backup|restore`.

(`mercurios ingest bench` is a benchmark: `eval.commands` registers it.)

Ingest syncs one tenant's ProHandel data into the raw tables, archives every landed page in the
Iceberg lake, runs dbt and bumps the data versions, so the tenant's cached answers are recomputed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assistant.runtime.settings import Settings, get_settings

if TYPE_CHECKING:
    from ingestion.backup.backup_set import BackupManifest
    from ingestion.lake.iceberg_lake import IcebergLake
    from ingestion.landing.snowflake_sink import SnowflakeSink
    from ingestion.prohandel.connector import SyncReport
    from ingestion.quality.freshness import TableFreshness

app = typer.Typer(no_args_is_help=True, help="Load source data into the warehouse's raw tables.")
lake_app = typer.Typer(no_args_is_help=True, help="The raw-data lake (Parquet + Iceberg).")


def _lake(settings: Settings) -> IcebergLake:
    from ingestion.lake.catalog import LakeLocation
    from ingestion.lake.iceberg_lake import IcebergLake

    root = settings.lake.root or str(settings.data_dir / "lake")
    return IcebergLake(LakeLocation(root, settings.lake.catalog_uri))


def _snowflake_sink(settings: Settings, role: str) -> SnowflakeSink:
    from ingestion.landing.snowflake_sink import SnowflakeSink, SnowflakeTarget

    target = SnowflakeTarget(
        account=settings.snowflake.account or "",
        user=settings.snowflake.user or "",
        password=settings.snowflake.password,
        role=role,
        warehouse=settings.snowflake.warehouse,
        database=settings.snowflake.database,
    )
    return SnowflakeSink(target.connect())


def _freshness(
    settings: Settings, tenant: str, *, target: str, duckdb_path: Path | None
) -> list[TableFreshness]:
    from ingestion.quality.freshness import check_freshness

    return check_freshness(
        tenant,
        project_dir=settings.dbt_project_dir,
        target=target,
        duckdb_path=duckdb_path,
        work_dir=Path(settings.dbt_target_path or settings.data_dir / "dbt-target").parent,
    )


def _freshness_json(fresh: list[TableFreshness]) -> list[dict[str, object]]:
    return [
        {"table": f.table, "status": f.status, "max_loaded_at": f.max_loaded_at, "age_s": f.age_s}
        for f in fresh
    ]


def _load_json(
    report: SyncReport, versions: dict[str, str | None], fresh: list[TableFreshness] | None = None
) -> str:
    fresh = fresh or []
    return json.dumps(
        {
            "tenant": report.tenant_id,
            "load_id": report.load_id,
            "rows_loaded": report.rows_loaded,
            "rows_rejected": report.rows_rejected,
            "alerts": [*report.alerts, *(f.alert for f in fresh if f.alert)],
            "freshness": _freshness_json(fresh),
            "data_version": versions,
            "resources": [
                {
                    "resource": r.resource,
                    "pages": r.pages,
                    "received": r.rows_received,
                    "loaded": r.rows_loaded,
                    "rejected": r.rows_rejected,
                    "duplicates": r.duplicates,
                    "watermark": r.watermark.isoformat() if r.watermark else None,
                    "seconds": round(r.duration_s, 3),
                    "schema_drift": r.schema_drift,
                }
                for r in report.loads
            ],
        },
        indent=2,
    )


@app.command("prohandel")
def prohandel(
    tenant: Annotated[str, typer.Option("--tenant", help="The tenant whose ProHandel data to load.")],
    full_refresh: Annotated[
        bool, typer.Option("--full-refresh", help="Ignore the watermark; drop rows the API no longer has.")
    ] = False,
    credentials: Annotated[
        Path | None,
        typer.Option(
            "--credentials",
            envvar="MERCURIOS_PROHANDEL_CREDENTIALS_FILE",
            help="JSON file: tenant id -> api_key, api_secret, auth_url.",
        ),
    ] = None,
    warehouse: Annotated[
        Path | None,
        typer.Option(
            "--warehouse", help="DuckDB file. Default: MERCURIOS_DUCKDB_PATH (DuckDB warehouse only)."
        ),
    ] = None,
    page_size: Annotated[int, typer.Option("--page-size", min=1, max=10_000)] = 1000,
    dbt: Annotated[
        bool, typer.Option("--dbt/--no-dbt", help="Run dbt and bump the data version after the load.")
    ] = True,
    lake: Annotated[
        bool, typer.Option("--lake/--no-lake", help="Archive every landed page in the Iceberg lake.")
    ] = True,
    snowflake_role: Annotated[
        str,
        typer.Option(
            "--snowflake-role",
            envvar="MERCURIOS_SNOWFLAKE_LOADER_ROLE",
            help="Role that writes RAW, INGEST and the data versions when MERCURIOS_WAREHOUSE=snowflake "
            "(MERCURIOS_LOADER of dbt/snowflake/multi_tenant_setup.sql; not the read-only role).",
        ),
    ] = "MERCURIOS_LOADER",
    as_json: Annotated[bool, typer.Option("--json", help="Print the load summary as JSON.")] = False,
) -> None:
    """Incremental by default: only records changed since the last durably loaded page.

    Lands in the warehouse the settings choose (MERCURIOS_WAREHOUSE): DuckDB, or Snowflake through
    staged Parquet. On Snowflake, --dbt runs the project's snowflake target, and the tenant's data
    version is bumped after every successful load."""
    from guardrails.errors import ConfigError, UserError
    from ingestion.pipeline import DbtProject, load_into_duckdb, load_into_snowflake
    from ingestion.prohandel.credentials_file import load_credentials

    if credentials is None:
        raise ConfigError(
            "no ProHandel credentials: pass --credentials or set MERCURIOS_PROHANDEL_CREDENTIALS_FILE"
        )
    creds = load_credentials(credentials, tenant)
    settings = get_settings()
    project = (
        DbtProject(
            settings.dbt_project_dir,
            settings.dbt_target,
            settings.dbt_target_path,
            work_dir=Path(settings.dbt_target_path or settings.data_dir / "dbt-target").parent,
        )
        if dbt
        else None
    )
    archive = _lake(settings) if lake else None
    if settings.warehouse == "snowflake":
        if warehouse is not None:
            raise UserError("--warehouse names a DuckDB file; MERCURIOS_WAREHOUSE is snowflake")
        result = load_into_snowflake(
            creds,
            _snowflake_sink(settings, snowflake_role),
            database=settings.snowflake.database,
            dbt=project,
            lake=archive,
            full_refresh=full_refresh,
            page_size=page_size,
        )
    else:
        result = load_into_duckdb(
            creds,
            warehouse or settings.resolved_duckdb_path,
            dbt=project,
            lake=archive,
            full_refresh=full_refresh,
            page_size=page_size,
        )
    report, versions, fresh, where = result.report, result.versions, list(result.fresh), result.where
    if as_json:
        typer.echo(_load_json(report, versions, fresh))
        return
    typer.echo(f"ProHandel load {report.load_id} for {report.tenant_id} into {where}")
    typer.echo("  resource     pages  received    loaded  rejected  dupes  watermark")
    for r in report.loads:
        typer.echo(
            f"  {r.resource:<11} {r.pages:>6} {r.rows_received:>9,} {r.rows_loaded:>9,} "
            f"{r.rows_rejected:>9,} "
            f"{r.duplicates:>6}  {r.watermark or '-'}"
        )
    for alert in [*report.alerts, *(f.alert for f in fresh if f.alert)]:
        typer.echo(f"  ALERT {alert}")
    if fresh and all(f.alert is None for f in fresh):
        typer.echo(f"  source freshness: {', '.join(f.table for f in fresh)} fresh")
    if versions:
        typer.echo(f"  data version of {tenant}: {versions['before'] or '-'} -> {versions['after'] or '-'}")


@app.command("freshness")
def freshness(
    tenant: Annotated[str, typer.Option("--tenant", help="The tenant whose sources to check.")],
    warehouse: Annotated[
        Path | None, typer.Option("--warehouse", help="DuckDB file. Default: MERCURIOS_DUCKDB_PATH.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Is each ProHandel source still sending this tenant's data? (dbt source freshness, per tenant;
    the thresholds are in dbt/models/staging/_sources.yml). Exit 1 when a source is stale."""
    settings = get_settings()
    snowflake = settings.warehouse == "snowflake"
    path = None if snowflake else (warehouse or settings.resolved_duckdb_path)
    target = "snowflake" if snowflake else settings.dbt_target
    fresh = _freshness(settings, tenant, target=target, duckdb_path=path)
    if as_json:
        typer.echo(json.dumps({"tenant": tenant, "freshness": _freshness_json(fresh)}))
    else:
        for f in fresh:
            age = f"{f.age_s / 3600:.1f} h" if f.age_s is not None else "no rows"
            typer.echo(f"  {f.table:<26} {f.status:<6} newest row {f.max_loaded_at or '-'} ({age})")
    if any(f.status != "pass" for f in fresh):
        raise typer.Exit(1)


@lake_app.command("expire")
def lake_expire(
    tenant: Annotated[
        list[str] | None, typer.Option("--tenant", help="Only these tenants. Default: all in the lake.")
    ] = None,
) -> None:
    """Drop pages older than each tenant's retention (settings), physically after the time-travel window."""
    import datetime as dt

    from ingestion.lake.retention import expire

    settings = get_settings()
    lake = _lake(settings)
    tenants = tenant or sorted(lake.tenants())
    retention = {t: settings.lake.tenant_retention_days.get(t, settings.lake.retention_days) for t in tenants}
    report = expire(
        lake,
        tenants=retention,
        now=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        snapshot_window=dt.timedelta(days=settings.lake.snapshot_window_days),
    )
    for t in tenants:
        typer.echo(f"{t}: keep {retention[t]} days, {report.rows_deleted.get(t, 0):,} rows expired")
    typer.echo(f"snapshots expired: {report.snapshots_expired}, files deleted: {report.files_deleted}")


@lake_app.command("replay")
def lake_replay(
    warehouse: Annotated[Path, typer.Argument(help="DuckDB file to (re)fill from the lake.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="UTC time, ISO 8601: the lake as it was then.")
    ] = None,
    tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant's rows.")] = None,
) -> None:
    """Rebuild the connector's raw tables from the lake's history (e.g. into a fresh warehouse)."""
    import datetime as dt

    import duckdb

    from guardrails.errors import UserError
    from ingestion.lake.replay import replay

    when = None
    if as_of is not None:
        try:
            when = dt.datetime.fromisoformat(as_of)
        except ValueError as exc:
            raise UserError(f"malformed --as-of {as_of!r}: expected ISO 8601, e.g. 2026-11-27T12:00") from exc
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC).replace(tzinfo=None)
    with duckdb.connect(str(warehouse)) as con:
        done = replay(_lake(get_settings()), con, as_of=when, tenant_id=tenant)
    for t in done:
        typer.echo(f"raw.{t.table}: {t.raw_rows:,} rows from {t.lake_rows:,} archived")


def _parts(manifest: BackupManifest) -> list[str]:
    return [p for p, on in (("warehouse", manifest.warehouse), ("app database", manifest.app_database)) if on]


def backup(
    dest: Annotated[Path, typer.Argument(help="New (or empty) directory for the backup set.")],
    warehouse: Annotated[bool, typer.Option("--warehouse/--no-warehouse")] = True,
    app_database: Annotated[bool, typer.Option("--app-database/--no-app-database")] = True,
) -> None:
    """Back up the warehouse (DuckDB EXPORT DATABASE) and the app database (SQLite / pg_dump)."""
    from ingestion.backup.backup_set import backup as write_backup

    settings = get_settings()
    manifest = write_backup(
        dest,
        warehouse=settings.resolved_duckdb_path if warehouse else None,
        database_url=settings.resolved_database_url if app_database else None,
    )
    parts = [
        p for p, on in (("warehouse", manifest.warehouse), ("app database", manifest.app_database)) if on
    ]
    typer.echo(f"backed up {' and '.join(parts) or 'nothing'} to {dest}")


def restore(
    source: Annotated[Path, typer.Argument(help="A directory written by `mercurios backup`.")],
) -> None:
    """Restore the warehouse and app database from a backup set (the configured targets are replaced)."""
    from ingestion.backup.backup_set import restore as read_backup

    settings = get_settings()
    manifest = read_backup(
        source, warehouse=settings.resolved_duckdb_path, database_url=settings.resolved_database_url
    )
    parts = [
        p for p, on in (("warehouse", manifest.warehouse), ("app database", manifest.app_database)) if on
    ]
    typer.echo(f"restored {' and '.join(parts) or 'nothing'} from {source} (backup of {manifest.created_at})")
