"""Acceptance 1: the demo through the real connector, with faults on, gives the direct build's marts."""

from __future__ import annotations

from pathlib import Path

import duckdb

from assistant.runtime.warehouse_build import mart_stats
from ingestion.prohandel.demo_via_api import land_demo_via_api
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator import FaultPlan
from ingestion.raw_schema import RAW_TABLES
from semantic_layer.dbt_runner import run_dbt
from tests.demo import DBT_PROJECT_DIR, TEST_END_DATE, TEST_SCALE, DemoWarehouse, open_read_only


def test_full_then_incremental_load_with_faults_builds_the_same_marts(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    path = tmp_path / "via_api.duckdb"
    with duckdb.connect(str(path)) as con:
        summary = land_demo_via_api(
            con,
            end_date=TEST_END_DATE,
            scale=TEST_SCALE,
            faults=FaultPlan.everything(retry_after_s=0),
            page_size=2000,
            policy=RetryPolicy(base_delay_s=0.005, max_delay_s=0.05),
        )
        # every kind of fault was injected and survived
        for fault in (
            "slow",
            "rate_limit",
            "server_error",
            "expire_token",
            "duplicate_rows",
            "shuffled",
            "renamed_field",
        ):
            assert summary.faults_injected.get(fault, 0) > 0, fault
        # the second phase was incremental: it fetched far fewer records than the first
        first, second = summary.prohandel[:3], summary.prohandel[3:]
        assert (
            sum(r.load("receipts").rows_received for r in second)
            < sum(r.load("receipts").rows_received for r in first) / 5
        )
        # the stale article prices of the first phase were updated by the second
        assert all(r.load("articles").rows_loaded > 0 for r in second)
        assert all(r.rows_rejected == 0 for r in summary.prohandel)
        # zero duplicates on natural keys in any raw table
        for spec in RAW_TABLES:
            keys = ", ".join(("tenant_id", *spec.key))
            dupes = con.execute(
                f"SELECT count(*) FROM (SELECT {keys} FROM raw.{spec.name} GROUP BY ALL HAVING count(*) > 1)"
            ).fetchone()
            assert dupes == (0,), spec.name
        statuses = con.execute("SELECT DISTINCT status FROM ingest.load_log").fetchall()
        assert statuses == [("success",)]
    run_dbt(DBT_PROJECT_DIR, ["build"], duckdb_path=path, target_path=tmp_path / "dbt-target")
    with duckdb.connect(str(path), read_only=True) as con:
        via_api = mart_stats(con)
    with open_read_only(demo_warehouse.path) as con:
        direct = mart_stats(con)
    assert via_api == direct
