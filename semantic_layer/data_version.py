"""A data version per tenant, for caches to key on.

The warehouse build writes `mercurios_meta.data_versions(tenant_id, data_version, loaded_at,
first_data_date, last_data_date)`. Reading it is internal metadata, yet it still goes through the
guard (with the tenant), because the warehouse runs nothing else. When the table is absent (a
warehouse built by plain `dbt build`, a customer's project) or has no row for the tenant, the
version falls back to the warehouse's fingerprint (for DuckDB: the file's mtime and size), which
changes on every rebuild — coarser (all tenants at once) but never stale; `source` says which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from semantic_layer.errors import WarehouseQueryError
from semantic_layer.protocols import SqlGuard, Warehouse
from semantic_layer.where_filters import sql_literal

_DATA_VERSION_SQL = (
    "SELECT data_version, loaded_at, first_data_date, last_data_date "
    "FROM mercurios_meta.data_versions WHERE tenant_id = {tenant} ORDER BY loaded_at DESC LIMIT 1"
)


@dataclass(frozen=True)
class DataVersion:
    value: str
    source: Literal["table", "fingerprint"]
    loaded_at: dt.datetime | None = None
    first_data_date: dt.date | None = None
    last_data_date: dt.date | None = None


def read_data_version(warehouse: Warehouse, guard: SqlGuard, tenant_id: str | None) -> DataVersion:
    """The tenant's data version from the metadata table, else the warehouse fingerprint."""
    fallback = DataVersion(value=f"fingerprint:{warehouse.fingerprint()}", source="fingerprint")
    if tenant_id is None:
        return fallback
    sql = _DATA_VERSION_SQL.format(tenant=sql_literal(tenant_id, warehouse.dialect))
    try:
        result = warehouse.execute(guard(sql, tenant_id=tenant_id), timeout_s=10.0, row_cap=1)
    except WarehouseQueryError:
        return fallback  # the table does not exist in this warehouse (see module docstring)
    if not result.rows:
        return fallback
    version, loaded_at, first, last = result.rows[0]
    return DataVersion(
        value=str(version),
        source="table",
        loaded_at=loaded_at if isinstance(loaded_at, dt.datetime) else None,
        first_data_date=first if isinstance(first, dt.date) else None,
        last_data_date=last if isinstance(last, dt.date) else None,
    )
