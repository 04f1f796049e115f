"""The Lambda handler loads like `mercurios ingest prohandel` (one pipeline): the marts are rebuilt
and only the loaded tenant's data version changes, so its cached answers are recomputed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ingestion.demo.raw_tables import loaded_at
from ingestion.lake.catalog import LakeLocation
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.prohandel import lambda_handler
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from tests.demo import DEMO_TENANTS, TEST_END_DATE, TEST_SCALE, DemoWarehouse, versions_and_sales
from tests.ingestion.prohandel_credentials import write_credentials

TENANT = "casa-living"


def test_a_lambda_load_rebuilds_the_marts_and_bumps_only_that_tenants_data_version(
    demo_warehouse: DemoWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"  # same file name: dbt's views name the catalog by it
    shutil.copy(demo_warehouse.path, warehouse)
    versions_before, sales_before = versions_and_sales(warehouse)

    sim = demo_simulator(end_date=TEST_END_DATE, scale=TEST_SCALE, tenants=[TENANT])
    sim.now = loaded_at(TEST_END_DATE) - dt.timedelta(days=10)  # the source now ends ten days earlier
    with SimulatorServer(sim) as server:
        creds_file = write_credentials(tmp_path / "prohandel.json", server, [TENANT])
        for name, value in {
            "MERCURIOS_DUCKDB_PATH": warehouse,
            "MERCURIOS_DATA_DIR": tmp_path,
            "MERCURIOS_DBT_TARGET_PATH": tmp_path / "dbt-target",
            "MERCURIOS_PROHANDEL_CREDENTIALS_FILE": creds_file,
            "MERCURIOS_INGEST_PAGE_SIZE": 5000,
        }.items():
            monkeypatch.setenv(name, str(value))
        out = lambda_handler({"tenant_id": TENANT, "full_refresh": True})

    assert out["ok"] is True, out
    versions_after, sales_after = versions_and_sales(warehouse)
    assert sales_after[TENANT] < sales_before[TENANT]  # dbt rebuilt the marts from the new raw rows
    assert out["data_version"] == {"before": versions_before[TENANT], "after": versions_after[TENANT]}
    assert versions_after[TENANT] != versions_before[TENANT]
    for other in set(DEMO_TENANTS) - {TENANT}:
        assert versions_after[other] == versions_before[other], other
    assert IcebergLake(LakeLocation(str(tmp_path / "lake"))).tenants() == {TENANT}  # pages archived


def test_a_misconfigured_lambda_says_which_setting_and_loads_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MERCURIOS_PROHANDEL_CREDENTIALS_FILE", raising=False)
    monkeypatch.setenv("MERCURIOS_DATA_DIR", str(tmp_path))
    missing = lambda_handler({"tenant_id": TENANT})
    assert missing["ok"] is False and "MERCURIOS_PROHANDEL_CREDENTIALS_FILE" in missing["error"]

    monkeypatch.setenv("MERCURIOS_PROHANDEL_CREDENTIALS_FILE", str(tmp_path / "creds.json"))
    monkeypatch.setenv("MERCURIOS_INGEST_PAGE_SIZE", "0")
    bad = lambda_handler({"tenant_id": TENANT})
    assert bad["ok"] is False and "MERCURIOS_INGEST_PAGE_SIZE" in bad["error"]
    assert not (tmp_path / "warehouse.duckdb").exists()
