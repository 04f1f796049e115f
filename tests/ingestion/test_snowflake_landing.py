"""Snowflake landing (MERCURIOS_WAREHOUSE=snowflake) through fakesnow, against the simulator.

fakesnow emulates Snowflake's SQL on DuckDB, including PUT to an internal stage and COPY INTO
from staged Parquet, so the sink's real statements run. What it cannot show: MERGE inside an
explicit transaction (hence the sink's DELETE+INSERT upsert, see its module docstring), row
access policies, and real concurrency between sessions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingestion.demo.raw_tables import loaded_at
from ingestion.lake.catalog import LakeLocation
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.landing.batch import LandingBatch, TableRows
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.landing.protocols import RawSink
from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.connector import SyncReport, sync_tenant
from ingestion.prohandel.resources import CONNECTOR_TABLES
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator import FaultPlan
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from ingestion.raw_schema import RAW_TABLES
from tests.demo import DEMO_TENANTS, TEST_END_DATE

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")

fakesnow = pytest.importorskip("fakesnow", reason="fakesnow (dev dependency) is not installed")
snowflake_connector = pytest.importorskip("snowflake.connector", reason="snowflake-connector-python missing")

from ingestion.landing.snowflake_sink import SnowflakeSink  # noqa: E402

FAST = RetryPolicy(base_delay_s=0.005, max_delay_s=0.05)
PROHANDEL_TABLES = [
    *(t for t in RAW_TABLES if t.name.startswith("prohandel_") or t.name == "tenants"),
    *CONNECTOR_TABLES,
]
A, B = "alpin-sport", "casa-living"


def _snowflake(database: str) -> Any:
    """A connection to its own database of the emulator, so the tests do not see each other's rows."""
    return snowflake_connector.connect(
        account="acct", user="loader", password="pw", database=database, schema="RAW"
    )


def _rows(fetch: Any, table: str, tenant: str | None = None) -> Counter[tuple[Any, ...]]:
    spec = next(t for t in PROHANDEL_TABLES if t.name == table)
    cols = ", ".join(c for c in spec.column_names if c != "_loaded_at")
    where = "" if tenant is None else f" WHERE tenant_id = '{tenant}'"
    return Counter(tuple(r) for r in fetch(f"SELECT {cols} FROM raw.{table}{where}"))


def _sf_fetch(con: Any) -> Any:
    def fetch(sql: str) -> list[tuple[Any, ...]]:
        cur = con.cursor()
        try:
            return [tuple(r) for r in cur.execute(sql).fetchall()]
        finally:
            cur.close()

    return fetch


def _load_both_phases(server: SimulatorServer, sink: RawSink) -> list[SyncReport]:
    sim = server.sim
    end = loaded_at(TEST_END_DATE)
    reports = []
    for now in (end - dt.timedelta(days=10), end):
        sim.now = now
        for tenant in DEMO_TENANTS:
            with ProHandelClient(server.credentials(tenant), policy=FAST) as client:
                reports.append(sync_tenant(client, sink, page_size=1500))
    return reports


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    """fakesnow patched for the whole module (one emulator; each test picks its own database)."""
    sim = demo_simulator(end_date=TEST_END_DATE, scale=0.01, tenants=list(DEMO_TENANTS))
    with fakesnow.patch(), SimulatorServer(sim) as srv:
        yield srv


@pytest.fixture(scope="module")
def landed(server: SimulatorServer) -> Iterator[dict[str, Any]]:
    """All demo tenants, first load then incremental, faults on, into fakesnow and into DuckDB."""
    sf = _snowflake("LANDED")
    server.sim.reset_faults(FaultPlan.everything(retry_after_s=0))
    sf_sink = SnowflakeSink(sf)
    sf_reports = _load_both_phases(server, sf_sink)
    faults = dict(server.sim.stats.injected)
    server.sim.reset_faults(FaultPlan.everything(retry_after_s=0))
    duck = duckdb.connect()
    duck_reports = _load_both_phases(server, DuckDbSink(duck))
    server.sim.reset_faults()
    yield {
        "sf": sf,
        "sf_sink": sf_sink,
        "sf_reports": sf_reports,
        "duck": duck,
        "duck_reports": duck_reports,
        "faults": faults,
    }
    duck.close()
    sf_sink.close()
    sf.close()


