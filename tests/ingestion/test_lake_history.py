"""The lake's history is complete: GA4/Klaviyo loads and deletions are in it, commits are batched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingestion.demo import TENANT_PROFILES
from ingestion.demo.raw_tables import loaded_at
from ingestion.fivetran.demo_landing import demo_connectors, write_fivetran_demo
from ingestion.fivetran.loader import load_connector
from ingestion.fivetran.shapes import FIVETRAN_TABLES
from ingestion.lake.archiving_sink import ArchivingSink
from ingestion.lake.catalog import LakeLocation
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.lake.replay import replay
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.connector import sync_tenant
from ingestion.prohandel.errors import ProHandelUnavailableError
from ingestion.prohandel.resources import CONNECTOR_TABLES, RESOURCES
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator import FaultPlan
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from ingestion.raw_schema import RAW_TABLES
from tests.demo import TEST_END_DATE
from tests.ingestion.generated_demo import GeneratedDemo

A, B = "alpin-sport", "casa-living"
FAST = RetryPolicy(base_delay_s=0.005, max_delay_s=0.05)
PROHANDEL = [t.name for t in (*RAW_TABLES, *CONNECTOR_TABLES) if t.name.startswith("prohandel_")]
FIVETRAN = [t.raw_table for t in FIVETRAN_TABLES]


def rows(con: duckdb.DuckDBPyConnection, tables: list[str], tenant: str | None = None) -> dict[str, Any]:
    where = "" if tenant is None else f" WHERE tenant_id = '{tenant}'"
    return {t: con.execute(f"SELECT * FROM raw.{t}{where} ORDER BY ALL").fetchall() for t in tables}


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def test_fivetran_loads_and_their_deletes_go_through_the_lake(
    small_demo: GeneratedDemo, tmp_path: Path
) -> None:
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    con = duckdb.connect()
    sink = DuckDbSink(con)
    for tenant in (A, B):
        for connector in write_fivetran_demo(con, small_demo.con, tenant, TENANT_PROFILES[tenant].code):
            load_connector(sink, connector, lake=lake)
    assert all(rows(con, FIVETRAN)[t] for t in FIVETRAN)
    # read back with pyiceberg: every landed row is in the lake, as its connector's tenant
    for spec in FIVETRAN_TABLES:
        data = lake.read(lake.catalog.load_table((spec.source, spec.raw_table)))
        assert data is not None
        by_tenant = dict(
            con.execute(f"SELECT tenant_id, count(*) FROM raw.{spec.raw_table} GROUP BY 1").fetchall()
        )
        counted = data.group_by("tenant_id").aggregate([("tenant_id", "count")]).to_pylist()
        assert {r["tenant_id"]: r["tenant_id_count"] for r in counted} == by_tenant
    with duckdb.connect() as fresh:
        replay(lake, fresh)
        assert rows(fresh, FIVETRAN) == rows(con, FIVETRAN)
    before_delete = now_utc()

    # Fivetran marks one of A's campaigns deleted in a later sync
    schema = f"fivetran_klaviyo_{TENANT_PROFILES[A].code}"
    victim = con.execute(f"SELECT min(id) FROM {schema}.campaign").fetchone()
    assert victim is not None
    con.execute(
        f"UPDATE {schema}.campaign SET _fivetran_deleted = true, "
        "_fivetran_synced = _fivetran_synced + INTERVAL 1 DAY WHERE id = ?",
        [victim[0]],
    )
    for connector in demo_connectors(A, TENANT_PROFILES[A].code):
        if connector.source == "klaviyo":
            load_connector(sink, connector, lake=lake)
    gone = "SELECT count(*) FROM raw.klaviyo_campaign WHERE tenant_id = ? AND id = ?"
    assert con.execute(gone, [A, victim[0]]).fetchone() == (0,)
    with duckdb.connect() as fresh:
        replay(lake, fresh)
        assert fresh.execute(gone, [A, victim[0]]).fetchone() == (0,)
        assert rows(fresh, FIVETRAN) == rows(con, FIVETRAN)
    with duckdb.connect() as fresh:  # the past is still there: before the delete, the campaign was
        replay(lake, fresh, as_of=before_delete)
        assert fresh.execute(gone, [A, victim[0]]).fetchone() == (1,)
    with duckdb.connect() as fresh:  # one tenant's replay never brings another's rows
        replay(lake, fresh, tenant_id=B)
        assert rows(fresh, FIVETRAN) == rows(con, FIVETRAN, B)
    con.close()


@pytest.fixture(scope="module")
def server() -> Any:
    sim = demo_simulator(end_date=TEST_END_DATE, scale=0.01, tenants=[A, B])
    with SimulatorServer(sim) as srv:
        yield srv


def test_a_full_refresh_that_drops_records_replays_to_the_post_refresh_state(
    server: SimulatorServer, tmp_path: Path
) -> None:
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    con = duckdb.connect()
    sink = ArchivingSink(DuckDbSink(con), lake)
    end = loaded_at(TEST_END_DATE)
    server.sim.reset_faults()
    server.sim.now = end
    for tenant in (A, B):
        with ProHandelClient(server.credentials(tenant), policy=FAST) as client:
            sync_tenant(client, sink, page_size=5000)
    before_refresh = rows(con, PROHANDEL)
    refresh_started = now_utc()
    # the source changed: A's API now stands ten days earlier, a full refresh drops the last days
    server.sim.now = end - dt.timedelta(days=10)
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        sync_tenant(client, sink, full_refresh=True, page_size=5000)
    server.sim.now = end
    after = rows(con, PROHANDEL)
    receipts = "SELECT count(*) FROM raw.prohandel_receipts WHERE tenant_id = ?"
    assert len(after["prohandel_receipts"]) < len(before_refresh["prohandel_receipts"])
    with duckdb.connect() as fresh:
        replay(lake, fresh)
        assert rows(fresh, PROHANDEL) == after  # the deleted receipts (and their lines) stay deleted
        assert fresh.execute(receipts, [A]).fetchone() == con.execute(receipts, [A]).fetchone()
    with duckdb.connect() as fresh:
        replay(lake, fresh, as_of=refresh_started)
        assert rows(fresh, PROHANDEL) == before_refresh
    # B was not refreshed: none of its rows got a tombstone
    table = lake.catalog.load_table(("prohandel", "prohandel_receipts"))
    data = lake.read(table)
    assert data is not None
    tombstones = (
        data.filter(data["_deleted"]).group_by("tenant_id").aggregate([]).column("tenant_id").to_pylist()
    )
    assert tombstones == [A]
    con.close()


def test_archive_commits_are_batched_and_a_failed_load_still_archives_what_landed(
    server: SimulatorServer, tmp_path: Path
) -> None:
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    con = duckdb.connect()
    sink = ArchivingSink(DuckDbSink(con), lake, flush_rows=8_000)
    server.sim.reset_faults()
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        report = sync_tenant(client, sink, page_size=500)
    pages = sum(r.pages for r in report.loads)
    inventory_rows = report.load("inventory").rows_loaded
    # one commit per touched table per resource, plus one per 8,000 rows staged
    assert lake.commits <= len(RESOURCES) + 1 + inventory_rows // 8_000 + 1
    assert pages > 3 * lake.commits
    with duckdb.connect() as fresh:
        replay(lake, fresh)
        assert rows(fresh, PROHANDEL) == rows(con, PROHANDEL, A)

    # a load that dies mid-way (the API keeps failing) still archives the pages that landed
    lake2 = IcebergLake(LakeLocation(str(tmp_path / "lake2")))
    con2 = duckdb.connect()
    sink2 = ArchivingSink(DuckDbSink(con2), lake2)
    server.sim.reset_faults(FaultPlan(server_error_every=40))
    with (
        ProHandelClient(server.credentials(A), policy=RetryPolicy(max_attempts=1)) as client,
        pytest.raises(ProHandelUnavailableError),
    ):
        sync_tenant(client, sink2, page_size=500)
    server.sim.reset_faults()
    landed = rows(con2, PROHANDEL)
    assert 0 < sum(map(len, landed.values())) < sum(map(len, rows(con, PROHANDEL).values()))
    with duckdb.connect() as fresh:
        replay(lake2, fresh)
        assert rows(fresh, PROHANDEL) == landed
    con.close()
    con2.close()
