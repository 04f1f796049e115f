"""Typed values that travel from a loader to a sink: one landing batch, one load record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pyarrow as pa

from ingestion.quality.validation import Rejected

ARROW_TYPES: dict[str, pa.DataType] = {
    "str": pa.string(),
    "int": pa.int64(),
    # Amounts travel as doubles and the warehouse casts them to the raw DECIMAL column on insert:
    # every API amount has two decimals, so the nearest double rounds back to the exact value.
    "decimal": pa.float64(),
    "float": pa.float64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
}


@dataclass(frozen=True)
class TableRows:
    """Rows for one raw table, column-wise, without `tenant_id` and `_loaded_at` (the sink adds them)."""

    table: str
    key: tuple[str, ...]  # natural key columns; () means one row per tenant
    columns: dict[str, list[Any]]
    kinds: Mapping[str, str]  # column -> FieldKind, for the Arrow types
    # For child rows (receipt lines): replace all rows of these parent keys, not key by key.
    replace_by: str | None = None

    @property
    def num_rows(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    @cached_property
    def arrow(self) -> pa.Table:
        """The rows as an Arrow table, built once (the warehouse and the lake both read it)."""
        return pa.table({c: pa.array(v, ARROW_TYPES[self.kinds[c]]) for c, v in self.columns.items()})


@dataclass(frozen=True)
class LandingBatch:
    """One page, validated: everything in it commits together or not at all.

    `tenant_id` is the tenant of the credential that fetched the page; the sink writes it into
    every row, and the rows themselves carry no tenant column to be trusted.
    """

    tenant_id: str
    source: str
    resource: str
    load_id: str
    loaded_at: dt.datetime
    tables: tuple[TableRows, ...]
    rejected: tuple[Rejected, ...] = ()
    extras: tuple[tuple[str, str], ...] = ()
    watermark: dt.datetime | None = None  # advanced in the same transaction as the rows


@dataclass
class LoadRecord:
    """One row of `ingest.load_log`: a resource's load for one tenant."""

    load_id: str
    tenant_id: str
    source: str
    resource: str
    full_refresh: bool
    started_at: dt.datetime
    status: str = "running"
    finished_at: dt.datetime | None = None
    pages: int = 0
    rows_received: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    duplicates: int = 0
    watermark: dt.datetime | None = None
    duration_s: float = 0.0
    validation_s: float = 0.0
    schema_drift: dict[str, object] = field(default_factory=dict)
    error: str | None = None
