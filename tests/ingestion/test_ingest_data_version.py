"""`mercurios ingest prohandel` runs dbt and bumps the loaded tenant's data version, and only its."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ingestion.demo.raw_tables import loaded_at
from ingestion.lake.catalog import LakeLocation
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from tests.demo import DEMO_TENANTS, TEST_END_DATE, TEST_SCALE, DemoWarehouse, versions_and_sales
from tests.ingestion.prohandel_credentials import write_credentials

TENANT = "alpin-sport"


def test_a_second_ingest_with_changed_data_changes_only_that_tenants_data_version(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"  # same file name: dbt's views name the catalog by it
    shutil.copy(demo_warehouse.path, warehouse)
    versions_before, sales_before = versions_and_sales(warehouse)
    assert set(versions_before) == set(DEMO_TENANTS)

    sim = demo_simulator(end_date=TEST_END_DATE, scale=TEST_SCALE, tenants=[TENANT])
    # the source changed: the API now stands ten days earlier, so a full refresh drops the last days
    sim.now = loaded_at(TEST_END_DATE) - dt.timedelta(days=10)
    with SimulatorServer(sim) as server:
        creds_file = write_credentials(tmp_path / "prohandel.json", server, [TENANT])
        env = {
            **os.environ,
            "MERCURIOS_DUCKDB_PATH": str(warehouse),
            "MERCURIOS_DBT_TARGET_PATH": str(tmp_path / "dbt-target"),
            "MERCURIOS_LAKE_ROOT": str(tmp_path / "lake"),
            "MERCURIOS_PROHANDEL_CREDENTIALS_FILE": str(creds_file),
        }
        done = subprocess.run(
            [sys.executable, "-m", "assistant.channels.cli.main", "ingest", "prohandel", "--tenant", TENANT,
             "--full-refresh", "--page-size", "5000", "--json"],
            capture_output=True, text=True, env=env, timeout=300, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["data_version"] == {"before": versions_before[TENANT], "after": out["data_version"]["after"]}

    versions_after, sales_after = versions_and_sales(warehouse)
    assert sales_after[TENANT] < sales_before[TENANT]  # the marts were rebuilt from the new raw rows
    assert versions_after[TENANT] != versions_before[TENANT]
    assert out["data_version"]["after"] == versions_after[TENANT]
    for other in set(DEMO_TENANTS) - {TENANT}:
        assert versions_after[other] == versions_before[other], other
        assert sales_after[other] == sales_before[other]

    # dbt's source freshness, asked for the loaded tenant only: its sources just sent data
    assert {f["table"]: f["status"] for f in out["freshness"]} == {
        "prohandel_inventory": "pass",
        "prohandel_receipt_lines": "pass",
        "prohandel_receipts": "pass",
    }
    assert not any("freshness" in a for a in out["alerts"])
    # another tenant's sources have sent nothing since the demo build (weeks ago): stale, exit 1
    other = "nordwind-fashion"
    check = [sys.executable, "-m", "assistant.channels.cli.main", "ingest", "freshness", "--json", "--tenant"]
    stale = subprocess.run([*check, other], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert stale.returncode == 1, stale.stderr
    assert {f["status"] for f in json.loads(stale.stdout)["freshness"]} == {"error"}
    fresh = subprocess.run(
        [*check, TENANT], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert fresh.returncode == 0 and {f["status"] for f in json.loads(fresh.stdout)["freshness"]} == {"pass"}
    bad = subprocess.run(
        [*check, "x' OR '1'='1"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert bad.returncode == 2 and "malformed tenant id" in bad.stderr

    # the landed pages went to the lake too, all of them as the credentials' tenant
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    assert lake.tenants() == {TENANT}
