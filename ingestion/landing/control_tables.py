"""Tables the loaders keep beside the raw data: watermarks, the load log, quarantine, new fields.

They live in the warehouse itself (schema `ingest`, and `raw` for the quarantine) so that a page,
its rejected records and the watermark that says "this page is done" commit in one transaction:
a crash either keeps all three or none.
"""

from __future__ import annotations

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
