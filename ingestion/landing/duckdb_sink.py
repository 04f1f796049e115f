"""Land validated pages in DuckDB: idempotent upserts on natural keys, one transaction per page.

Upsert is delete-then-insert keyed by (tenant_id, natural key) through a registered Arrow view:
the raw tables have no primary keys (the contract keeps them plain for bulk loads and for
Snowflake), and the delete is always scoped to the batch's tenant, so another tenant's rows with
the same key are never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pyarrow as pa

from guardrails.errors import InternalError
from ingestion.landing.batch import LandingBatch, LoadRecord, TableRows
from ingestion.landing.control_tables import CONTROL_DDL, load_log_finish, load_log_start
from ingestion.prohandel.resources import CONNECTOR_TABLES, table_spec
from ingestion.quality.validation import KnownKeys
from ingestion.raw_schema import create_raw_schema_sql


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw contract's tables, the connector's own tables and the control tables."""
    for statement in (*create_raw_schema_sql(), *(t.ddl() for t in CONNECTOR_TABLES), *CONTROL_DDL):
        con.execute(statement)


def arrow_rows(rows: TableRows) -> pa.Table:
    return rows.arrow


class DuckDbSink:
    """The embedded warehouse as a `RawSink`."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        ensure_schema(con)

    def watermark(self, tenant_id: str, source: str, resource: str) -> dt.datetime | None:
        row = self.con.execute(
            "SELECT watermark FROM ingest.watermarks WHERE tenant_id = ? AND source = ? AND resource = ?",
            [tenant_id, source, resource],
        ).fetchone()
        return None if row is None else row[0]

    def known_keys(self, tenant_id: str) -> KnownKeys:
        branches = self.con.execute(
            "SELECT branch_id FROM raw.prohandel_branches WHERE tenant_id = ?", [tenant_id]
        ).fetchall()
        articles = self.con.execute(
            "SELECT article_id FROM raw.prohandel_articles WHERE tenant_id = ?", [tenant_id]
        ).fetchall()
        return KnownKeys(frozenset(r[0] for r in branches), frozenset(r[0] for r in articles))

    def _upsert(self, batch: LandingBatch, rows: TableRows) -> None:
        if rows.num_rows == 0:
            return
        spec = table_spec(rows.table)
        view = f"_landing_{rows.table}"
        self.con.register(view, arrow_rows(rows))
        try:
            match_on = (rows.replace_by,) if rows.replace_by else rows.key
            if match_on:
                cond = " AND ".join(f"t.{c} = s.{c}" for c in match_on)
                self.con.execute(
                    f"DELETE FROM raw.{rows.table} AS t WHERE t.tenant_id = $tenant AND EXISTS "
                    f"(SELECT 1 FROM {view} AS s WHERE {cond})",
                    {"tenant": batch.tenant_id},
                )
            else:  # one row per tenant (the company record)
                self.con.execute(f"DELETE FROM raw.{rows.table} WHERE tenant_id = ?", [batch.tenant_id])
            missing = set(spec.column_names) - set(rows.columns) - {"tenant_id", "_loaded_at"}
            if missing:
                raise InternalError(f"raw.{rows.table}: batch lacks columns {sorted(missing)}")
            cols = [c for c in spec.column_names if c not in ("tenant_id", "_loaded_at")]
            self.con.execute(
                f"INSERT INTO raw.{rows.table} (tenant_id, _loaded_at, {', '.join(cols)}) "
                f"SELECT $tenant, $loaded, {', '.join(cols)} FROM {view}",
                {"tenant": batch.tenant_id, "loaded": batch.loaded_at},
            )
        finally:
            self.con.unregister(view)

    def land(self, batch: LandingBatch) -> None:
        self.con.begin()
        try:
            for rows in batch.tables:
                self._upsert(batch, rows)
            if batch.rejected:
                self.con.executemany(
                    "INSERT INTO raw.raw_rejected VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        [
                            batch.tenant_id,
                            batch.source,
                            batch.resource,
                            batch.load_id,
                            r.record_key,
                            r.reason,
                            r.payload,
                            batch.loaded_at,
                        ]
                        for r in batch.rejected
                    ],
                )
            if batch.extras:
                keys = [k for k, _ in batch.extras]
                self.con.execute(
                    "DELETE FROM raw.raw_extra_fields WHERE tenant_id = ? AND source = ? AND resource = ? "
                    "AND list_contains(?, record_key)",
                    [batch.tenant_id, batch.source, batch.resource, keys],
                )
                self.con.executemany(
                    "INSERT INTO raw.raw_extra_fields VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        [batch.tenant_id, batch.source, batch.resource, k, v, batch.loaded_at]
                        for k, v in batch.extras
                    ],
                )
            if batch.watermark is not None:
                self.con.execute(
                    "INSERT INTO ingest.watermarks VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                    "watermark = greatest(watermark, excluded.watermark), updated_at = excluded.updated_at",
                    [batch.tenant_id, batch.source, batch.resource, batch.watermark, batch.loaded_at],
                )
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def start_load(self, record: LoadRecord) -> None:
        self.con.execute(*load_log_start(record, "?"))

    def finish_load(self, record: LoadRecord) -> None:
        self.con.execute(*load_log_finish(record, "?"))

    def sweep(self, tenant_id: str, table: str, before: dt.datetime) -> pa.Table:
        """After a full refresh: drop the tenant's rows the source no longer delivers; answer their keys."""
        key = list(table_spec(table).key) or ["tenant_id"]
        deleted = self.con.execute(
            f"DELETE FROM raw.{table} WHERE tenant_id = ? AND _loaded_at < ? RETURNING {', '.join(key)}",
            [tenant_id, before],
        ).fetchall()
        return pa.table({c: [r[i] for r in deleted] for i, c in enumerate(key)})

    def last_loaded_at(self, tenant_id: str, table: str) -> dt.datetime | None:
        spec = table_spec(table)
        rows = self.con.execute(
            f"SELECT max(_loaded_at) FROM raw.{spec.name} WHERE tenant_id = ?", [tenant_id]
        ).fetchall()  # fetched to the end: the connection then takes a relation query (raw_rows)
        return rows[0][0] if rows else None

    def raw_rows(
        self,
        tenant_id: str,
        table: str,
        *,
        since: dt.datetime | None = None,
        columns: Sequence[str] | None = None,
    ) -> pa.Table:
        spec = table_spec(table)
        cols = list(columns or [c for c in spec.column_names if c != "tenant_id"])
        unknown = set(cols) - set(spec.column_names)
        if unknown:
            raise InternalError(f"raw.{spec.name} has no columns {sorted(unknown)}")
        return self.con.sql(
            f"SELECT {', '.join(cols)} FROM raw.{spec.name} WHERE tenant_id = $tenant "
            "AND ($since IS NULL OR _loaded_at > $since)",
            params={"tenant": tenant_id, "since": since},
        ).to_arrow_table()
