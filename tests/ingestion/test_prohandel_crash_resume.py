"""Acceptance 1 (second half): kill the ingest process mid-load, run it again, get the same state."""

from __future__ import annotations

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

from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.connector import sync_tenant
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator import FaultPlan
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from ingestion.raw_schema import RAW_TABLES
from tests.demo import TEST_END_DATE
from tests.ingestion.prohandel_credentials import write_credentials

TENANT = "alpin-sport"
FAST = RetryPolicy(base_delay_s=0.005, max_delay_s=0.05)


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    sim = demo_simulator(end_date=TEST_END_DATE, scale=0.02, tenants=[TENANT])
    with SimulatorServer(sim) as srv:
        yield srv


def raw_content(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every raw table's rows without the load timestamp (which differs run to run by design)."""
    return {
        t.name: con.execute(f"SELECT * EXCLUDE (_loaded_at) FROM raw.{t.name} ORDER BY ALL").fetchall()
        for t in RAW_TABLES
        if t.name.startswith("prohandel_") or t.name == "tenants"
    }


def test_killed_mid_load_then_rerun_gives_the_uninterrupted_state(
    server: SimulatorServer, tmp_path: Path
) -> None:
    sim = server.sim
    sim.reset_faults()
    with (
        duckdb.connect(str(tmp_path / "clean.duckdb")) as con,
        ProHandelClient(server.credentials(TENANT), policy=FAST) as client,
    ):
        sync_tenant(client, DuckDbSink(con), page_size=500)
        expected = raw_content(con)
    assert sum(len(rows) for rows in expected.values()) > 30_000

    crashed = tmp_path / "crashed.duckdb"
    creds = write_credentials(tmp_path / "prohandel.json", server, [TENANT])
    # the 30th page request hangs: the process has landed 29 pages when it is killed
    sim.reset_faults(FaultPlan(stall_after_pages=sim.stats.pages_served + 29, stall_s=120))
    stalls_before = sim.stats.injected.get("stall", 0)
    mercurios = Path(sys.executable).with_name("mercurios")
    proc = subprocess.Popen(
        [
            str(mercurios),
            "ingest",
            "prohandel",
            "--tenant",
            TENANT,
            "--warehouse",
            str(crashed),
            "--credentials",
            str(creds),
            "--page-size",
            "500",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "MERCURIOS_DEBUG": "1"},
    )
    try:
        deadline = time.monotonic() + 90
        while sim.stats.injected.get("stall", 0) == stalls_before:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the ingest process never reached the stalled page"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with duckdb.connect(str(crashed)) as con:
        half = raw_content(con)
        statuses = con.execute("SELECT resource, status FROM ingest.load_log ORDER BY started_at").fetchall()
        assert statuses[-1][1] == "running"  # the crash left its load unfinished, and says so
        assert 0 < sum(len(r) for r in half.values()) < sum(len(r) for r in expected.values())
        resumed_from = con.execute("SELECT count(*) FROM ingest.watermarks").fetchone()
        assert resumed_from is not None and resumed_from[0] >= 5
        # the re-run, with faults on this time, resumes from the watermarks
        sim.reset_faults(FaultPlan.everything(retry_after_s=0))
        with ProHandelClient(server.credentials(TENANT), policy=FAST) as client:
            report = sync_tenant(client, DuckDbSink(con), page_size=500)
        # finished resources fetch only their boundary records; the interrupted one resumes mid-way
        assert report.load("receipts").rows_received < 10
        assert 0 < report.load("inventory").rows_received < 0.9 * len(expected["prohandel_inventory"])
        assert raw_content(con) == expected
