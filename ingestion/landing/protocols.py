"""The seam between loaders and the warehouse: where validated pages land."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

import pyarrow as pa

from ingestion.landing.batch import LandingBatch, LoadRecord
from ingestion.quality.validation import KnownKeys


class RawSink(Protocol):
    """A warehouse that lands pages atomically (rows + quarantine + watermark) and logs loads."""

    def watermark(self, tenant_id: str, source: str, resource: str) -> dt.datetime | None: ...

    def known_keys(self, tenant_id: str) -> KnownKeys: ...

    def land(self, batch: LandingBatch) -> None: ...

    def start_load(self, record: LoadRecord) -> None: ...

    def finish_load(self, record: LoadRecord) -> None: ...

    def sweep(self, tenant_id: str, table: str, before: dt.datetime) -> pa.Table:
        """After a full refresh: drop the tenant's rows loaded before `before` (the source no longer
        delivers them); answer the dropped rows' natural-key columns (the lake records them)."""
        ...

    def last_loaded_at(self, tenant_id: str, table: str) -> dt.datetime | None:
        """The latest `_loaded_at` of the tenant's rows in `raw.<table>`; None if it has none."""
        ...

    def raw_rows(
        self,
        tenant_id: str,
        table: str,
        *,
        since: dt.datetime | None = None,
        columns: Sequence[str] | None = None,
    ) -> pa.Table:
        """The tenant's rows of `raw.<table>` loaded after `since` (all if None): `columns`, or every
        column but `tenant_id` (the caller knows the tenant: it asked for it)."""
        ...
