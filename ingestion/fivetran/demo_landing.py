"""Fill Fivetran-shaped destination schemas from the demo generator (the demo has no Fivetran).

Production GA4/Klaviyo data arrives through Fivetran; for the demo the generator's rows are
written in Fivetran's shape (per-tenant schema, `_fivetran_synced`, `_fivetran_deleted`) and then
go through the same loader as real data.
"""

from __future__ import annotations

import duckdb

from ingestion.fivetran.loader import FivetranConnector
from ingestion.fivetran.shapes import DELETED, FIVETRAN_TABLES, SYNCED


def demo_connectors(tenant_id: str, code: str) -> list[FivetranConnector]:
    return [
        FivetranConnector(tenant_id, source, f"fivetran_{source}_{code}") for source in ("ga4", "klaviyo")
    ]


def write_fivetran_demo(
    con: duckdb.DuckDBPyConnection, demo_con: duckdb.DuckDBPyConnection, tenant_id: str, code: str
) -> list[FivetranConnector]:
    """Copy one tenant's GA4/Klaviyo raw demo rows (in `demo_con`) into Fivetran-shaped schemas in `con`."""
    connectors = demo_connectors(tenant_id, code)
    by_source = {c.source: c for c in connectors}
    for table in FIVETRAN_TABLES:
        schema = by_source[table.source].schema
        cols = ", ".join(f"{raw} AS {src}" for src, raw in table.columns)
        extra = f", false AS {DELETED}" if table.tracks_deletes else ""
        arrow = demo_con.sql(
            f"SELECT {cols}, _loaded_at AS {SYNCED}{extra} FROM raw.{table.raw_table} WHERE tenant_id = ?",
            params=[tenant_id],
        ).to_arrow_table()
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.register("_ft_demo", arrow)
        try:
            con.execute(f"CREATE OR REPLACE TABLE {schema}.{table.name} AS SELECT * FROM _ft_demo")
        finally:
            con.unregister("_ft_demo")
    return connectors
