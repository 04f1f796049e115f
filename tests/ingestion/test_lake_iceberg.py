"""Acceptance 4: every landed page is in the Iceberg lake; read it back and replay a past snapshot."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingestion.demo.raw_tables import loaded_at
from ingestion.lake.archiving_sink import ArchivingSink
from ingestion.lake.catalog import LakeLocation
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.lake.replay import replay
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.connector import sync_tenant
from ingestion.prohandel.resources import CONNECTOR_TABLES
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from tests.demo import TEST_END_DATE

TENANTS = ("alpin-sport", "casa-living")
FAST = RetryPolicy(base_delay_s=0.005, max_delay_s=0.05)
TABLES = [t.name for t in CONNECTOR_TABLES]


def raw_rows(con: duckdb.DuckDBPyConnection, tenant: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    where = "" if tenant is None else f" WHERE tenant_id = '{tenant}'"
    return {t: con.execute(f"SELECT * FROM raw.{t}{where} ORDER BY ALL").fetchall() for t in TABLES}


@dataclass
class LoadedLake:
    lake: IcebergLake
    root: Path
    warehouse: duckdb.DuckDBPyConnection
    after_first: dict[str, list[tuple[Any, ...]]]
    first_done_at: dt.datetime


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadedLake]:
    """Two tenants, two loads each (a first load ten days before the end, then an incremental one)."""
    root = tmp_path_factory.mktemp("lake")
    sim = demo_simulator(end_date=TEST_END_DATE, scale=0.01, tenants=list(TENANTS))
    lake = IcebergLake(LakeLocation(str(root)))
    con = duckdb.connect()
    sink = ArchivingSink(DuckDbSink(con), lake)
    end = loaded_at(TEST_END_DATE)
    with SimulatorServer(sim) as server:
        sim.now = end - dt.timedelta(days=10)
        for tenant in TENANTS:
            with ProHandelClient(server.credentials(tenant), policy=FAST) as client:
                sync_tenant(client, sink, page_size=5000)
        after_first = raw_rows(con)
        time.sleep(0.05)
        first_done_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        time.sleep(0.05)
        sim.now = end
        for tenant in TENANTS:
            with ProHandelClient(server.credentials(tenant), policy=FAST) as client:
                sync_tenant(client, sink, page_size=5000)
    yield LoadedLake(lake, root, con, after_first, first_done_at)
    con.close()


def test_lake_reads_back_with_pyiceberg_and_duckdb(loaded: LoadedLake) -> None:
    table = loaded.lake.catalog.load_table(("prohandel", "prohandel_receipts"))
    via_iceberg = loaded.lake.read(table)
    assert via_iceberg is not None
    files = [task.file.file_path.removeprefix("file://") for task in table.scan().plan_files()]
    # the Parquet files are partitioned tenant / resource / date under the lake root
    assert files and all(str(loaded.root) in f for f in files)
    assert {Path(f).parent.parent.parent.name for f in files} == {f"tenant_id={t}" for t in TENANTS}
    assert all("/resource=receipts/load_date=" in f for f in files)
    with duckdb.connect() as con:
        by_duckdb = con.execute(
            "SELECT tenant_id, count(*), count(DISTINCT receipt_id) FROM read_parquet(?) "
            "GROUP BY 1 ORDER BY 1",
            [files],
        ).fetchall()
    by_iceberg = (
        via_iceberg.group_by("tenant_id")
        .aggregate([("receipt_id", "count")])
        .sort_by("tenant_id")
        .to_pylist()
    )
    assert [(r[0], r[1]) for r in by_duckdb] == [(r["tenant_id"], r["receipt_id_count"]) for r in by_iceberg]
    # every receipt in the warehouse is in the lake (the lake may hold older versions too)
    landed = loaded.warehouse.execute("SELECT count(*) FROM raw.prohandel_receipts").fetchone()
    assert landed is not None and sum(r[2] for r in by_duckdb) == landed[0]


def test_replay_of_the_latest_snapshot_reproduces_the_raw_tables(loaded: LoadedLake) -> None:
    with duckdb.connect() as fresh:
        replay(loaded.lake, fresh)
        assert raw_rows(fresh) == raw_rows(loaded.warehouse)


def test_replay_of_a_past_snapshot_reproduces_the_raw_tables_of_then(loaded: LoadedLake) -> None:
    with duckdb.connect() as fresh:
        replay(loaded.lake, fresh, as_of=loaded.first_done_at)
        then = raw_rows(fresh)
    assert then == loaded.after_first
    assert then != raw_rows(loaded.warehouse)  # the second load did change things


def test_replay_of_one_tenant_never_brings_another_tenants_rows(loaded: LoadedLake) -> None:
    tenant, other = TENANTS
    with duckdb.connect() as fresh:
        replay(loaded.lake, fresh, tenant_id=tenant)
        assert raw_rows(fresh) == raw_rows(loaded.warehouse, tenant)
        for t in TABLES:
            assert fresh.execute(
                f"SELECT count(*) FROM raw.{t} WHERE tenant_id <> ?", [tenant]
            ).fetchone() == (0,)
        assert any(raw_rows(loaded.warehouse, other).values())
