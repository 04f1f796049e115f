"""AWS Lambda entry point: one invocation syncs one tenant (`ingestion.prohandel.lambda_handler`).

Event: {"tenant_id": "...", "full_refresh": false}. Configuration comes from the environment with
the same `MERCURIOS_` names as the rest of Mercurios (ingestion does not import the assistant's
Settings): MERCURIOS_PROHANDEL_CREDENTIALS_FILE, MERCURIOS_DUCKDB_PATH, MERCURIOS_INGEST_PAGE_SIZE.
The event names a tenant but carries no secret: credentials come from the file, bound to the tenant.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb

from guardrails.errors import ConfigError, MercuriosError, UserError
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.connector import sync_tenant
from ingestion.prohandel.credentials_file import load_credentials


def lambda_handler(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    """Sync one tenant; answer a JSON-serialisable summary (errors too, with their stable code)."""
    try:
        tenant_id = event.get("tenant_id") if isinstance(event, dict) else None
        if not isinstance(tenant_id, str) or not tenant_id:
            raise UserError("event needs a tenant_id")
        creds_path = os.environ.get("MERCURIOS_PROHANDEL_CREDENTIALS_FILE")
        if not creds_path:
            raise ConfigError("MERCURIOS_PROHANDEL_CREDENTIALS_FILE is not set")
        db_path = os.environ.get("MERCURIOS_DUCKDB_PATH") or str(
            Path(os.environ.get("MERCURIOS_DATA_DIR", "var")) / "warehouse.duckdb"
        )
        page_size = int(os.environ.get("MERCURIOS_INGEST_PAGE_SIZE", "1000"))
        credentials = load_credentials(Path(creds_path), tenant_id)
        with duckdb.connect(db_path) as con, ProHandelClient(credentials) as client:
            report = sync_tenant(
                client, DuckDbSink(con), full_refresh=bool(event.get("full_refresh")), page_size=page_size
            )
    except MercuriosError as exc:
        return {"ok": False, "code": exc.code, "error": str(exc)}
    return {
        "ok": True,
        "tenant_id": report.tenant_id,
        "load_id": report.load_id,
        "rows_loaded": report.rows_loaded,
        "rows_rejected": report.rows_rejected,
        "alerts": report.alerts,
        "resources": {
            r.resource: {"rows": r.rows_loaded, "rejected": r.rows_rejected, "watermark": str(r.watermark)}
            for r in report.loads
        },
    }
