"""Bring the lake up to the warehouse when it fell behind: after a hard crash, or a `--no-lake` load.

The warehouse commit makes a page durable; the lake copy follows at the next flush. A process killed
in between (kill -9, power loss) leaves the warehouse — rows, watermark — ahead of the lake, and the
next incremental load does not fetch those pages again. So before a resource loads, its tables'
lake marks (the latest `_loaded_at` each tenant has in the lake, committed with the rows; see
`iceberg_lake`) are compared with the warehouse, and when the warehouse is ahead:

1. the tenant's rows the warehouse loaded after the mark are archived, with their own `_loaded_at`
   (so the lake gets exactly the versions it missed, once: the lake holds nothing past its mark),
   as the tenant that was asked for — the rows are read by that tenant id, never from a column;
2. keys the lake still holds live for the tenant that the warehouse no longer has (a full refresh's
   sweep whose tombstones were lost with the process) get tombstones, dated at the warehouse's
   latest load, so a replay does not bring them back. Rows still present need none: step 1 gives
   the lake their latest version.

When the lake holds nothing of a tenant's table, everything the warehouse holds of it is archived
(a lake switched on after loads without it). Retention does not undo this: expired rows leave the
mark in place, and only rows past the mark are ever re-archived.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.lake.iceberg_lake import (
    DELETED_COLUMN,
    IcebergLake,
    LakeTableSpec,
    constant,
    tenant_filter,
)
from ingestion.landing.protocols import RawSink


@dataclass(frozen=True)
class CaughtUp:
    table: str
    rows: int  # versions archived that the lake had missed
    tombstones: int  # keys the warehouse had dropped while the lake still held them


def resource_specs(source: str, resource: str) -> list[LakeTableSpec]:
    """The lake tables a resource's loads write (its raw table, and its child table)."""
    from ingestion.fivetran.shapes import FIVETRAN_TABLES
    from ingestion.prohandel.resources import RESOURCES_BY_NAME, SOURCE

    if source == SOURCE and resource in RESOURCES_BY_NAME:
        r = RESOURCES_BY_NAME[resource]
        specs = [LakeTableSpec(source, r.table, r.key)]
        if r.child is not None:
            specs.append(LakeTableSpec(source, r.child.table, r.child.key, r.child.parent_key_column))
        return specs
    return [
        LakeTableSpec(t.source, t.raw_table, t.key)
        for t in FIVETRAN_TABLES
        if t.source == source and t.name == resource
    ]


def _live_keys(lake: IcebergLake, spec: LakeTableSpec, tenant_id: str, match_on: Sequence[str]) -> pa.Table:
    """The keys whose latest version in the lake is a row, not a tombstone (the replay's rule)."""
    table = lake.catalog.load_table(spec.ident)
    if table.current_snapshot() is None:
        return pa.table({c: pa.array([], pa.string()) for c in match_on})
    names = {f.name for f in table.schema().fields}
    fields = [*match_on, "_loaded_at", *([DELETED_COLUMN] if DELETED_COLUMN in names else [])]
    data = table.scan(row_filter=tenant_filter(tenant_id), selected_fields=tuple(fields)).to_arrow()
    deleted = f"coalesce({DELETED_COLUMN}, false)" if DELETED_COLUMN in names else "false"
    keys = ", ".join(match_on)
    with duckdb.connect() as con:
        con.register("history", data)
        return con.sql(
            f"SELECT {keys} FROM (SELECT {keys}, {deleted} AS gone FROM history QUALIFY row_number() "
            f"OVER (PARTITION BY {keys} ORDER BY _loaded_at DESC, {deleted} DESC) = 1) WHERE NOT gone"
        ).to_arrow_table()


def _dropped(live: pa.Table, present: pa.Table, match_on: Sequence[str]) -> pa.Table:
    with duckdb.connect() as con:
        con.register("live", live)
        con.register("present", present)
        keys = ", ".join(match_on)
        return con.sql(f"SELECT {keys} FROM live EXCEPT SELECT {keys} FROM present").to_arrow_table()


def catch_up_table(
    lake: IcebergLake,
    warehouse: RawSink,
    spec: LakeTableSpec,
    *,
    tenant_id: str,
    resource: str,
    load_id: str,
) -> CaughtUp:
    """Stage what the lake missed of one tenant's table (see the module docstring); not flushed."""
    mark = lake.mark(spec.ident, tenant_id)
    latest = warehouse.last_loaded_at(tenant_id, spec.table)
    if latest is None or (mark is not None and latest <= mark):
        return CaughtUp(spec.table, 0, 0)
    rows = warehouse.raw_rows(tenant_id, spec.table, since=mark)
    n = rows.num_rows
    if n:
        loaded = rows["_loaded_at"].cast(pa.timestamp("us"))
        lake_cols: dict[str, pa.Array | pa.ChunkedArray] = {
            "tenant_id": constant(tenant_id, n, pa.string()),
            "resource": constant(resource, n, pa.string()),
            "load_date": pc.cast(loaded, pa.date32()),
            "load_id": constant(load_id, n, pa.string()),
            DELETED_COLUMN: constant(False, n, pa.bool_()),
        }
        rows = rows.set_column(rows.schema.get_field_index("_loaded_at"), "_loaded_at", loaded)
        for name, column in lake_cols.items():
            rows = rows.append_column(name, column)
        lake.stage_rows(spec, rows)
    tombstones = 0
    if mark is not None:
        match_on = [spec.replace_by] if spec.replace_by else list(spec.key)
        if match_on:
            present = warehouse.raw_rows(tenant_id, spec.table, columns=match_on)
            dropped = _dropped(_live_keys(lake, spec, tenant_id, match_on), present, match_on)
            if dropped.num_rows:
                tombstones = lake.stage_deletions(
                    source=spec.source,
                    table=spec.table,
                    tenant_id=tenant_id,
                    resource=resource,
                    load_id=load_id,
                    deleted_at=latest,
                    keys=dropped,
                )
    return CaughtUp(spec.table, n, tombstones)


def catch_up(
    lake: IcebergLake,
    warehouse: RawSink,
    *,
    tenant_id: str,
    source: str,
    resource: str,
    load_id: str,
) -> list[CaughtUp]:
    """Bring the lake's copy of a resource's tables up to the warehouse for one tenant; committed
    before returning. Returns what was archived per table (nothing when the lake was current)."""
    tenant_filter(tenant_id)  # refuse a malformed tenant id before reading anything
    done = [
        catch_up_table(lake, warehouse, spec, tenant_id=tenant_id, resource=resource, load_id=load_id)
        for spec in resource_specs(source, resource)
    ]
    if any(c.rows or c.tombstones for c in done):
        lake.flush()
    return [c for c in done if c.rows or c.tombstones]
