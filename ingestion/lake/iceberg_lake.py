"""The raw-data lake: every landed page appended, as Parquet, to an Iceberg table per raw table.

One Iceberg table per (source, raw table) — `prohandel.prohandel_receipts` and so on — because each
raw table has its own typed columns. Each is partitioned by `tenant_id`, `resource` and `load_date`,
so its Parquet files sit under `.../data/tenant_id=<t>/resource=<r>/load_date=<d>/` and retention
can drop one tenant's old partitions whole. The natural key and the "replace children by parent"
rule travel as table properties, so a replay needs nothing but the lake.

Deletions are history too: a record the warehouse drops (a full refresh no longer delivering it,
a Fivetran `_fivetran_deleted` row) is appended as a tombstone — its key, `_deleted = true`, the
time of the deletion as `_loaded_at` — so replaying the lake yields the state after the deletion.

Pages are staged in memory and committed in batches (`flush`): one Iceberg commit per table per
flush instead of one per page, because each commit rewrites a manifest list and the table
metadata. The lake is an archive, not the system of record: the warehouse commit is what makes a
page durable and lets the watermark advance; the lake may lag by the pages staged since the last
flush (see `ArchivingSink`).

Each commit also records, per tenant, the lake's *mark*: the latest `_loaded_at` of that tenant's
rows (and tombstones) the table holds, as a table property set in the same Iceberg commit as the
rows. Pages are committed in the order they landed, so the lake holds every version the warehouse
landed up to the mark; `ingestion.lake.catch_up` re-archives what the warehouse holds past it (the
pages a killed process had staged but not committed).
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import NoSuchTableError
from pyiceberg.table import Table
from pyiceberg.types import BooleanType

from guardrails.errors import UserError
from ingestion.lake.catalog import LakeLocation, open_catalog
from ingestion.landing.batch import LandingBatch, TableRows
from ingestion.landing.duckdb_sink import arrow_rows

KEY_PROPERTY = "mercurios.natural-key"
REPLACE_BY_PROPERTY = "mercurios.replace-by"
RAW_TABLE_PROPERTY = "mercurios.raw-table"
MARK_PROPERTY_PREFIX = "mercurios.lake-mark."
DELETED_COLUMN = "_deleted"
PARTITION_COLUMNS = ("tenant_id", "resource", "load_date")
_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]+")


def tenant_filter(tenant_id: str) -> str:
    """An Iceberg row filter for one tenant; ids are slugs, anything else is refused, not quoted."""
    if not _SAFE_ID.fullmatch(tenant_id):
        raise UserError(f"not a tenant id: {tenant_id!r}")
    return f"tenant_id == '{tenant_id}'"


def mark_property(tenant_id: str) -> str:
    """The table property holding a tenant's mark (tenant ids are slugs: checked, not escaped)."""
    tenant_filter(tenant_id)
    return f"{MARK_PROPERTY_PREFIX}{tenant_id}"


def _newest_per_tenant(data: pa.Table) -> dict[str, dt.datetime]:
    grouped = (
        data.select(["tenant_id", "_loaded_at"]).group_by("tenant_id").aggregate([("_loaded_at", "max")])
    )
    return {
        str(t): m
        for t, m in zip(grouped["tenant_id"].to_pylist(), grouped["_loaded_at_max"].to_pylist(), strict=True)
        if m is not None
    }


def constant(value: object, n: int, kind: pa.DataType) -> pa.Array:
    """`n` copies of `value`, built in Arrow (no Python list of n items)."""
    return pa.nulls(n, kind).fill_null(value)


def _lake_columns(
    n: int, *, tenant_id: str, resource: str, load_id: str, loaded_at: dt.datetime
) -> dict[str, pa.Array | pa.ChunkedArray]:
    return {
        "tenant_id": constant(tenant_id, n, pa.string()),
        "resource": constant(resource, n, pa.string()),
        "load_date": constant(loaded_at.date(), n, pa.date32()),
        "load_id": constant(load_id, n, pa.string()),
    }


def _page_table(batch: LandingBatch, rows: TableRows) -> pa.Table:
    """The page's rows with the columns the sink adds (tenant, load time) and the lake's own."""
    data = arrow_rows(rows)
    n = data.num_rows
    lake_cols = _lake_columns(
        n,
        tenant_id=batch.tenant_id,
        resource=batch.resource,
        load_id=batch.load_id,
        loaded_at=batch.loaded_at,
    )
    lake_cols["_loaded_at"] = constant(batch.loaded_at, n, pa.timestamp("us"))
    lake_cols[DELETED_COLUMN] = constant(False, n, pa.bool_())
    for name, column in lake_cols.items():
        data = data.append_column(name, column)
    return data


