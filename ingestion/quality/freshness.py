"""Source freshness after a load: `dbt source freshness` on one tenant's raw tables.

The thresholds live with the sources (dbt/models/staging/_sources.yml: `loaded_at_field:
_loaded_at`, a warn and an error age per table, filtered to the tenant given as the dbt var
`freshness_tenant`), so dbt, the CLI and a scheduler read the same rules. A table whose newest row
for the tenant is older than its threshold is reported `warn` or `error`; that is an alert about
the source (the ERP stopped sending receipts), not a failed load — the rows that came still land.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from guardrails.errors import UserError

log = logging.getLogger("mercurios.ingest")
_TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class TableFreshness:
    table: str  # raw table name, e.g. prohandel_receipts
    status: str  # pass | warn | error | runtime error
    max_loaded_at: str | None
    age_s: float | None

    @property
    def alert(self) -> str | None:
        if self.status == "pass":
            return None
        age = (
            f"newest row {self.age_s / 3600:.1f} h old"
            if self.age_s is not None
            else "no rows for this tenant"
        )
        return f"source freshness {self.status}: raw.{self.table} ({age})"


def freshness_args(tenant_id: str, select: str = "source:raw") -> list[str]:
    """The dbt arguments of one tenant's freshness check (the tenant id is checked: it lands in
    the freshness filter's SQL). dbt writes the results to <target path>/sources.json."""
    if not _TENANT_ID.fullmatch(tenant_id):
        raise UserError(f"malformed tenant id {tenant_id!r}", code="invalid_tenant_id")
    return ["source", "freshness", "--select", select, "--vars", json.dumps({"freshness_tenant": tenant_id})]


def read_freshness(sources_json: Path) -> list[TableFreshness]:
    """The per-table results dbt wrote (only tables with a freshness rule appear)."""
    try:
        payload = json.loads(sources_json.read_text())
    except (OSError, ValueError) as exc:
        raise UserError(f"dbt wrote no readable freshness results at {sources_json}: {exc}") from exc
    out = []
    for r in payload.get("results", []):
        table = str(r.get("unique_id", "")).rsplit(".", 1)[-1]
        age = r.get("max_loaded_at_time_ago_in_s")
        if str(r.get("max_loaded_at", "")).startswith("0001-"):  # no row of this tenant at all
            r = {**r, "max_loaded_at": None}
            age = None
        out.append(
            TableFreshness(
                table=table,
                status=str(r.get("status", "runtime error")),
                max_loaded_at=r.get("max_loaded_at"),
                age_s=float(age) if isinstance(age, int | float) else None,
            )
        )
    for f in out:
        if f.alert:
            log.warning("data quality alert: %s", f.alert)
    return sorted(out, key=lambda f: f.table)


def check_freshness(
    tenant_id: str, *, project_dir: Path, target: str, duckdb_path: Path | None, work_dir: Path
) -> list[TableFreshness]:
    """Runs dbt's freshness check for one tenant (its own target path under `work_dir`)."""
    from semantic_layer.dbt_runner import run_dbt

    target_path = work_dir / "dbt-freshness"
    run_dbt(
        project_dir,
        freshness_args(tenant_id),
        duckdb_path=duckdb_path,
        target=target,
        target_path=target_path,
        ok_exit_codes=(0, 1),  # 1: a source is stale — reported, not a failure of the check
    )
    return read_freshness(target_path / "sources.json")
