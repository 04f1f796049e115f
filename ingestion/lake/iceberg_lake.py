"""The raw-data lake: every landed page appended, as Parquet, to an Iceberg table per raw table.

One Iceberg table per (source, raw table) — `prohandel.prohandel_receipts` and so on — because each
raw table has its own typed columns. Each is partitioned by `tenant_id`, `resource` and `load_date`,
so its Parquet files sit under `.../data/tenant_id=<t>/resource=<r>/load_date=<d>/` and retention
can drop one tenant's old partitions whole. The natural key and the "replace children by parent"
rule travel as table properties, so a replay needs nothing but the lake.
"""

from __future__ import annotations

import datetime as dt
import re

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import NoSuchTableError
from pyiceberg.table import Table

from guardrails.errors import UserError
from ingestion.lake.catalog import LakeLocation, open_catalog
from ingestion.landing.batch import LandingBatch, TableRows
from ingestion.landing.duckdb_sink import arrow_rows

KEY_PROPERTY = "mercurios.natural-key"
REPLACE_BY_PROPERTY = "mercurios.replace-by"
RAW_TABLE_PROPERTY = "mercurios.raw-table"
PARTITION_COLUMNS = ("tenant_id", "resource", "load_date")
_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]+")


def tenant_filter(tenant_id: str) -> str:
    """An Iceberg row filter for one tenant; ids are slugs, anything else is refused, not quoted."""
    if not _SAFE_ID.fullmatch(tenant_id):
        raise UserError(f"not a tenant id: {tenant_id!r}")
    return f"tenant_id == '{tenant_id}'"


def _page_table(batch: LandingBatch, rows: TableRows) -> pa.Table:
    """The page's rows with the columns the sink adds (tenant, load time) and the lake's own."""
    data = arrow_rows(rows)
    n = data.num_rows
    lake_cols = {
        "tenant_id": pa.array([batch.tenant_id] * n, pa.string()),
        "resource": pa.array([batch.resource] * n, pa.string()),
        "load_date": pa.array([batch.loaded_at.date()] * n, pa.date32()),
        "load_id": pa.array([batch.load_id] * n, pa.string()),
        "_loaded_at": pa.array([batch.loaded_at] * n, pa.timestamp("us")),
    }
    for name, column in lake_cols.items():
        data = data.append_column(name, column)
    return data


class IcebergLake:
    """Append pages, list tables, read a table as of a point in time."""

    def __init__(self, location: LakeLocation) -> None:
        self.location = location
        self.catalog: SqlCatalog = open_catalog(location)
        self._tables: dict[tuple[str, str], Table] = {}

    def _table(self, source: str, rows: TableRows, schema: pa.Schema) -> Table:
        ident = (source, rows.table)
        if ident in self._tables:
            return self._tables[ident]
        self.catalog.create_namespace_if_not_exists(source)
        try:
            table = self.catalog.load_table(ident)
        except NoSuchTableError:
            table = self.catalog.create_table(
                ident,
                schema=schema,
                properties={
                    KEY_PROPERTY: ",".join(rows.key),
                    REPLACE_BY_PROPERTY: rows.replace_by or "",
                    RAW_TABLE_PROPERTY: rows.table,
                },
            )
            with table.update_spec() as spec:
                for column in PARTITION_COLUMNS:
                    spec.add_identity(column)
        self._tables[ident] = table
        return table

    def archive(self, batch: LandingBatch) -> None:
        """Append every table of a landed page (one Iceberg snapshot per raw table it touched)."""
        for rows in batch.tables:
            if rows.num_rows == 0:
                continue
            data = _page_table(batch, rows)
            table = self._table(batch.source, rows, data.schema)
            table.append(data)

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
