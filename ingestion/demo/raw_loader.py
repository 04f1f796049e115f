"""Insert Arrow columns into a raw table, checked against the raw landing contract.

The column set must match `ingestion.raw_schema` exactly: a missing or extra column is our bug
and fails loudly here rather than as a confusing dbt error later.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pyarrow as pa

from guardrails.errors import InternalError
from ingestion.raw_schema import RAW_TABLES_BY_NAME


def insert_columns(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, pa.Array]) -> int:
    spec = RAW_TABLES_BY_NAME.get(table)
    if spec is None:
        raise InternalError(f"demo generator wrote to unknown raw table {table!r}")
    if set(columns) != set(spec.column_names):
        missing = sorted(set(spec.column_names) - set(columns))
        extra = sorted(set(columns) - set(spec.column_names))
        raise InternalError(
            f"raw.{table}: columns do not match the contract (missing {missing}, extra {extra})"
        )
    arrow_table = pa.table({name: columns[name] for name in spec.column_names})
    if arrow_table.num_rows == 0:
        return 0
    view = f"_demo_{table}"
    names = ", ".join(spec.column_names)
    con.register(view, arrow_table)
    try:
        con.execute(f"INSERT INTO raw.{table} ({names}) SELECT {names} FROM {view}")
    finally:
        con.unregister(view)
    return arrow_table.num_rows
