"""`mercurios ingest prohandel`: sync one tenant's ProHandel data into the warehouse's raw tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from assistant.settings import get_settings

app = typer.Typer(no_args_is_help=True, help="Load source data into the warehouse's raw tables.")


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
        Path | None, typer.Option("--warehouse", help="DuckDB file. Default: MERCURIOS_DUCKDB_PATH.")
    ] = None,
    page_size: Annotated[int, typer.Option("--page-size", min=1, max=10_000)] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the load summary as JSON.")] = False,
) -> None:
    """Incremental by default: only records changed since the last durably loaded page."""
    import duckdb

    from guardrails.errors import ConfigError
    from ingestion.landing.duckdb_sink import DuckDbSink
    from ingestion.prohandel.client import ProHandelClient
    from ingestion.prohandel.connector import sync_tenant
    from ingestion.prohandel.credentials_file import load_credentials

    if credentials is None:
        raise ConfigError(
            "no ProHandel credentials: pass --credentials or set MERCURIOS_PROHANDEL_CREDENTIALS_FILE"
        )
    creds = load_credentials(credentials, tenant)
    path = warehouse or get_settings().resolved_duckdb_path
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con, ProHandelClient(creds) as client:
        report = sync_tenant(client, DuckDbSink(con), full_refresh=full_refresh, page_size=page_size)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "tenant": report.tenant_id,
                    "load_id": report.load_id,
                    "rows_loaded": report.rows_loaded,
                    "rows_rejected": report.rows_rejected,
                    "alerts": report.alerts,
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
        )
        return
    typer.echo(f"ProHandel load {report.load_id} for {report.tenant_id} into {path}")
    typer.echo("  resource     pages  received    loaded  rejected  dupes  watermark")
    for r in report.loads:
        typer.echo(
            f"  {r.resource:<11} {r.pages:>6} {r.rows_received:>9,} {r.rows_loaded:>9,} "
            f"{r.rows_rejected:>9,} "
            f"{r.duplicates:>6}  {r.watermark or '-'}"
        )
    for alert in report.alerts:
        typer.echo(f"  ALERT {alert}")
