"""Benchmark: rows/s from the simulator over HTTP into DuckDB, and validation's share of load time.

`python -m ingestion.prohandel.benchmark [scale] [page_size]`. The simulator runs in the same
process (a thread), so it competes for the GIL with the client: the figure is a lower bound.
"""

from __future__ import annotations

import sys
import time

import duckdb

from ingestion.demo.generator import DEFAULT_END_DATE
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.connector import sync_tenant
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator


def main(scale: float = 0.05, page_size: int = 5000) -> None:
    sim = demo_simulator(end_date=DEFAULT_END_DATE, scale=scale)
    con = duckdb.connect()
    sink = DuckDbSink(con)
    rows = 0
    validation = 0.0
    with SimulatorServer(sim) as server:
        started = time.perf_counter()
        for account in sim.accounts.values():
            with ProHandelClient(server.credentials(account.tenant_id)) as client:
                report = sync_tenant(client, sink, page_size=page_size)
            rows += sum(r.rows_received for r in report.loads)
            validation += sum(r.validation_s for r in report.loads)
        elapsed = time.perf_counter() - started
    print(
        f"scale {scale:g}, page size {page_size}: {rows:,} records in {elapsed:.1f} s = "
        f"{rows / elapsed:,.0f} "
        f"records/s; validation {validation:.1f} s = {validation / elapsed:.0%} of load time"
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    main(float(args[0]) if args else 0.05, int(args[1]) if len(args) > 1 else 5000)
