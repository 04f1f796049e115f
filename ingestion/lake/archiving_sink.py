"""A `RawSink` that archives every page it lands into the lake, after the warehouse commit.

Archiving after the commit means the lake never holds a page the warehouse rolled back. A crash
between the two loses that page's archive copy, but not the data: the watermark advanced, so the
page is in the warehouse, and the next full refresh archives it again.
"""

from __future__ import annotations

import datetime as dt
import time

from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.landing.batch import LandingBatch, LoadRecord
from ingestion.landing.protocols import RawSink
from ingestion.quality.validation import KnownKeys


class ArchivingSink:
    """Wraps any `RawSink`; `archive_s` is the time spent writing the lake (for the benchmark)."""

    def __init__(self, inner: RawSink, lake: IcebergLake) -> None:
        self.inner = inner
        self.lake = lake
        self.archive_s = 0.0

    def watermark(self, tenant_id: str, source: str, resource: str) -> dt.datetime | None:
        return self.inner.watermark(tenant_id, source, resource)

    def known_keys(self, tenant_id: str) -> KnownKeys:
        return self.inner.known_keys(tenant_id)

    def land(self, batch: LandingBatch) -> None:
        self.inner.land(batch)
        started = time.perf_counter()
        self.lake.archive(batch)
        self.archive_s += time.perf_counter() - started

    def start_load(self, record: LoadRecord) -> None:
        self.inner.start_load(record)

    def finish_load(self, record: LoadRecord) -> None:
        self.inner.finish_load(record)

    def sweep(self, tenant_id: str, table: str, before: dt.datetime) -> int:
        return self.inner.sweep(tenant_id, table, before)
