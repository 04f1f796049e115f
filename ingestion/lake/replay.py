"""Replay the lake, as of a point in time, into a warehouse's raw tables.

The lake is an append-only history of landed pages; the warehouse holds the latest version of each
record. Replaying applies the sink's own rules to that history: per tenant and natural key the row
of the latest page wins; child rows (receipt lines) come from the latest page of their parent; a
table keyed by tenant alone keeps the tenant's latest row. When the latest version of a key (or of
a parent, for child rows) is a tombstone (`_deleted`: a full-refresh sweep or a Fivetran delete),
the record is absent from the replayed state. Lake tables archived before tombstones existed have
no `_deleted` column and read as "nothing deleted".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from guardrails.errors import InternalError
from ingestion.lake.errors import LakeSnapshotNotFound
from ingestion.lake.iceberg_lake import (
    DELETED_COLUMN,
    KEY_PROPERTY,
    RAW_TABLE_PROPERTY,
    REPLACE_BY_PROPERTY,
    IcebergLake,
)
from ingestion.landing.duckdb_sink import ensure_schema


@dataclass(frozen=True)
class ReplayedTable:
    table: str
    lake_rows: int
    raw_rows: int


def replay(
    lake: IcebergLake,
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: dt.datetime | None = None,
    tenant_id: str | None = None,
) -> list[ReplayedTable]:
    """Rebuild the raw tables the lake covers in `con` (their current rows for the tenants replayed
    are replaced); `tenant_id` limits the replay to one tenant."""
    ensure_schema(con)
    done: list[ReplayedTable] = []
    for table in lake.tables():
        data = lake.read(table, as_of, tenant_id)
        if data is None:
            continue
        props = table.properties
        raw = props[RAW_TABLE_PROPERTY]
        key = [c for c in props.get(KEY_PROPERTY, "").split(",") if c]
        replace_by = props.get(REPLACE_BY_PROPERTY) or None
        cols = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' "
                "AND table_name = ? ORDER BY ordinal_position",
                [raw],
            ).fetchall()
        ]
        # columns the raw table gained after these pages were archived come back as NULL
        cols = [c for c in cols if c in data.column_names]
        view = f"_replay_{raw}"
        con.register(view, data)
        deleted = f"coalesce({DELETED_COLUMN}, false)" if DELETED_COLUMN in data.column_names else "false"
        try:
            if replace_by:
                latest = (
                    f"SELECT * FROM {view} QUALIFY _loaded_at = "
                    f"max(_loaded_at) OVER (PARTITION BY tenant_id, {replace_by})"
                )
            else:
                part = ", ".join(["tenant_id", *key])
                latest = (
                    f"SELECT * FROM {view} QUALIFY row_number() OVER "
                    f"(PARTITION BY {part} ORDER BY _loaded_at DESC, {deleted} DESC) = 1"
                )
            latest = f"SELECT * FROM ({latest}) WHERE NOT {deleted}"
            con.begin()
            try:
                con.execute(
                    f"DELETE FROM raw.{raw} WHERE tenant_id IN (SELECT DISTINCT tenant_id FROM {view})"
                )
                con.execute(
                    f"INSERT INTO raw.{raw} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM ({latest})"
                )
                con.commit()
            except duckdb.Error as exc:
                con.rollback()
                raise InternalError(f"replaying the lake into raw.{raw} failed: {exc}") from exc
            except BaseException:
                con.rollback()
                raise
        finally:
            con.unregister(view)
        n = con.execute(f"SELECT count(*) FROM raw.{raw}").fetchone()
        done.append(ReplayedTable(raw, data.num_rows, int(n[0]) if n else 0))
    if as_of is not None and not done:
        raise LakeSnapshotNotFound(f"the lake has no snapshot at or before {as_of.isoformat()}")
    return done