@dataclass(frozen=True)
class LakeTableSpec:
    """Which lake table rows go to, and the rules a replay applies to them."""

    source: str
    table: str  # the raw table
    key: tuple[str, ...]
    replace_by: str | None = None

    @property
    def ident(self) -> tuple[str, str]:
        return (self.source, self.table)


def _conform(data: pa.Table, schema: pa.Schema) -> pa.Table:
    """`data` in the table's column order and types; columns it lacks come as nulls."""
    columns = []
    for field in schema:
        if field.name in data.column_names:
            columns.append(data[field.name].cast(field.type))
        else:
            columns.append(pa.nulls(data.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


class IcebergLake:
    """Stage pages and deletions, commit them in batches, list tables, read as of a point in time."""

    def __init__(self, location: LakeLocation) -> None:
        self.location = location
        self.catalog: SqlCatalog = open_catalog(location)
        self._tables: dict[tuple[str, str], Table] = {}
        self._pending: dict[tuple[str, str], tuple[LakeTableSpec, list[pa.Table]]] = {}
        self.pending_rows = 0
        self.commits = 0
        # Iceberg work (table creation, schema evolution, Parquet writing, commits) happens on one
        # worker thread, in submission order, so it overlaps fetching and landing the next pages;
        # the caller only ever touches Iceberg after `flush()` has waited for the worker.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lake-commit")
        self._in_flight: list[Future[int]] = []

    def _table(self, spec: LakeTableSpec, schema: pa.Schema) -> Table:
        """The lake table, created on first use; evolved when rows bring columns it lacks."""
        ident = spec.ident
        table = self._tables.get(ident)
        if table is None:
            self.catalog.create_namespace_if_not_exists(spec.source)
            try:
                table = self.catalog.load_table(ident)
            except NoSuchTableError:
                table = self.catalog.create_table(
                    ident,
                    schema=schema,
                    properties={
                        KEY_PROPERTY: ",".join(spec.key),
                        REPLACE_BY_PROPERTY: spec.replace_by or "",
                        RAW_TABLE_PROPERTY: spec.table,
                    },
                )
                with table.update_spec() as update:
                    for column in PARTITION_COLUMNS:
                        update.add_identity(column)
        known = {f.name for f in table.schema().fields}
        if DELETED_COLUMN not in known:  # tables archived before deletions were recorded
            with table.update_schema() as update:
                update.add_column(DELETED_COLUMN, BooleanType())
        if set(schema.names) - known - {DELETED_COLUMN}:
            with table.update_schema() as update:
                update.union_by_name(schema)
        self._tables[ident] = table
        return table

    def stage_rows(self, spec: LakeTableSpec, data: pa.Table) -> None:
        """Queue rows (with the lake's columns) for the next flush."""
        if data.num_rows == 0:
            return
        self._pending.setdefault(spec.ident, (spec, []))[1].append(data)
        self.pending_rows += data.num_rows

    def stage(self, batch: LandingBatch) -> None:
        """Queue every table of a landed page."""
        for rows in batch.tables:
            if rows.num_rows:
                spec = LakeTableSpec(batch.source, rows.table, rows.key, rows.replace_by)
                self.stage_rows(spec, _page_table(batch, rows))

    def stage_deletions(
        self,
        *,
        source: str,
        table: str,
        tenant_id: str,
        resource: str,
        load_id: str,
        deleted_at: dt.datetime,
        keys: pa.Table,
    ) -> int:
        """Queue tombstones for rows the warehouse dropped; `keys` holds at least their natural key
        (or, for child tables, the parent key), and may carry each deletion's own time as
        `_loaded_at` (Fivetran's sync time). A table the lake never saw needs none: nothing in the
        lake could bring those rows back. Returns the number of tombstones."""
        ident = (source, table)
        self.flush()  # the worker may be creating that table; sweeps are rare, waiting is cheap
        try:
            loaded = self._tables.get(ident) or self.catalog.load_table(ident)
        except NoSuchTableError:
            return 0
        props = loaded.properties
        replace_by = props.get(REPLACE_BY_PROPERTY) or None
        key = [c for c in props.get(KEY_PROPERTY, "").split(",") if c]
        match_on = [replace_by] if replace_by else key
        if not match_on or keys.num_rows == 0:
            return 0
        if "_loaded_at" in keys.column_names:  # each deletion at its own time
            grouped = keys.group_by(match_on).aggregate([("_loaded_at", "max")])
            data = grouped.select(match_on)
            times = grouped["_loaded_at_max"].cast(pa.timestamp("us"))
        else:
            data = keys.select(match_on).group_by(match_on).aggregate([])
            times = pa.chunked_array([constant(deleted_at, data.num_rows, pa.timestamp("us"))])
        n = data.num_rows
        lake_cols = _lake_columns(
            n, tenant_id=tenant_id, resource=resource, load_id=load_id, loaded_at=deleted_at
        )
        lake_cols["_loaded_at"] = times
        lake_cols[DELETED_COLUMN] = constant(True, n, pa.bool_())
        for name, column in lake_cols.items():
            data = data.append_column(name, column)
        self.stage_rows(LakeTableSpec(source, table, tuple(key), replace_by), data)
        return n

    def _commit(self, pending: list[tuple[LakeTableSpec, list[pa.Table]]]) -> int:
        committed = 0
        for spec, parts in pending:
            table = self._table(spec, parts[0].schema)
            schema = table.schema().as_arrow()
            data = pa.concat_tables([_conform(part, schema) for part in parts])
            marks: dict[str, str] = {}
            for tenant_id, newest in _newest_per_tenant(data).items():
                key = mark_property(tenant_id)
                held = table.properties.get(key)
                if held is None or dt.datetime.fromisoformat(held) < newest:
                    marks[key] = newest.isoformat()
            # the rows and the marks they move forward are one Iceberg commit: both or neither
            with table.transaction() as tx:
                tx.append(data)
                if marks:
                    tx.set_properties(marks)
            self.commits += 1
            committed += data.num_rows
        return committed

    def flush_in_background(self) -> None:
        """Hand everything staged to the commit worker and return (one append per table)."""
        if not self._pending:
            return
        pending = [self._pending[ident] for ident in sorted(self._pending)]
        self._pending = {}
        self.pending_rows = 0
        self._in_flight.append(self._worker.submit(self._commit, pending))

    def flush(self) -> int:
        """Commit everything staged and wait until every commit is done; re-raise a failed one.
        Returns the rows committed since the last `flush`."""
        self.flush_in_background()
        in_flight, self._in_flight = self._in_flight, []
        errors: list[BaseException] = []
        committed = 0
        for future in in_flight:
            try:
                committed += future.result()
            except Exception as exc:  # every future is awaited before the first error is raised
                errors.append(exc)
        if errors:
            raise errors[0]
        return committed

    def close(self) -> None:
        self.flush()
        self._worker.shutdown()

    def archive(self, batch: LandingBatch) -> None:
        """Stage and commit one landed page at once (one snapshot per raw table it touched)."""
        self.stage(batch)
        self.flush()

    def mark(self, ident: tuple[str, str], tenant_id: str) -> dt.datetime | None:
        """The latest `_loaded_at` of the tenant the lake table holds, committed; None if it holds
        nothing of the tenant. Read fresh from the catalog (another process may have committed);
        staged work is flushed first. Tables archived before marks existed: read from the rows."""
        self.flush()
        try:
            table = self.catalog.load_table(ident)
        except NoSuchTableError:
            return None
        self._tables[ident] = table
        held = table.properties.get(mark_property(tenant_id))
        if held is not None:
            return dt.datetime.fromisoformat(held)
        if table.current_snapshot() is None:
            return None
        times = table.scan(row_filter=tenant_filter(tenant_id), selected_fields=("_loaded_at",)).to_arrow()
        newest = pc.max(times["_loaded_at"]).as_py() if times.num_rows else None
        return newest if isinstance(newest, dt.datetime) else None

    def tables(self) -> list[Table]:
        """Every lake table, fresh from the catalog (sorted, so replays are deterministic)."""
        found = []
        for (namespace,) in sorted(self.catalog.list_namespaces()):
            for ident in sorted(self.catalog.list_tables(namespace)):
                found.append(self.catalog.load_table(ident))
        return found

    def tenants(self) -> set[str]:
        """Tenants with any page in the lake's current state."""
        found: set[str] = set()
        for table in self.tables():
            if table.current_snapshot() is not None:
                column = table.scan(selected_fields=("tenant_id",)).to_arrow()["tenant_id"]
                found.update(str(t) for t in column.unique().to_pylist())
        return found

    @staticmethod
    def read(table: Table, as_of: dt.datetime | None = None, tenant_id: str | None = None) -> pa.Table | None:
        """The table's rows as of `as_of` (UTC, naive), or now; None if it had no snapshot then.

        `tenant_id` is pushed into the scan, so other tenants' partitions are not even opened."""
        if as_of is None:
            snapshot = table.current_snapshot()
        else:
            millis = int(as_of.replace(tzinfo=dt.UTC).timestamp() * 1000)
            snapshot = table.snapshot_as_of_timestamp(millis)
        if snapshot is None:
            return None
        if tenant_id is None:
            return table.scan(snapshot_id=snapshot.snapshot_id).to_arrow()
        return table.scan(snapshot_id=snapshot.snapshot_id, row_filter=tenant_filter(tenant_id)).to_arrow()
