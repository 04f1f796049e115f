"""Land validated pages in Snowflake: staged Parquet, COPY INTO, an upsert on natural keys.

Per page:
1. each table's rows are written to a local Parquet file (with the page's batch id as a column)
   and `PUT` into a session-scoped temporary stage under `<batch>/<table>/` — outside any
   transaction: PUT is a file transfer, not a statement Snowflake can roll back;
2. one transaction: `COPY INTO ingest.landing_<table>` (a staging table shared by all sessions,
   rows told apart by batch id) from the staged files, then the upsert into `raw.<table>`, the
   quarantined records, the new-field records, the watermark, and the removal of the batch's
   staging rows; then COMMIT. A crash before COMMIT rolls all of it back (the temporary stage
   and its files die with the session), so the watermark never runs ahead of the rows.

No DDL happens inside that transaction: Snowflake commits the open transaction implicitly before
any DDL, which is why the staging tables are permanent (created once, in `ensure_schema`) rather
than a temporary table per page.

The upsert is DELETE of the batch's natural keys (always scoped to the batch's tenant, never read
from the rows) followed by INSERT, not a MERGE: it must run inside the page's transaction, and
fakesnow (the emulator the tests run against) implements MERGE with a temporary table of
candidates, which it cannot create inside an explicit transaction ("a single transaction can only
write to a single attached database"). DELETE+INSERT in one transaction is the same idempotent
upsert — dbt's `delete+insert` strategy — and it also covers child rows (receipt lines), where
lines a receipt no longer has must disappear, which a MERGE on line keys would not do.

The tenant's data version (`mercurios_meta.data_versions`, what the assistant's caches key on) is
bumped by `bump_data_version` after a load, once the marts are rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from guardrails.errors import ConfigError, InternalError
from ingestion.landing.batch import LandingBatch, LoadRecord, TableRows
from ingestion.landing.control_tables import CONTROL_DDL, load_log_finish, load_log_start
from ingestion.landing.duckdb_sink import arrow_rows
from ingestion.prohandel.resources import CONNECTOR_TABLES, table_spec
from ingestion.quality.validation import KnownKeys
from ingestion.raw_schema import RAW_TABLES, RawTable

STAGE = "ingest.mercurios_landing"
_CREATED = re.compile(r"CREATE (SCHEMA|TABLE) IF NOT EXISTS (\w+)(?:\.(\w+))?", re.IGNORECASE)
BATCH_COLUMN = "_batch"
DATA_VERSIONS_DDL = (
    "CREATE SCHEMA IF NOT EXISTS mercurios_meta",
    """CREATE TABLE IF NOT EXISTS mercurios_meta.data_versions (
  tenant_id VARCHAR NOT NULL,
  data_version VARCHAR NOT NULL,
  loaded_at TIMESTAMP,
  first_data_date DATE,
  last_data_date DATE
)""",
)


@dataclass(frozen=True)
class SnowflakeTarget:
    """Where and as whom the loader connects: MERCURIOS_LOADER of `dbt/snowflake/multi_tenant_setup.sql`
    (writes RAW and INGEST, bumps MERCURIOS_META.DATA_VERSIONS), not the assistant's read-only role."""

    account: str
    user: str
    password: str | None
    role: str
    warehouse: str
    database: str

    def connect(self) -> Any:
        """A connection in schema RAW, autocommit on (the sink opens its own transactions)."""
        import snowflake.connector  # optional dependency: `pip install mercurios[snowflake]`

        if not self.account or not self.user:
            raise ConfigError(
                "Snowflake landing needs MERCURIOS_SNOWFLAKE_ACCOUNT and MERCURIOS_SNOWFLAKE_USER"
            )
        try:
            return snowflake.connector.connect(
                account=self.account,
                user=self.user,
                password=self.password,
                role=self.role,
                warehouse=self.warehouse,
                database=self.database,
                schema="RAW",
                autocommit=True,
                session_parameters={"QUERY_TAG": "mercurios-ingest"},
            )
        except snowflake.connector.errors.DatabaseError as exc:
            raise ConfigError(
                f"cannot connect to Snowflake {self.account}/{self.database}: {exc.msg}"
            ) from exc


