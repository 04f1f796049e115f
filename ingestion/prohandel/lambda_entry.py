"""AWS Lambda entry point: one invocation loads one tenant (`ingestion.prohandel.lambda_handler`).

Event: {"tenant_id": "...", "full_refresh": false, "dbt": true, "lake": true}. The load is the CLI's
(`ingestion/pipeline.py`): sync, archive in the lake, dbt build, the tenant's data version bumped, source
freshness checked. Configuration is read once per invocation from the environment, with the same
`MERCURIOS_` names as the rest of Mercurios (`LambdaSettings`; ingestion does not import the
assistant's Settings). The event names a tenant but carries no secret: credentials come from the
file, bound to the tenant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from guardrails.errors import ConfigError, MercuriosError, UserError
from ingestion.lake.catalog import LakeLocation
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.pipeline import DbtProject, load_into_duckdb
from ingestion.prohandel.credentials_file import load_credentials

DEFAULT_DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt"


class LambdaSettings(BaseSettings):
    """What a load needs, under the names `Settings` gives them (and with its defaults)."""

    model_config = SettingsConfigDict(env_prefix="MERCURIOS_", extra="ignore")

    prohandel_credentials_file: Path
    data_dir: Path = Path("var")
    duckdb_path: Path | None = None
    ingest_page_size: int = Field(default=1000, ge=1, le=10_000)
    dbt_project_dir: Path = DEFAULT_DBT_PROJECT_DIR
    dbt_target: str = "duckdb"
    dbt_target_path: Path | None = None
    lake_root: str | None = None
    lake_catalog_uri: str | None = None

    @classmethod
    def from_environment(cls) -> LambdaSettings:
        try:
            return cls()  # type: ignore[call-arg]  # the required fields come from the environment
        except ValidationError as exc:
            problems = "; ".join(
                f"MERCURIOS_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(f"invalid configuration: {problems}") from exc


def lambda_handler(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    """Load one tenant; answer a JSON-serialisable summary (errors too, with their stable code)."""
    try:
        tenant_id = event.get("tenant_id") if isinstance(event, dict) else None
        if not isinstance(tenant_id, str) or not tenant_id:
            raise UserError("event needs a tenant_id")
        settings = LambdaSettings.from_environment()
        credentials = load_credentials(settings.prohandel_credentials_file, tenant_id)
        dbt = None
        if event.get("dbt", True):
            dbt = DbtProject(
                settings.dbt_project_dir,
                settings.dbt_target,
                settings.dbt_target_path,
                work_dir=Path(settings.dbt_target_path or settings.data_dir / "dbt-target").parent,
            )
        lake = None
        if event.get("lake", True):
            root = settings.lake_root or str(settings.data_dir / "lake")
            lake = IcebergLake(LakeLocation(root, settings.lake_catalog_uri))
        result = load_into_duckdb(
            credentials,
            settings.duckdb_path or settings.data_dir / "warehouse.duckdb",
            dbt=dbt,
            lake=lake,
            full_refresh=bool(event.get("full_refresh")),
            page_size=settings.ingest_page_size,
        )
    except MercuriosError as exc:
        return {"ok": False, "code": exc.code, "error": str(exc)}
    report = result.report
    return {
        "ok": True,
        "tenant_id": report.tenant_id,
        "load_id": report.load_id,
        "rows_loaded": report.rows_loaded,
        "rows_rejected": report.rows_rejected,
        "alerts": [*report.alerts, *(f.alert for f in result.fresh if f.alert)],
        "data_version": result.versions,
        "resources": {
            r.resource: {"rows": r.rows_loaded, "rejected": r.rows_rejected, "watermark": str(r.watermark)}
            for r in report.loads
        },
    }
