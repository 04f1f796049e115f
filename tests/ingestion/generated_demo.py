"""A demo generation held in an in-memory DuckDB, as the ingestion tests' fixtures share it."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ingestion.demo import DemoSummary, generate_demo
from tests.demo import TEST_END_DATE

# Big enough that a one-week anomaly in a single store stands out from Poisson noise.
ANOMALY_SCALE = 0.1


@dataclass(frozen=True)
class GeneratedDemo:
    con: duckdb.DuckDBPyConnection
    summary: DemoSummary


def generate(scale: float) -> GeneratedDemo:
    con = duckdb.connect()
    summary = generate_demo(con, end_date=TEST_END_DATE, scale=scale)
    return GeneratedDemo(con=con, summary=summary)
