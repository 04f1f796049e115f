"""The lake catches up with the warehouse: after a kill -9 between a page's warehouse commit and the
lake's flush, and after loads made without the lake (including a full refresh's deletions)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from guardrails.errors import UserError
from ingestion.demo import TENANT_PROFILES
from ingestion.demo.raw_tables import loaded_at
from ingestion.fivetran.demo_landing import write_fivetran_demo
from ingestion.fivetran.loader import load_connector
from ingestion.fivetran.shapes import FIVETRAN_TABLES
from ingestion.lake.archiving_sink import ArchivingSink
from ingestion.lake.catalog import LakeLocation
from ingestion.lake.catch_up import catch_up
from ingestion.lake.iceberg_lake import KEY_PROPERTY, IcebergLake
from ingestion.lake.replay import replay
from ingestion.lake.retention import expire
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.connector import sync_tenant
from ingestion.prohandel.resources import CONNECTOR_TABLES
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator import FaultPlan
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from ingestion.raw_schema import RAW_TABLES
from tests.demo import TEST_END_DATE
from tests.ingestion.generated_demo import GeneratedDemo
from tests.ingestion.prohandel_credentials import write_credentials

A, B = "alpin-sport", "casa-living"
FAST = RetryPolicy(base_delay_s=0.005, max_delay_s=0.05)
TABLES = [
    t.name for t in (*RAW_TABLES, *CONNECTOR_TABLES) if t.name.startswith("prohandel_") or t.name == "tenants"
]


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    sim = demo_simulator(end_date=TEST_END_DATE, scale=0.02, tenants=[A, B])
    with SimulatorServer(sim) as srv:
        yield srv


def content(con: duckdb.DuckDBPyConnection, tenant: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every ProHandel raw table's rows of the tenant, load times included."""
    return {
        t: con.execute(f"SELECT * FROM raw.{t} WHERE tenant_id = ? ORDER BY ALL", [tenant]).fetchall()
        for t in TABLES
    }


def replayed(lake_root: Path, tenant: str | None = None) -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    """The lake replayed into a fresh warehouse, per tenant."""
    with duckdb.connect() as fresh:
        replay(IcebergLake(LakeLocation(str(lake_root))), fresh, tenant_id=tenant)
        return {t: content(fresh, t) for t in (A, B)}


def lake_duplicates(lake: IcebergLake) -> dict[str, int]:
    """Per lake table, versions archived more than once (same tenant, key, load time, kind)."""
    found = {}
    for table in lake.tables():
        data = lake.read(table)
        if data is None:
            continue
        raw = table.name()[-1]
        key = [c for c in table.properties[KEY_PROPERTY].split(",") if c]
        cols = ", ".join(["tenant_id", *key, "_loaded_at", "_deleted"])
        with duckdb.connect() as con:
            con.register("lake", data)
            row = con.execute(
                f"SELECT count(*) FROM (SELECT {cols} FROM lake GROUP BY ALL HAVING count(*) > 1)"
            ).fetchone()
        found[raw] = int(row[0]) if row else 0
    return found


