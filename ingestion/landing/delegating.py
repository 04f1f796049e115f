"""`DelegatingSink`: a `RawSink` that hands every call to the sink it wraps.

Wrappers (the lake's archiving sink, the benchmark's timer) subclass it and override only the
calls they add something to, instead of each re-stating the whole protocol.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyarrow as pa

from ingestion.landing.batch import LandingBatch, LoadRecord
from ingestion.landing.protocols import RawSink
from ingestion.quality.validation import KnownKeys


class DelegatingSink:
    def __init__(self, inner: RawSink) -> None:
        self.inner = inner

    def watermark(self, tenant_id: str, source: str, resource: str) -> dt.datetime | None:
        return self.inner.watermark(tenant_id, source, resource)

    def known_keys(self, tenant_id: str) -> KnownKeys:
        return self.inner.known_keys(tenant_id)

    def land(self, batch: LandingBatch) -> None:
        self.inner.land(batch)

    def start_load(self, record: LoadRecord) -> None:
        self.inner.start_load(record)

    def finish_load(self, record: LoadRecord) -> None:
        self.inner.finish_load(record)

    def sweep(self, tenant_id: str, table: str, before: dt.datetime) -> pa.Table:
        return self.inner.sweep(tenant_id, table, before)

    def last_loaded_at(self, tenant_id: str, table: str) -> dt.datetime | None:
        return self.inner.last_loaded_at(tenant_id, table)

    def raw_rows(
        self,
        tenant_id: str,
        table: str,
        *,
        since: dt.datetime | None = None,
        columns: Sequence[str] | None = None,
    ) -> pa.Table:
        return self.inner.raw_rows(tenant_id, table, since=since, columns=columns)