def staging_ddl(spec: RawTable) -> str:
    """The page staging table of a raw table: its columns, nullable, minus the sink's own two."""
    cols = [
        f"{name} {kind.replace(' NOT NULL', '')}"
        for name, kind in spec.columns
        if name not in ("tenant_id", "_loaded_at")
    ]
    return (
        f"CREATE TABLE IF NOT EXISTS ingest.landing_{spec.name} "
        f"({BATCH_COLUMN} VARCHAR NOT NULL, {', '.join(cols)})"
    )


class SnowflakeSink:
    """Snowflake as a `RawSink`; `con` is a snowflake-connector connection (fakesnow in tests)."""

    def __init__(self, con: Any, *, spool_dir: Path | None = None) -> None:
        self.con = con
        self._spool_owned = spool_dir is None
        self.spool = Path(spool_dir or tempfile.mkdtemp(prefix="mercurios-snowflake-"))
        self.spool.mkdir(parents=True, exist_ok=True)
        self.ensure_schema()

    # -- plumbing ---------------------------------------------------------------------------------

    def _run(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Any:
        cursor = self.con.cursor()
        cursor.execute(sql, params)
        return cursor

    def _one(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> tuple[Any, ...] | None:
        cursor = self._run(sql, params)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else tuple(row)

    def _all(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        cursor = self._run(sql, params)
        try:
            return [tuple(r) for r in cursor.fetchall()]
        finally:
            cursor.close()

    def _exec(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> int:
        cursor = self._run(sql, params)
        try:
            return int(cursor.rowcount or 0)
        finally:
            cursor.close()

    def _existing(self) -> tuple[set[str], set[tuple[str, str]]]:
        """The schemas and (schema, table) pairs of the current database, upper-case (as far as the
        role may see them: Snowflake's information schema lists only objects it has rights on)."""
        schemas = {
            str(r[0]).upper() for r in self._all("SELECT schema_name FROM information_schema.schemata")
        }
        tables = {
            (str(r[0]).upper(), str(r[1]).upper())
            for r in self._all(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_schema IN ('RAW', 'INGEST', 'MERCURIOS_META')"
            )
        }
        return schemas, tables

    def ensure_schema(self) -> None:
        """Raw, control, staging and data-version tables, and this session's temporary stage (DDL:
        each statement commits on its own, which is why it all happens here, before any page).

        Only what is missing is created: Snowflake checks the privilege of a `CREATE ... IF NOT
        EXISTS` even when the object exists, and the loader role of `multi_tenant_setup.sql` has
        no CREATE SCHEMA right on the database nor CREATE TABLE in MERCURIOS_META."""
        specs = (*RAW_TABLES, *CONNECTOR_TABLES)
        schemas, tables = self._existing()
        for statement in (
            "CREATE SCHEMA IF NOT EXISTS raw",
            *(t.ddl() for t in specs),
            *CONTROL_DDL,
            *(staging_ddl(t) for t in specs),
            *DATA_VERSIONS_DDL,
        ):
            created = _CREATED.match(statement)
            if created is None:
                raise InternalError(f"not a CREATE ... IF NOT EXISTS statement: {statement[:60]}")
            kind, schema, name = created.group(1), created.group(2).upper(), (created.group(3) or "").upper()
            if (kind == "SCHEMA" and schema in schemas) or (kind == "TABLE" and (schema, name) in tables):
                continue
            self._exec(statement)
            if kind == "SCHEMA":
                schemas.add(schema)
            else:
                tables.add((schema, name))
        self._exec(f"CREATE TEMPORARY STAGE IF NOT EXISTS {STAGE}")

    def close(self) -> None:
        if self._spool_owned:
            shutil.rmtree(self.spool, ignore_errors=True)

    # -- RawSink ----------------------------------------------------------------------------------

    def watermark(self, tenant_id: str, source: str, resource: str) -> dt.datetime | None:
        row = self._one(
            "SELECT watermark FROM ingest.watermarks WHERE tenant_id = %s AND source = %s AND resource = %s",
            [tenant_id, source, resource],
        )
        return None if row is None else row[0]

    def known_keys(self, tenant_id: str) -> KnownKeys:
        branches = self._all("SELECT branch_id FROM raw.prohandel_branches WHERE tenant_id = %s", [tenant_id])
        articles = self._all(
            "SELECT article_id FROM raw.prohandel_articles WHERE tenant_id = %s", [tenant_id]
        )
        return KnownKeys(frozenset(r[0] for r in branches), frozenset(r[0] for r in articles))

    def _put(self, batch_id: str, rows: TableRows) -> None:
        """Write the table's rows as Parquet and upload them to `<batch>/<table>/` in the stage."""
        data = arrow_rows(rows)
        data = data.append_column(BATCH_COLUMN, pa.array([batch_id] * data.num_rows, pa.string()))
        local = self.spool / f"{batch_id}-{rows.table}.parquet"
        pq.write_table(data, local)
        try:
            self._exec(
                f"PUT 'file://{local.as_posix()}' @{STAGE}/{batch_id}/{rows.table}/ "
                "AUTO_COMPRESS = FALSE OVERWRITE = TRUE"
            )
        finally:
            local.unlink(missing_ok=True)

    def _upsert(self, batch: LandingBatch, batch_id: str, rows: TableRows) -> None:
        spec = table_spec(rows.table)
        staging = f"ingest.landing_{rows.table}"
        self._exec(
            f"COPY INTO {staging} FROM @{STAGE}/{batch_id}/{rows.table}/ "
            "FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE) "
            "MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE PURGE = TRUE"
        )
        params = {"tenant": batch.tenant_id, "batch": batch_id, "loaded": batch.loaded_at}
        match_on = (rows.replace_by,) if rows.replace_by else rows.key
        if match_on:
            cond = " AND ".join(f"t.{c} = s.{c}" for c in match_on)
            self._exec(
                f"DELETE FROM raw.{rows.table} AS t USING (SELECT DISTINCT {', '.join(match_on)} "
                f"FROM {staging} WHERE {BATCH_COLUMN} = %(batch)s) AS s "
                f"WHERE t.tenant_id = %(tenant)s AND {cond}",
                params,
            )
        else:  # one row per tenant (the company record)
            self._exec(f"DELETE FROM raw.{rows.table} WHERE tenant_id = %(tenant)s", params)
        cols = [c for c in spec.column_names if c not in ("tenant_id", "_loaded_at")]
        inserted = self._exec(
            f"INSERT INTO raw.{rows.table} (tenant_id, _loaded_at, {', '.join(cols)}) "
            f"SELECT %(tenant)s, %(loaded)s, {', '.join(cols)} "
            f"FROM {staging} WHERE {BATCH_COLUMN} = %(batch)s",
            params,
        )
        self._exec(f"DELETE FROM {staging} WHERE {BATCH_COLUMN} = %(batch)s", params)
        if inserted != rows.num_rows:
            raise InternalError(
                f"raw.{rows.table}: staged {rows.num_rows} rows but {inserted} came through COPY INTO"
            )

    def _advance_watermark(self, batch: LandingBatch) -> None:
        assert batch.watermark is not None
        key = [batch.tenant_id, batch.source, batch.resource]
        updated = self._exec(
            "UPDATE ingest.watermarks SET watermark = GREATEST(watermark, %s), updated_at = %s "
            "WHERE tenant_id = %s AND source = %s AND resource = %s",
            [batch.watermark, batch.loaded_at, *key],
        )
        if not updated:
            self._exec(
                "INSERT INTO ingest.watermarks (tenant_id, source, resource, watermark, updated_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                [*key, batch.watermark, batch.loaded_at],
            )

    def land(self, batch: LandingBatch) -> None:
        batch_id = uuid.uuid4().hex
        tables = [rows for rows in batch.tables if rows.num_rows]
        for rows in tables:
            missing = (
                set(table_spec(rows.table).column_names) - set(rows.columns) - {"tenant_id", "_loaded_at"}
            )
            if missing:
                raise InternalError(f"raw.{rows.table}: batch lacks columns {sorted(missing)}")
        for rows in tables:
            self._put(batch_id, rows)
        self._exec("BEGIN")
        try:
            for rows in tables:
                self._upsert(batch, batch_id, rows)
            if batch.rejected:
                self.con.cursor().executemany(
                    "INSERT INTO raw.raw_rejected (tenant_id, source, resource, load_id, record_key, reason, "
                    "payload, _loaded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
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
                self._exec(
                    "DELETE FROM raw.raw_extra_fields WHERE tenant_id = %(tenant)s AND source = %(source)s "
                    "AND resource = %(resource)s AND record_key IN (%(keys)s)",
                    {
                        "tenant": batch.tenant_id,
                        "source": batch.source,
                        "resource": batch.resource,
                        "keys": tuple(k for k, _ in batch.extras),
                    },
                )
                self.con.cursor().executemany(
                    "INSERT INTO raw.raw_extra_fields (tenant_id, source, resource, record_key, fields, "
                    "_loaded_at) VALUES (%s, %s, %s, %s, %s, %s)",
                    [
                        [batch.tenant_id, batch.source, batch.resource, k, v, batch.loaded_at]
                        for k, v in batch.extras
                    ],
                )
            if batch.watermark is not None:
                self._advance_watermark(batch)
            self._exec("COMMIT")
        except BaseException:
            self._exec("ROLLBACK")
            raise

    def start_load(self, record: LoadRecord) -> None:
        self._exec(*load_log_start(record, "%s"))

    def finish_load(self, record: LoadRecord) -> None:
        self._exec(*load_log_finish(record, "%s"))

    def sweep(self, tenant_id: str, table: str, before: dt.datetime) -> pa.Table:
        """After a full refresh: drop the tenant's rows the source no longer delivers; answer their
        keys (read and deleted in one transaction, as Snowflake's DELETE returns no rows)."""
        key = list(table_spec(table).key) or ["tenant_id"]
        where = "WHERE tenant_id = %s AND _loaded_at < %s"
        self._exec("BEGIN")
        try:
            rows = self._all(f"SELECT {', '.join(key)} FROM raw.{table} {where}", [tenant_id, before])
            deleted = self._exec(f"DELETE FROM raw.{table} {where}", [tenant_id, before])
            if deleted != len(rows):
                raise InternalError(f"raw.{table}: {len(rows)} rows to sweep but {deleted} deleted")
            self._exec("COMMIT")
        except BaseException:
            self._exec("ROLLBACK")
            raise
        return pa.table({c: [r[i] for r in rows] for i, c in enumerate(key)})

    def last_loaded_at(self, tenant_id: str, table: str) -> dt.datetime | None:
        spec = table_spec(table)
        row = self._one(f"SELECT max(_loaded_at) FROM raw.{spec.name} WHERE tenant_id = %s", [tenant_id])
        return None if row is None else row[0]

    def raw_rows(
        self,
        tenant_id: str,
        table: str,
        *,
        since: dt.datetime | None = None,
        columns: Sequence[str] | None = None,
    ) -> pa.Table:
        """Fetched as rows and built into Arrow here (lower-case names; the lake casts the types):
        a catch-up after a crash is rare and small, and fakesnow has no Arrow fetch."""
        spec = table_spec(table)
        cols = list(columns or [c for c in spec.column_names if c != "tenant_id"])
        unknown = set(cols) - set(spec.column_names)
        if unknown:
            raise InternalError(f"raw.{spec.name} has no columns {sorted(unknown)}")
        where = "tenant_id = %s" if since is None else "tenant_id = %s AND _loaded_at > %s"
        params: list[Any] = [tenant_id] if since is None else [tenant_id, since]
        rows = self._all(f"SELECT {', '.join(cols)} FROM raw.{spec.name} WHERE {where}", params)
        return pa.table({c: pa.array([r[i] for r in rows]) for i, c in enumerate(cols)})

    # -- after the load ---------------------------------------------------------------------------

    def bump_data_version(self, tenant_id: str, load_id: str) -> str:
        """Give the tenant a new data version (its cached answers are recomputed); keeps the data
        dates the last mart build recorded. Returns the new version."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        version = hashlib.md5(f"{tenant_id}|{load_id}|{now.isoformat()}".encode()).hexdigest()[:16]
        self._exec("BEGIN")
        try:
            updated = self._exec(
                "UPDATE mercurios_meta.data_versions SET data_version = %s, loaded_at = %s "
                "WHERE tenant_id = %s",
                [version, now, tenant_id],
            )
            if not updated:
                self._exec(
                    "INSERT INTO mercurios_meta.data_versions (tenant_id, data_version, loaded_at) "
                    "VALUES (%s, %s, %s)",
                    [tenant_id, version, now],
                )
            self._exec("COMMIT")
        except BaseException:
            self._exec("ROLLBACK")
            raise
        return version

    def data_version(self, tenant_id: str) -> str | None:
        row = self._one(
            "SELECT data_version FROM mercurios_meta.data_versions WHERE tenant_id = %s "
            "ORDER BY loaded_at DESC LIMIT 1",
            [tenant_id],
        )
        return None if row is None else str(row[0])
