"""Benchmark: rows/s from the simulator over HTTP into DuckDB, and validation's share of load time.

The simulator runs in a separate process on loopback (`simulator_process`), so the connector has
its interpreter to itself, as in production where the API is another machine. The load time is
split into validation, landing (DuckDB upserts) and waiting for the next page (pages are fetched
and decoded in a background thread while the previous one lands); the process's CPU time gives
the connector's own cost. `mercurios ingest bench` prints it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from guardrails.errors import InternalError
from ingestion.landing.batch import LandingBatch
from ingestion.landing.delegating import DelegatingSink
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.landing.protocols import RawSink
from ingestion.prohandel.client import Credentials, ProHandelClient
from ingestion.prohandel.connector import sync_tenant


@dataclass(frozen=True)
class BenchResult:
    scale: float
    page_size: int
    tenants: int
    records: int
    elapsed_s: float
    validation_s: float
    landing_s: float
    archive_s: float
    cpu_s: float  # CPU time of this process (the connector) during the load, all its threads
    lake_commits: int = 0

    @property
    def rows_per_s(self) -> float:
        return self.records / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def rows_per_cpu_s(self) -> float:
        return self.records / self.cpu_s if self.cpu_s else 0.0

    def summary(self) -> str:
        wait = self.elapsed_s - self.validation_s - self.landing_s - self.archive_s
        lines = [
            f"scale {self.scale:g}, page size {self.page_size}, {self.tenants} tenants, "
            f"simulator in its own process on loopback",
            f"{self.records:,} records in {self.elapsed_s:.2f} s = "
            f"{self.rows_per_s:,.0f} records/s end to end",
            f"connector CPU {self.cpu_s:.2f} s = {self.rows_per_cpu_s:,.0f} records per CPU second",
            f"  validation {self.validation_s:.2f} s = {self.validation_s / self.elapsed_s:.0%} of load time",
            f"  landing    {self.landing_s:.2f} s = {self.landing_s / self.elapsed_s:.0%}",
            f"  waiting for pages (HTTP, JSON, the simulator) {wait:.2f} s = {wait / self.elapsed_s:.0%}",
        ]
        if self.archive_s:
            lines.append(
                f"  lake       {self.archive_s:.2f} s = {self.archive_s / self.elapsed_s:.0%} "
                f"(staging, and waiting for {self.lake_commits} Iceberg commits made on a background thread)"
            )
        return "\n".join(lines)


class _TimedSink(DelegatingSink):
    """Times `land` of the wrapped sink (the DuckDB half of the landing path)."""

    def __init__(self, inner: RawSink) -> None:
        super().__init__(inner)
        self.land_s = 0.0

    def land(self, batch: LandingBatch) -> None:
        started = time.perf_counter()
        self.inner.land(batch)
        self.land_s += time.perf_counter() - started


def _start_simulator(scale: float) -> tuple[subprocess.Popen[str], dict[str, Credentials]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingestion.prohandel.simulator_process", "--scale", str(scale)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=10)
        raise InternalError(f"the simulator process exited ({proc.returncode}) before serving")
    tenants = json.loads(line)["tenants"]
    return proc, {
        t: Credentials(t, v["api_key"], v["api_secret"], v["auth_url"]) for t, v in sorted(tenants.items())
    }


def run_benchmark(*, scale: float = 0.2, page_size: int = 10_000, with_lake: bool = False) -> BenchResult:
    proc, credentials = _start_simulator(scale)
    try:
        con = duckdb.connect()
        timed = _TimedSink(DuckDbSink(con))
        sink: RawSink = timed
        archiving = None
        with tempfile.TemporaryDirectory() as lake_dir:
            if with_lake:
                from ingestion.lake.archiving_sink import ArchivingSink
                from ingestion.lake.catalog import LakeLocation
                from ingestion.lake.iceberg_lake import IcebergLake

                archiving = ArchivingSink(timed, IcebergLake(LakeLocation(str(Path(lake_dir)))))
                sink = archiving
            records = 0
            validation = 0.0
            started = time.perf_counter()
            cpu_started = time.process_time()
            for creds in credentials.values():
                with ProHandelClient(creds) as client:
                    report = sync_tenant(client, sink, page_size=page_size)
                records += sum(r.rows_received for r in report.loads)
                validation += sum(r.validation_s for r in report.loads)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            if archiving is not None:
                archiving.lake.close()
        con.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return BenchResult(
        scale=scale,
        page_size=page_size,
        tenants=len(credentials),
        records=records,
        elapsed_s=elapsed,
        validation_s=validation,
        landing_s=timed.land_s,
        archive_s=archiving.archive_s if archiving else 0.0,
        cpu_s=cpu,
        lake_commits=archiving.lake.commits if archiving else 0,
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    print(run_benchmark(scale=float(args[0]) if args else 0.2).summary())