def test_full_then_incremental_load_lands_in_snowflake_what_it_lands_in_duckdb(
    landed: dict[str, Any],
) -> None:
    for fault in (
        "rate_limit",
        "server_error",
        "expire_token",
        "duplicate_rows",
        "shuffled",
        "renamed_field",
    ):
        assert landed["faults"].get(fault, 0) > 0, fault
    sf_fetch = _sf_fetch(landed["sf"])
    duck: duckdb.DuckDBPyConnection = landed["duck"]
    for spec in PROHANDEL_TABLES:
        in_snowflake = _rows(sf_fetch, spec.name)
        in_duckdb = _rows(lambda sql: duck.execute(sql).fetchall(), spec.name)
        assert in_snowflake == in_duckdb, spec.name
        # zero duplicates on the natural key
        keys = ", ".join(("tenant_id", *spec.key))
        dupes = sf_fetch(
            f"SELECT count(*) FROM (SELECT {keys} FROM raw.{spec.name} GROUP BY {keys} HAVING count(*) > 1)"
        )
        assert dupes == [(0,)], spec.name
    assert sum(_rows(sf_fetch, "prohandel_inventory").values()) > 20_000
    # the same sums, read the way a report would
    sql = (
        "SELECT tenant_id, count(*), CAST(sum(quantity) AS BIGINT), CAST(sum(net_amount) AS DECIMAL(18, 2)) "
        "FROM raw.prohandel_receipt_lines GROUP BY 1"
    )
    assert sorted(sf_fetch(sql)) == sorted(duck.execute(sql).fetchall())
    # the second phase was incremental in Snowflake too: far fewer receipts fetched
    first, second = landed["sf_reports"][:3], landed["sf_reports"][3:]
    assert (
        sum(r.load("receipts").rows_received for r in second)
        < sum(r.load("receipts").rows_received for r in first) / 5
    )


def test_every_load_is_recorded_with_its_watermark(landed: dict[str, Any]) -> None:
    sf_fetch = _sf_fetch(landed["sf"])
    logged = sf_fetch(
        "SELECT tenant_id, resource, status, rows_loaded, watermark, duration_s FROM ingest.load_log"
    )
    reports: list[SyncReport] = landed["sf_reports"]
    assert len(logged) == sum(len(r.loads) for r in reports)
    assert {row[2] for row in logged} == {"success"}
    assert all(row[5] is not None and row[5] >= 0 for row in logged)
    expected = Counter((r.tenant_id, rec.resource, rec.rows_loaded) for r in reports for rec in r.loads)
    assert Counter((t, res, n) for t, res, _, n, _, _ in logged) == expected
    watermarks = dict(
        ((t, r), w) for t, r, w in sf_fetch("SELECT tenant_id, resource, watermark FROM ingest.watermarks")
    )
    duck_marks = dict(
        ((t, r), w)
        for t, r, w in landed["duck"]
        .execute("SELECT tenant_id, resource, watermark FROM ingest.watermarks")
        .fetchall()
    )
    assert watermarks == duck_marks and len(watermarks) == len(DEMO_TENANTS) * 8
    # staging rows never outlive their page's transaction
    for spec in PROHANDEL_TABLES:
        assert sf_fetch(f"SELECT count(*) FROM ingest.landing_{spec.name}") == [(0,)], spec.name


def test_rerunning_the_load_changes_nothing(landed: dict[str, Any], server: SimulatorServer) -> None:
    sf_fetch = _sf_fetch(landed["sf"])
    before = {t.name: _rows(sf_fetch, t.name) for t in PROHANDEL_TABLES}
    server.sim.reset_faults(FaultPlan.everything(retry_after_s=0))
    for tenant in DEMO_TENANTS:
        with ProHandelClient(server.credentials(tenant), policy=FAST) as client:
            sync_tenant(client, landed["sf_sink"], page_size=1500)
    server.sim.reset_faults()
    assert {t.name: _rows(sf_fetch, t.name) for t in PROHANDEL_TABLES} == before


def test_a_page_lands_whole_or_not_at_all(server: SimulatorServer) -> None:
    """A page whose second table fails to load rolls back its first table and its watermark."""
    con = _snowflake("ROLLBACK")
    sink = SnowflakeSink(con)
    fetch = _sf_fetch(con)
    now = dt.datetime(2025, 1, 1, 12)
    receipts = TableRows(
        "prohandel_receipts",
        ("receipt_id",),
        {
            "receipt_id": ["r1"],
            "branch_id": ["b1"],
            "customer_id": [None],
            "booked_at": [now],
            "receipt_type": ["sale"],
        },
        {"receipt_id": "str", "branch_id": "str", "customer_id": "str", "booked_at": "timestamp",
         "receipt_type": "str"},
    )  # fmt: skip
    line_cols = [c for c in next(t for t in RAW_TABLES if t.name == "prohandel_receipt_lines").column_names
                 if c not in ("tenant_id", "_loaded_at")]  # fmt: skip
    # a quantity that is not a number: COPY INTO the INTEGER column fails inside the transaction
    lines = TableRows(
        "prohandel_receipt_lines",
        ("receipt_id", "line_number"),
        {c: ["not-a-number" if c == "quantity" else "x"] for c in line_cols},
        {c: "str" for c in line_cols},
        replace_by="receipt_id",
    )
    batch = LandingBatch(A, "prohandel", "receipts", "load-1", now, (receipts, lines), watermark=now)
    with pytest.raises(snowflake_connector.errors.Error):
        sink.land(batch)
    assert fetch("SELECT count(*) FROM raw.prohandel_receipts") == [(0,)]
    assert fetch("SELECT count(*) FROM ingest.watermarks") == [(0,)]
    assert fetch("SELECT count(*) FROM ingest.landing_prohandel_receipts") == [(0,)]
    # the connection is usable afterwards and the same page without the bad table lands
    sink.land(LandingBatch(A, "prohandel", "receipts", "load-1", now, (receipts,), watermark=now))
    assert fetch("SELECT tenant_id, receipt_id FROM raw.prohandel_receipts") == [(A, "r1")]
    assert fetch("SELECT watermark FROM ingest.watermarks") == [(now,)]
    sink.close()
    con.close()


