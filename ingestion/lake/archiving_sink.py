"""A `RawSink` that archives every page it lands into the lake, after the warehouse commit.

Archiving after the commit means the lake never holds a page the warehouse rolled back. Pages are
staged and committed to Iceberg in batches — handed to the lake's commit thread when `flush_rows`
rows are staged, and committed and waited for when a resource's load finishes (successfully or
not) — so a load costs a few Iceberg commits, not one per page, and they overlap the next pages.

Durability, honestly: the warehouse is the system of record. A page is durable, and its
watermark advances, when the warehouse transaction commits. The lake copy is durable once the
batch holding it is flushed. A crash (kill -9, power loss) in between leaves the lake without the
pages staged since the last flush — at most `flush_rows` rows, or one resource's load — until the
next load of that resource: it starts by comparing the lake's marks with the warehouse and
re-archives from the warehouse what the lake missed (`catch_up`). A failed load (an exception)
still flushes what it landed.

Full-refresh sweeps are archived as tombstones (the keys the warehouse dropped), so replaying the
lake gives the post-refresh state.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

import pyarrow as pa

from ingestion.lake.catch_up import CaughtUp, catch_up
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.landing.batch import LandingBatch, LoadRecord
from ingestion.landing.delegating import DelegatingSink
from ingestion.landing.protocols import RawSink

DEFAULT_FLUSH_ROWS = 250_000
log = logging.getLogger(__name__)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ArchivingSink(DelegatingSink):
    """Wraps any `RawSink`; `archive_s` is the time spent on the lake (for the benchmark)."""

    def __init__(self, inner: RawSink, lake: IcebergLake, *, flush_rows: int = DEFAULT_FLUSH_ROWS) -> None:
        super().__init__(inner)
        self.lake = lake
        self.flush_rows = flush_rows
        self.archive_s = 0.0
        self._load: LoadRecord | None = None
        self.caught_up: list[CaughtUp] = []  # what catch-ups archived (after a crash, or a --no-lake load)

    def land(self, batch: LandingBatch) -> None:
        self.inner.land(batch)
        started = time.perf_counter()
        self.lake.stage(batch)
        if self.lake.pending_rows >= self.flush_rows:
            self.lake.flush_in_background()
        self.archive_s += time.perf_counter() - started

    def flush(self) -> None:
        started = time.perf_counter()
        try:
            self.lake.flush()
        finally:
            self.archive_s += time.perf_counter() - started

    def start_load(self, record: LoadRecord) -> None:
        self._load = record
        self.inner.start_load(record)
        started = time.perf_counter()
        try:
            caught = catch_up(
                self.lake,
                self.inner,
                tenant_id=record.tenant_id,
                source=record.source,
                resource=record.resource,
                load_id=f"catch-up:{record.load_id}",
            )
        finally:
            self.archive_s += time.perf_counter() - started
        self.caught_up.extend(caught)
        for c in caught:
            log.warning(
                "the lake was behind the warehouse for %s/%s: archived %d rows and %d tombstones",
                record.tenant_id,
                c.table,
                c.rows,
                c.tombstones,
            )

    def finish_load(self, record: LoadRecord) -> None:
        try:
            self.flush()
        finally:
            self._load = None
            self.inner.finish_load(record)

    def sweep(self, tenant_id: str, table: str, before: dt.datetime) -> pa.Table:
        """Sweep the warehouse, then stage tombstones for what it dropped."""
        dropped = self.inner.sweep(tenant_id, table, before)
        if dropped.num_rows:
            started = time.perf_counter()
            load = self._load
            self.lake.stage_deletions(
                source=load.source if load else "prohandel",
                table=table,
                tenant_id=tenant_id,
                resource=load.resource if load else table,
                load_id=load.load_id if load else "sweep",
                deleted_at=_utc_now(),
                keys=dropped,
            )
            self.archive_s += time.perf_counter() - started
        return dropped
