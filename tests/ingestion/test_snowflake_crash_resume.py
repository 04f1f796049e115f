"""Acceptance 1 on Snowflake: kill `mercurios ingest prohandel` mid-load, re-run, same final state.

The CLI runs in its own process with fakesnow standing in for the Snowflake connector, its
databases in files (`db_path`), so what a page's transaction committed survives the SIGKILL and
what it had not committed is rolled back when the next process opens the database — as a
Snowflake session killed mid-transaction. The lake is on, so the re-run also repairs the lake
copy of the pages the killed process had committed to Snowflake but not yet to Iceberg.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingestion.lake.catalog import LakeLocation
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.lake.replay import replay
from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.connector import sync_tenant
from ingestion.prohandel.resources import CONNECTOR_TABLES
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator import FaultPlan
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from ingestion.raw_schema import RAW_TABLES
from tests.demo import TEST_END_DATE
from tests.ingestion.prohandel_credentials import write_credentials

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")

fakesnow = pytest.importorskip("fakesnow", reason="fakesnow (dev dependency) is not installed")
snowflake_connector = pytest.importorskip("snowflake.connector", reason="snowflake-connector-python missing")

from ingestion.landing.snowflake_sink import SnowflakeSink  # noqa: E402

TENANT = "alpin-sport"
FAST = RetryPolicy(base_delay_s=0.005, max_delay_s=0.05)
TABLES = [
    t for t in (*RAW_TABLES, *CONNECTOR_TABLES) if t.name.startswith("prohandel_") or t.name == "tenants"
]
# the CLI, with fakesnow patched in and its databases kept as files under argv[1]
RUN_CLI_ON_FAKESNOW = (
    "import sys, fakesnow\n"
    "with fakesnow.patch(db_path=sys.argv[1]):\n"
    "    from assistant.channels.cli.main import app\n"
    "    sys.argv = ['mercurios', *sys.argv[2:]]\n"
    "    app()\n"
)


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    sim = demo_simulator(end_date=TEST_END_DATE, scale=0.02, tenants=[TENANT])
    with SimulatorServer(sim) as srv:
        yield srv


def snapshot(db_path: Path) -> dict[str, Any]:
    """What a load left in a file-backed fakesnow database (opened here, closed before returning)."""
    with fakesnow.patch(db_path=db_path):
        con = snowflake_connector.connect(account="acct", user="u", password="pw", database="MERCURIOS")
        try:
            cur = con.cursor()

            def fetch(sql: str) -> list[tuple[Any, ...]]:
                return [tuple(r) for r in cur.execute(sql).fetchall()]

            state: dict[str, Any] = {}
            for spec in TABLES:
                cols = ", ".join(c for c in spec.column_names if c != "_loaded_at")
                state[spec.name] = Counter(fetch(f"SELECT {cols} FROM raw.{spec.name}"))
                keys = ", ".join(("tenant_id", *spec.key))
                state[f"dupes:{spec.name}"] = fetch(
                    f"SELECT count(*) FROM (SELECT {keys} FROM raw.{spec.name} GROUP BY {keys} "
                    "HAVING count(*) > 1)"
                )[0][0]
                state[f"staged:{spec.name}"] = fetch(f"SELECT count(*) FROM ingest.landing_{spec.name}")[0][0]
                every = ", ".join(spec.column_names)
                state[f"with_load_time:{spec.name}"] = Counter(fetch(f"SELECT {every} FROM raw.{spec.name}"))
            state["watermarks"] = dict(
                ((r, w) for r, w in fetch("SELECT resource, watermark FROM ingest.watermarks"))
            )
            state["load_log"] = fetch("SELECT resource, status FROM ingest.load_log ORDER BY started_at")
            state["sums"] = fetch(
                "SELECT count(*), sum(on_hand), CAST(sum(quantity) AS BIGINT) FROM raw.prohandel_inventory "
                "CROSS JOIN (SELECT sum(quantity) AS quantity FROM raw.prohandel_receipt_lines)"
            )
            return state
        finally:
            con.close()


def test_a_snowflake_load_killed_mid_way_resumes_to_the_uninterrupted_state(
    server: SimulatorServer, tmp_path: Path
) -> None:
    sim = server.sim
    sim.reset_faults()
    # the uninterrupted load, into its own file-backed database
    reference_db = tmp_path / "reference"
    reference_db.mkdir()
    with fakesnow.patch(db_path=reference_db):
        con = snowflake_connector.connect(account="acct", user="u", password="pw", database="MERCURIOS")
        sink = SnowflakeSink(con)
        with ProHandelClient(server.credentials(TENANT), policy=FAST) as client:
            sync_tenant(client, sink, page_size=500)
        sink.close()
        con.close()
    expected = snapshot(reference_db)
    assert sum(expected["prohandel_inventory"].values()) > 10_000

    crashed_db = tmp_path / "crashed"
    crashed_db.mkdir()
    creds = write_credentials(tmp_path / "prohandel.json", server, [TENANT])
    env = {
        **os.environ,
        "MERCURIOS_DEBUG": "1",
        "MERCURIOS_WAREHOUSE": "snowflake",
        "MERCURIOS_SNOWFLAKE_ACCOUNT": "acct",
        "MERCURIOS_SNOWFLAKE_USER": "loader",
        "MERCURIOS_SNOWFLAKE_PASSWORD": "pw",
        "MERCURIOS_SNOWFLAKE_DATABASE": "MERCURIOS",
        "MERCURIOS_LAKE_ROOT": str(tmp_path / "lake"),
        "MERCURIOS_DATA_DIR": str(tmp_path / "data"),
        "MERCURIOS_DUCKDB_PATH": str(tmp_path / "must-not-exist.duckdb"),
    }
    argv = [
        sys.executable,
        "-c",
        RUN_CLI_ON_FAKESNOW,
        str(crashed_db),
        *("ingest", "prohandel", "--tenant", TENANT, "--credentials", str(creds)),
        *("--page-size", "500", "--no-dbt", "--json"),
    ]
    # the 30th page request hangs: 29 pages served, the last ones inventory pages
    sim.reset_faults(FaultPlan(stall_after_pages=sim.stats.pages_served + 29, stall_s=180))
    stalls = sim.stats.injected.get("stall", 0)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 180
        while sim.stats.injected.get("stall", 0) == stalls:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the ingest process never reached the stalled page"
            time.sleep(0.05)
        time.sleep(1.5)  # let the served pages land; the next one never comes
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    sim.reset_faults()

    half = snapshot(crashed_db)
    assert half["load_log"][-1] == ("inventory", "running")  # the crash left its load unfinished
    landed = sum(sum(half[t.name].values()) for t in TABLES)
    assert 0 < landed < sum(sum(expected[t.name].values()) for t in TABLES)
    assert 0 < sum(half["prohandel_inventory"].values()) < sum(expected["prohandel_inventory"].values())
    assert "inventory" in half["watermarks"]
    lake_root = tmp_path / "lake"
    with duckdb.connect() as fresh:
        replay(IcebergLake(LakeLocation(str(lake_root))), fresh)
        lagging = fresh.execute("SELECT count(*) FROM raw.prohandel_inventory").fetchone()
    assert lagging is not None and lagging[0] < sum(half["prohandel_inventory"].values())

    # the re-run, with every survivable fault on, resumes from the watermarks
    sim.reset_faults(FaultPlan.everything(retry_after_s=0))
    rerun = subprocess.run(argv, capture_output=True, env=env, timeout=600)
    sim.reset_faults()
    assert rerun.returncode == 0, rerun.stderr.decode()[-3000:]
    report = json.loads(rerun.stdout)
    received = {r["resource"]: r["received"] for r in report["resources"]}
    assert received["receipts"] < 10  # finished resources fetch only their boundary records
    assert 0 < received["inventory"] < sum(expected["prohandel_inventory"].values())

    final = snapshot(crashed_db)
    for spec in TABLES:
        assert final[spec.name] == expected[spec.name], spec.name
        assert final[f"dupes:{spec.name}"] == 0, spec.name
        assert final[f"staged:{spec.name}"] == 0, spec.name
    assert final["sums"] == expected["sums"]
    assert final["watermarks"] == expected["watermarks"]
    assert {s for _, s in final["load_log"][-len(received) :]} == {"success"}
    assert not (tmp_path / "must-not-exist.duckdb").exists()

    # the lake caught up from Snowflake: its replay is the warehouse, load times included
    assert b"the lake was behind the warehouse" in rerun.stderr
    with duckdb.connect() as fresh:
        replay(IcebergLake(LakeLocation(str(lake_root))), fresh)
        for spec in TABLES:
            cols = ", ".join(spec.column_names)
            replayed = Counter(
                tuple(r) for r in fresh.execute(f"SELECT {cols} FROM raw.{spec.name}").fetchall()
            )
            assert replayed == final[f"with_load_time:{spec.name}"], spec.name
