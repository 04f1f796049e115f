"""Each tenant's data version, written after every dbt build of the marts (`mercurios_meta`).

A data version is a fingerprint of the tenant's marts: answers are cached under it, so a load that
changes a tenant's data changes its version and no cached answer of the old data is served again,
while a tenant whose data did not change keeps its version (and its cache). The tenant registry
(`mercurios_meta.tenants`) is rewritten alongside.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

_DATA_VERSION_SQL = """
CREATE SCHEMA IF NOT EXISTS mercurios_meta;
CREATE OR REPLACE TABLE mercurios_meta.data_versions AS
WITH sales AS (
    SELECT tenant_id, count(*) AS n, sum(net_amount) AS net, min(sale_date) AS first_day,
           max(sale_date) AS last_day
    FROM marts.fct_sales GROUP BY tenant_id
), stock AS (
    SELECT tenant_id, count(*) AS n, sum(on_hand_units) AS units FROM marts.fct_inventory_snapshots
    GROUP BY tenant_id
), web AS (
    SELECT tenant_id, count(*) AS n, sum(sessions) AS s FROM marts.fct_web_sessions GROUP BY tenant_id
), mail AS (
    SELECT tenant_id, count(*) AS n, sum(recipients) AS r FROM marts.fct_email_campaigns GROUP BY tenant_id
), loads AS (
    SELECT tenant_id, max(_loaded_at) AS loaded_at FROM raw.tenants GROUP BY tenant_id
)
SELECT t.tenant_id,
       substr(md5(concat_ws('|', t.tenant_id, sales.n, sales.net, stock.n, stock.units, web.n, web.s,
                            mail.n, mail.r, loads.loaded_at)), 1, 16) AS data_version,
       loads.loaded_at,
       sales.first_day AS first_data_date,
       sales.last_day AS last_data_date
FROM marts.dim_tenants t
LEFT JOIN sales USING (tenant_id)
LEFT JOIN stock USING (tenant_id)
LEFT JOIN web USING (tenant_id)
LEFT JOIN mail USING (tenant_id)
LEFT JOIN loads USING (tenant_id)
ORDER BY t.tenant_id;
CREATE OR REPLACE TABLE mercurios_meta.tenants AS
SELECT tenant_id, tenant_name, currency, timezone, locale FROM marts.dim_tenants ORDER BY tenant_id;
"""


def record_data_versions(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)write each tenant's data version and the tenant registry from the marts (after dbt)."""
    con.execute(_DATA_VERSION_SQL)


def read_data_versions(path: Path) -> dict[str, str]:
    """The recorded data version of every tenant ({} before the first build)."""
    with duckdb.connect(str(path), read_only=True) as con:
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'mercurios_meta' "
            "AND table_name = 'data_versions'"
        ).fetchone()
        if not exists or not exists[0]:
            return {}
        rows = con.execute("SELECT tenant_id, data_version FROM mercurios_meta.data_versions").fetchall()
    return {str(t): str(v) for t, v in rows}
