"""Tables the loaders keep beside the raw data: watermarks, the load log, quarantine, new fields.

They live in the warehouse itself (schema `ingest`, and `raw` for the quarantine) so that a page,
its rejected records and the watermark that says "this page is done" commit in one transaction:
a crash either keeps all three or none.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from ingestion.landing.batch import LoadRecord

CONTROL_DDL: tuple[str, ...] = (
    "CREATE SCHEMA IF NOT EXISTS raw",
    "CREATE SCHEMA IF NOT EXISTS ingest",
    """CREATE TABLE IF NOT EXISTS ingest.watermarks (
  tenant_id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  resource VARCHAR NOT NULL,
  watermark TIMESTAMP NOT NULL,  -- the largest changedAt of the last durably landed page
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (tenant_id, source, resource)
)""",
    """CREATE TABLE IF NOT EXISTS ingest.load_log (
  load_id VARCHAR NOT NULL,
  tenant_id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  resource VARCHAR NOT NULL,
  full_refresh BOOLEAN NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  status VARCHAR NOT NULL,  -- running | success | failed (running after a crash)
  pages INTEGER NOT NULL DEFAULT 0,
  rows_received BIGINT NOT NULL DEFAULT 0,
  rows_loaded BIGINT NOT NULL DEFAULT 0,
  rows_rejected BIGINT NOT NULL DEFAULT 0,
  duplicates BIGINT NOT NULL DEFAULT 0,
  watermark TIMESTAMP,
  duration_s DOUBLE,
  validation_s DOUBLE,
  schema_drift VARCHAR,  -- JSON: new fields, renamed fields, missing optional fields
  error VARCHAR
)""",
    """CREATE TABLE IF NOT EXISTS raw.raw_rejected (
  tenant_id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  resource VARCHAR NOT NULL,
  load_id VARCHAR NOT NULL,
  record_key VARCHAR,
  reason VARCHAR NOT NULL,
  payload VARCHAR NOT NULL,  -- the record as received, JSON
  _loaded_at TIMESTAMP NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS raw.raw_extra_fields (
  tenant_id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  resource VARCHAR NOT NULL,
  record_key VARCHAR NOT NULL,
  fields VARCHAR NOT NULL,  -- JSON of the fields the connector does not know yet
  _loaded_at TIMESTAMP NOT NULL
)""",
)


_LOAD_LOG_START = ("load_id", "tenant_id", "source", "resource", "full_refresh", "started_at", "status")
_LOAD_LOG_FINISH = (
    "finished_at",
    "status",
    "pages",
    "rows_received",
    "rows_loaded",
    "rows_rejected",
    "duplicates",
    "watermark",
    "duration_s",
    "validation_s",
    "schema_drift",
    "error",
)


def load_log_start(record: LoadRecord, param: str) -> tuple[str, list[object]]:
    """The load log's INSERT for a starting load, in a driver's parameter style (`?` or `%s`)."""
    sql = (
        f"INSERT INTO ingest.load_log ({', '.join(_LOAD_LOG_START)}) "
        f"VALUES ({', '.join(param for _ in _LOAD_LOG_START)})"
    )
    return sql, [getattr(record, f) for f in _LOAD_LOG_START]


def load_log_finish(record: LoadRecord, param: str) -> tuple[str, list[object]]:
    """The load log's UPDATE when a load ends (schema drift stored as sorted JSON)."""
    values = asdict(record)
    values["schema_drift"] = json.dumps(record.schema_drift, sort_keys=True) if record.schema_drift else None
    sql = (
        f"UPDATE ingest.load_log SET {', '.join(f'{f} = {param}' for f in _LOAD_LOG_FINISH)} "
        f"WHERE load_id = {param} AND resource = {param} AND tenant_id = {param}"
    )
    return sql, [*(values[f] for f in _LOAD_LOG_FINISH), record.load_id, record.resource, record.tenant_id]