def ingest_cli(
    tmp_path: Path, server: SimulatorServer, warehouse: Path, tenant: str
) -> subprocess.Popen[bytes]:
    creds = tmp_path / "prohandel.json"
    if not creds.exists():
        write_credentials(creds, server, (A, B))
    mercurios = Path(sys.executable).with_name("mercurios")
    return subprocess.Popen(
        [
            str(mercurios),
            *("ingest", "prohandel", "--tenant", tenant, "--warehouse", str(warehouse)),
            *("--credentials", str(creds), "--page-size", "500", "--no-dbt"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={
            **os.environ,
            "MERCURIOS_DEBUG": "1",
            "MERCURIOS_LAKE_ROOT": str(tmp_path / "lake"),
            "MERCURIOS_DATA_DIR": str(tmp_path / "data"),
        },
    )


def test_after_a_kill_between_the_warehouse_commit_and_the_lake_flush_the_next_run_repairs_the_lake(
    server: SimulatorServer, tmp_path: Path
) -> None:
    sim = server.sim
    sim.reset_faults()
    warehouse = tmp_path / "warehouse.duckdb"
    # another tenant's rows sit in the same warehouse, loaded without the lake
    with (
        duckdb.connect(str(warehouse)) as con,
        ProHandelClient(server.credentials(B), policy=FAST) as client,
    ):
        sync_tenant(client, DuckDbSink(con), page_size=2000)

    # the 30th page request hangs: the process has landed 29 pages, the last ones inventory pages
    # that only the warehouse holds (inventory is the last resource; the lake flushes at its end)
    sim.reset_faults(FaultPlan(stall_after_pages=sim.stats.pages_served + 29, stall_s=120))
    stalls = sim.stats.injected.get("stall", 0)
    proc = ingest_cli(tmp_path, server, warehouse, A)
    try:
        deadline = time.monotonic() + 120
        while sim.stats.injected.get("stall", 0) == stalls:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the ingest process never reached the stalled page"
            time.sleep(0.05)
        time.sleep(1.0)  # the served pages land (each in milliseconds); the next one never comes
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    sim.reset_faults()

    with duckdb.connect(str(warehouse)) as con:
        killed = content(con, A)
        inventory_watermark = con.execute(
            "SELECT watermark FROM ingest.watermarks WHERE tenant_id = ? AND resource = 'inventory'", [A]
        ).fetchone()
    assert inventory_watermark is not None, "the killed run advanced the inventory watermark"
    lake_before = replayed(tmp_path / "lake")
    # the crash lost the lake copy of the inventory pages the warehouse committed ...
    assert 0 <= len(lake_before[A]["prohandel_inventory"]) < len(killed["prohandel_inventory"])
    # ... but not the resources that had finished
    assert lake_before[A]["prohandel_receipts"] == killed["prohandel_receipts"]
    assert lake_before[B] == {t: [] for t in TABLES}

    # the re-run, with faults on: the inventory resumes from its watermark, the lake catches up
    sim.reset_faults(FaultPlan.everything(retry_after_s=0))
    rerun = ingest_cli(tmp_path, server, warehouse, A)
    _out, err = rerun.communicate(timeout=300)
    sim.reset_faults()
    assert rerun.returncode == 0, err.decode()[-2000:]
    assert b"the lake was behind the warehouse" in err

    with duckdb.connect(str(warehouse)) as con:
        final = content(con, A)
        b_rows = content(con, B)
        sums = con.execute(
            "SELECT count(*), sum(on_hand) FROM raw.prohandel_inventory WHERE tenant_id = ?", [A]
        ).fetchone()
    lake_after = replayed(tmp_path / "lake")
    assert lake_after[A] == final  # every table, every row, with its load time
    assert len(final["prohandel_inventory"]) > len(killed["prohandel_inventory"]) > 0
    with duckdb.connect() as fresh:
        replay(IcebergLake(LakeLocation(str(tmp_path / "lake"))), fresh)
        assert (
            fresh.execute(
                "SELECT count(*), sum(on_hand) FROM raw.prohandel_inventory WHERE tenant_id = ?", [A]
            ).fetchone()
            == sums
        )
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    assert set(lake_duplicates(lake).values()) == {0}
    inventory = lake.read(lake.catalog.load_table(("prohandel", "prohandel_inventory")))
    assert inventory is not None
    load_ids = inventory["load_id"].to_pylist()
    repaired = sum(1 for i in load_ids if i.startswith("catch-up:"))
    assert repaired == len(killed["prohandel_inventory"]) - len(lake_before[A]["prohandel_inventory"])
    # the other tenant's rows were neither archived nor relabelled: the lake holds A alone
    assert lake.tenants() == {A}
    assert lake_after[B] == {t: [] for t in TABLES} and b_rows["prohandel_inventory"]


def test_loads_made_without_the_lake_are_archived_with_their_deletions_by_the_next_lake_load(
    server: SimulatorServer, tmp_path: Path
) -> None:
    sim = server.sim
    sim.reset_faults()
    end = loaded_at(TEST_END_DATE)
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    con = duckdb.connect()
    warehouse = DuckDbSink(con)
    sim.now = end
    try:
        for tenant in (A, B):
            sink = ArchivingSink(warehouse, lake)
            with ProHandelClient(server.credentials(tenant), policy=FAST) as client:
                sync_tenant(client, sink, page_size=5000)
            assert sink.caught_up == []  # the lake was current: nothing to repair
        # A full refresh without the lake: the source now stands ten days earlier, so the sweep
        # drops A's last receipts from the warehouse, and the lake is not told
        sim.now = end - dt.timedelta(days=10)
        with ProHandelClient(server.credentials(A), policy=FAST) as client:
            sync_tenant(client, warehouse, page_size=5000, full_refresh=True)
        b_before = replayed(tmp_path / "lake")[B]
        swept = content(con, A)["prohandel_receipts"]
        stale = replayed(tmp_path / "lake")[A]
        assert len(stale["prohandel_receipts"]) > len(swept)  # the lake still has the dropped ones

        # the next load with the lake repairs it, resource by resource, as tenant A only
        sink = ArchivingSink(warehouse, lake)
        with ProHandelClient(server.credentials(A), policy=FAST) as client:
            sync_tenant(client, sink, page_size=5000)
        by_table = {c.table: c for c in sink.caught_up}
        assert by_table["prohandel_receipts"].tombstones == len(stale["prohandel_receipts"]) - len(swept)
        assert by_table["prohandel_receipt_lines"].tombstones > 0  # by receipt (replace-by key)
        assert by_table["prohandel_inventory"].rows > 0
        after = replayed(tmp_path / "lake")
        assert after[A] == content(con, A)
        assert after[B] == b_before == content(con, B)  # B's rows got no tombstone, no copy
        assert set(lake_duplicates(lake).values()) == {0}
        receipts = lake.read(lake.catalog.load_table(("prohandel", "prohandel_receipts")))
        assert receipts is not None
        tombstoned = receipts.filter(receipts["_deleted"])["tenant_id"].unique().to_pylist()
        assert tombstoned == [A]

        # a further load finds the lake current again
        again = ArchivingSink(warehouse, lake)
        with ProHandelClient(server.credentials(A), policy=FAST) as client:
            sync_tenant(client, again, page_size=5000)
        assert again.caught_up == []
    finally:
        sim.now = end
        con.close()


def test_a_catch_up_refuses_a_malformed_tenant_before_reading_anything(tmp_path: Path) -> None:
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    with duckdb.connect() as con, pytest.raises(UserError, match="not a tenant id"):
        catch_up(
            lake,
            DuckDbSink(con),
            tenant_id="alpin-sport' OR '1'='1",
            source="prohandel",
            resource="inventory",
            load_id="x",
        )


def test_a_fivetran_load_archives_what_an_earlier_load_committed_but_never_archived(
    small_demo: GeneratedDemo, tmp_path: Path
) -> None:
    fivetran = [t.raw_table for t in FIVETRAN_TABLES]
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    con = duckdb.connect()
    sink = DuckDbSink(con)
    connectors = write_fivetran_demo(con, small_demo.con, A, TENANT_PROFILES[A].code)
    for connector in connectors:
        load_connector(sink, connector)  # committed, never archived (a --no-lake run, or a kill)
    # the next load has nothing new from Fivetran, yet archives everything the warehouse holds
    for connector in connectors:
        load_connector(sink, connector, lake=lake)
    assert lake.tenants() == {A}
    with duckdb.connect() as fresh:
        replay(lake, fresh)
        for table in fivetran:
            sql = f"SELECT * FROM raw.{table} ORDER BY ALL"
            assert fresh.execute(sql).fetchall() == con.execute(sql).fetchall(), table
            assert fresh.execute(sql).fetchall(), table
    commits = lake.commits
    for connector in connectors:
        load_connector(sink, connector, lake=lake)
    assert lake.commits == commits  # current: nothing archived twice
    assert set(lake_duplicates(lake).values()) == {0}
    con.close()


def test_rows_retention_expired_from_the_lake_are_not_archived_again(
    server: SimulatorServer, tmp_path: Path
) -> None:
    server.sim.reset_faults()
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    con = duckdb.connect()
    warehouse = DuckDbSink(con)
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        first = sync_tenant(client, ArchivingSink(warehouse, lake), page_size=5000)
    # a retention of one day, a year from now: every page of A leaves the lake
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=365)
    report = expire(lake, tenants={A: 1}, now=later, snapshot_window=dt.timedelta(days=7))
    assert report.rows_deleted[A] > 10_000
    assert lake.tenants() == set()
    # the warehouse still has it all, yet the next load only archives what it fetches itself
    sink = ArchivingSink(warehouse, lake)
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        again = sync_tenant(client, sink, page_size=5000)
    assert sink.caught_up == []
    inventory = lake.read(lake.catalog.load_table(("prohandel", "prohandel_inventory")))
    assert inventory is not None
    # the records at the watermark, fetched again; not the 10k+ the warehouse holds
    assert (
        inventory.num_rows == again.load("inventory").rows_loaded < first.load("inventory").rows_loaded / 10
    )
    con.close()
