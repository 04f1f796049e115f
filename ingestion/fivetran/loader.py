"""Move what Fivetran landed (GA4, Klaviyo) into the raw tables, per tenant, incrementally.

Runs inside the warehouse as SQL: the data is already there, so the loader only tags it with
the connector's tenant, drops deleted rows, quarantines rows without a key and upserts on the
natural key. `_fivetran_synced` is the watermark and becomes `_loaded_at`.

With a lake, each load's rows are archived after the warehouse commit like ProHandel pages (lake
namespace = the source, one Iceberg table per raw table, `_loaded_at` = the row's sync time), and
Fivetran's deletes are archived as tombstones, so a replay of the lake gives the raw tables back.
A load first archives what an earlier one committed but never archived (`ingestion.lake.catch_up`).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from guardrails.errors import UserError
from ingestion.fivetran.shapes import DELETED, FIVETRAN_TABLES, SYNCED, FivetranTable
from ingestion.landing.batch import LoadRecord
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.prohandel.connector import utc_now

if TYPE_CHECKING:
    from ingestion.lake.iceberg_lake import IcebergLake

_IDENT_OK = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True)
class FivetranConnector:
    """One Fivetran connector of one tenant: which destination schema holds its tables."""

    tenant_id: str
    source: str  # "ga4" | "klaviyo"
    schema: str

    def __post_init__(self) -> None:
        if not self.schema or set(self.schema) - _IDENT_OK:
            raise UserError(
                f"Fivetran schema name {self.schema!r} must be lowercase letters, digits, underscores"
            )


def _archive(
    lake: IcebergLake,
    connector: FivetranConnector,
    table: FivetranTable,
    load_id: str,
    at: dt.datetime,
    live: pa.Table,
    deleted: pa.Table,
) -> None:
    from ingestion.lake.iceberg_lake import DELETED_COLUMN, LakeTableSpec

    spec = LakeTableSpec(table.source, table.raw_table, table.key)
    n = live.num_rows
    extra = {
        "tenant_id": pa.array([connector.tenant_id] * n, pa.string()),
        "resource": pa.array([table.name] * n, pa.string()),
        "load_date": pa.array([at.date()] * n, pa.date32()),
        "load_id": pa.array([load_id] * n, pa.string()),
        DELETED_COLUMN: pa.array([False] * n, pa.bool_()),
    }
    for name, column in extra.items():
        live = live.append_column(name, column)
    lake.stage_rows(spec, live)
    lake.stage_deletions(
        source=table.source,
        table=table.raw_table,
        tenant_id=connector.tenant_id,
        resource=table.name,
        load_id=load_id,
        deleted_at=at,
        keys=deleted,
    )
    lake.flush()


def load_table(
    sink: DuckDbSink,
    connector: FivetranConnector,
    table: FivetranTable,
    load_id: str,
    *,
    lake: IcebergLake | None = None,
) -> LoadRecord:
    con = sink.con
    tenant = connector.tenant_id
    record = LoadRecord(load_id, tenant, table.source, table.name, False, utc_now())
    clock = time.perf_counter()
    sink.start_load(record)
    if lake is not None:  # a process killed after a commit, before its archive: archive that now
        from ingestion.lake.catch_up import catch_up

        catch_up(
            lake,
            sink,
            tenant_id=tenant,
            source=table.source,
            resource=table.name,
            load_id=f"catch-up:{load_id}",
        )
    since = sink.watermark(tenant, table.source, table.name)
    src = f"{connector.schema}.{table.name}"
    deleted = f"coalesce({DELETED}, false)" if table.tracks_deletes else "false"
    key_null = " OR ".join(f"{c} IS NULL" for c, _ in table.columns if c in table.key)
    select_cols = ", ".join(f"{src_col} AS {raw_col}" for src_col, raw_col in table.columns)
    con.begin()
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _ft_batch AS SELECT {select_cols}, {SYNCED} AS _synced, "
            f"{deleted} AS _deleted, ({key_null}) AS _bad_key FROM {src} "
            f"WHERE $since IS NULL OR {SYNCED} > $since "
            f"QUALIFY row_number() OVER (PARTITION BY {', '.join(table.key)} ORDER BY {SYNCED} DESC) = 1",
            {"since": since},
        )
        counts = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE _bad_key), "
            "count(*) FILTER (WHERE _deleted AND NOT _bad_key), "
            "max(_synced) FROM _ft_batch"
        ).fetchone()
        assert counts is not None
        received, bad, deleted_n, watermark = int(counts[0]), int(counts[1]), int(counts[2]), counts[3]
        cols = [raw for _, raw in table.columns]
        con.execute(
            "INSERT INTO raw.raw_rejected SELECT $tenant, $source, $resource, $load, NULL, "
            "'null key column', to_json(b)::VARCHAR, $now FROM _ft_batch b WHERE _bad_key",
            {
                "tenant": tenant,
                "source": table.source,
                "resource": table.name,
                "load": load_id,
                "now": utc_now(),
            },
        )
        match = " AND ".join(f"t.{c} = b.{c}" for c in table.key)
        con.execute(
            f"DELETE FROM raw.{table.raw_table} AS t WHERE t.tenant_id = $tenant AND EXISTS "
            f"(SELECT 1 FROM _ft_batch b WHERE NOT b._bad_key AND {match})",
            {"tenant": tenant},
        )
        con.execute(
            f"INSERT INTO raw.{table.raw_table} (tenant_id, _loaded_at, {', '.join(cols)}) "
            f"SELECT $tenant, _synced, {', '.join(cols)} FROM _ft_batch WHERE NOT _bad_key AND NOT _deleted",
            {"tenant": tenant},
        )
        if lake is not None:
            live = con.sql(
                f"SELECT {', '.join(cols)}, _synced::TIMESTAMP AS _loaded_at FROM _ft_batch "
                "WHERE NOT _bad_key AND NOT _deleted"
            ).to_arrow_table()
            gone = con.sql(
                f"SELECT {', '.join(table.key)}, _synced::TIMESTAMP AS _loaded_at FROM _ft_batch "
                "WHERE _deleted AND NOT _bad_key"
            ).to_arrow_table()
        if watermark is not None:
            con.execute(
                "INSERT INTO ingest.watermarks VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                "watermark = greatest(watermark, excluded.watermark), updated_at = excluded.updated_at",
                [tenant, table.source, table.name, watermark, utc_now()],
            )
        con.execute("DROP TABLE _ft_batch")
        con.commit()
    except BaseException as exc:
        con.rollback()
        record.status, record.error = "failed", f"{type(exc).__name__}: {exc}"[:1000]
        record.finished_at, record.duration_s = utc_now(), time.perf_counter() - clock
        sink.finish_load(record)
        raise
    if lake is not None:
        _archive(lake, connector, table, load_id, utc_now(), live, gone)
    record.status = "success"
    record.pages = 1
    record.rows_received, record.rows_rejected = received, bad
    record.rows_loaded = received - bad - deleted_n
    record.watermark = watermark or since
    record.finished_at, record.duration_s = utc_now(), time.perf_counter() - clock
    if deleted_n:
        record.schema_drift = {"deleted": deleted_n}
    sink.finish_load(record)
    return record


def load_connector(
    sink: DuckDbSink, connector: FivetranConnector, *, lake: IcebergLake | None = None
) -> list[LoadRecord]:
    """Load every table of the connector's source that exists in its schema (archived in `lake`)."""
    load_id = uuid.uuid4().hex
    present = {
        r[0]
        for r in sink.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = ?", [connector.schema]
        ).fetchall()
    }
    tables = [t for t in FIVETRAN_TABLES if t.source == connector.source]
    missing = [t.name for t in tables if t.name not in present]
    if missing:
        raise UserError(
            f"Fivetran schema {connector.schema} lacks {', '.join(missing)} for {connector.source}: "
            f"has the connector synced yet? ({json.dumps(sorted(present))})"
        )
    return [load_table(sink, connector, t, load_id, lake=lake) for t in tables]