def test_bad_rows_are_quarantined_in_snowflake_and_good_rows_land(server: SimulatorServer) -> None:
    con = _snowflake("QUARANTINE")
    sink = SnowflakeSink(con)
    bad = [
        {"date": "2025-01-05", "branchId": "alp-b77", "articleId": "alp-a00001", "onHand": 3, "onOrder": 0,
         "changedAt": "2025-01-01T00:00:00"},
        {"date": "2025-01-05", "branchId": "alp-b01", "articleId": "alp-a00001", "onHand": -4, "onOrder": 0,
         "changedAt": "2025-01-01T00:00:00"},
    ]  # fmt: skip
    server.sim.reset_faults(FaultPlan(inject_records={"inventory": bad}))
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        report = sync_tenant(client, sink, page_size=5000)
    server.sim.reset_faults()
    fetch = _sf_fetch(con)
    reasons = sorted(
        r[0] for r in fetch("SELECT reason FROM raw.raw_rejected WHERE tenant_id = 'alpin-sport'")
    )
    assert reasons == ["branchId: unknown branch 'alp-b77'", "onHand: -4 is below the minimum 0"]
    inv = report.load("inventory")
    assert fetch("SELECT count(*) FROM raw.prohandel_inventory") == [(inv.rows_loaded,)]
    assert inv.rows_loaded > 1000
    assert fetch("SELECT rows_rejected FROM ingest.load_log WHERE resource = 'inventory'") == [(2,)]
    sink.close()
    con.close()


def test_a_page_fetched_with_tenant_a_credentials_lands_only_as_tenant_a(server: SimulatorServer) -> None:
    con = _snowflake("TENANCY")
    sink = SnowflakeSink(con)
    fetch = _sf_fetch(con)
    server.sim.reset_faults()
    with ProHandelClient(server.credentials(B), policy=FAST) as client:
        sync_tenant(client, sink, page_size=5000)
    b_before = _rows(fetch, "prohandel_branches", B)
    foreign = {
        "id": "cas-b01", "number": 1, "name": "Hijack", "country": "CH", "type": "store",
        "openingDate": "2020-01-01", "tenantId": B, "tenant_id": B, "changedAt": "2025-01-01T00:00:00",
    }  # fmt: skip
    server.sim.reset_faults(FaultPlan(inject_records={"branches": [foreign]}))
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        sync_tenant(client, sink, page_size=5000)
    server.sim.reset_faults()
    assert fetch("SELECT DISTINCT tenant_id FROM raw.prohandel_branches WHERE name = 'Hijack'") == [(A,)]
    assert _rows(fetch, "prohandel_branches", B) == b_before  # B's row with that key is untouched
    kept = fetch("SELECT tenant_id, fields FROM raw.raw_extra_fields WHERE record_key = 'cas-b01'")
    assert [t for t, _ in kept] == [A] and B in kept[0][1]
    sink.close()
    con.close()


def test_data_version_bump_changes_only_that_tenant(server: SimulatorServer) -> None:
    con = _snowflake("VERSIONS")
    sink = SnowflakeSink(con)
    first_a = sink.bump_data_version(A, "load-1")
    first_b = sink.bump_data_version(B, "load-1")
    second_a = sink.bump_data_version(A, "load-2")
    assert len({first_a, first_b, second_a}) == 3
    assert sink.data_version(A) == second_a and sink.data_version(B) == first_b
    assert _sf_fetch(con)("SELECT count(*) FROM mercurios_meta.data_versions") == [(2,)]
    sink.close()
    con.close()


def test_snowflake_sink_pages_archive_into_the_lake_as_the_credentials_tenant(
    server: SimulatorServer, tmp_path: Path
) -> None:
    from ingestion.lake.archiving_sink import ArchivingSink

    con = _snowflake("LAKE")
    sink = SnowflakeSink(con)
    lake = IcebergLake(LakeLocation(str(tmp_path / "lake")))
    with ProHandelClient(server.credentials(A), policy=FAST) as client:
        sync_tenant(client, ArchivingSink(sink, lake), page_size=5000)
    assert lake.tenants() == {A}
    table = lake.catalog.load_table(("prohandel", "prohandel_receipts"))
    data = lake.read(table)
    assert data is not None
    assert data.num_rows == _sf_fetch(con)("SELECT count(*) FROM raw.prohandel_receipts")[0][0]
    sink.close()
    con.close()
