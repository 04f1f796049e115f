"""A small fixture warehouse for the guard tests: the contract marts of DESIGN.md for three tenants.

Every row carries its tenant id, every text value names its tenant, keys are unique across
tenants and each tenant's amounts live in a disjoint range, so any leak shows up in a returned
value or an aggregate. Besides the full warehouse there is one "oracle" warehouse per tenant that
holds only that tenant's rows: a correctly scoped query returns the same on both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

TENANTS: tuple[str, ...] = ("nordwind-fashion", "alpen-sport", "baltic-home")

_DDL = """
CREATE SCHEMA marts;
CREATE TABLE marts.dim_tenants (tenant_id VARCHAR, tenant_name VARCHAR, currency VARCHAR, timezone VARCHAR,
    country VARCHAR);
CREATE TABLE marts.dim_stores (tenant_id VARCHAR, store_id INTEGER, store_name VARCHAR, city VARCHAR,
    region VARCHAR, country VARCHAR, store_type VARCHAR, opened_on DATE, selling_area_sqm DOUBLE);
CREATE TABLE marts.dim_products (tenant_id VARCHAR, product_id INTEGER, sku VARCHAR, product_name VARCHAR,
    category VARCHAR, subcategory VARCHAR, brand VARCHAR, color VARCHAR, season VARCHAR, list_price DOUBLE,
    unit_cost DOUBLE);
CREATE TABLE marts.dim_customers (tenant_id VARCHAR, customer_id INTEGER, city VARCHAR, loyalty_tier VARCHAR,
    signup_date DATE, home_store_id INTEGER, rfm_segment VARCHAR);
CREATE TABLE marts.fct_sales (tenant_id VARCHAR, sale_line_id INTEGER, receipt_id INTEGER, sold_at TIMESTAMP,
    sale_date DATE, store_id INTEGER, product_id INTEGER, customer_id INTEGER, channel VARCHAR,
    quantity INTEGER, gross_amount DOUBLE, discount_amount DOUBLE, net_amount DOUBLE, cost_amount DOUBLE,
    is_return BOOLEAN);
CREATE TABLE marts.fct_inventory_snapshots (tenant_id VARCHAR, snapshot_date DATE, store_id INTEGER,
    product_id INTEGER, on_hand_units INTEGER, on_order_units INTEGER, inventory_cost_value DOUBLE);
CREATE TABLE marts.fct_web_sessions (tenant_id VARCHAR, session_date DATE, source VARCHAR, medium VARCHAR,
    device_category VARCHAR, sessions INTEGER, engaged_sessions INTEGER, add_to_carts INTEGER,
    transactions INTEGER, purchase_revenue DOUBLE);
CREATE TABLE marts.fct_email_campaigns (tenant_id VARCHAR, campaign_id INTEGER, campaign_name VARCHAR,
    sent_at TIMESTAMP, send_date DATE, recipients INTEGER, delivered INTEGER, opens INTEGER, clicks INTEGER,
    unsubscribes INTEGER, attributed_orders INTEGER, attributed_revenue DOUBLE);
CREATE TABLE marts.metricflow_time_spine (date_day DATE);
"""

_START = dt.date(2024, 1, 1)


def _fill(conn: duckdb.DuckDBPyConnection, tenants: tuple[str, ...]) -> None:
    conn.execute(_DDL)
    conn.executemany(
        "INSERT INTO marts.metricflow_time_spine VALUES (?)",
        [(_START + dt.timedelta(days=d),) for d in range(120)],
    )
    for tenant in tenants:
        k = TENANTS.index(tenant)
        base = (k + 1) * 1000  # disjoint id and amount ranges per tenant
        conn.execute(
            "INSERT INTO marts.dim_tenants VALUES (?, ?, 'EUR', 'Europe/Berlin', ?)",
            [tenant, f"{tenant} GmbH", ["DE", "AT", "LT"][k]],
        )
        for s in range(3):
            conn.execute(
                "INSERT INTO marts.dim_stores VALUES (?, ?, ?, ?, ?, 'DE', ?, ?, ?)",
                [
                    tenant,
                    base + s,
                    f"{tenant} store {s}",
                    f"{tenant} city {s % 2}",
                    f"{tenant} region",
                    "flagship" if s == 0 else "outlet",
                    _START - dt.timedelta(days=400 * (s + 1)),
                    100.0 * (k + 1) + s,
                ],
            )
        for p in range(4):
            conn.execute(
                "INSERT INTO marts.dim_products VALUES (?, ?, ?, ?, ?, ?, ?, 'red', 'SS24', ?, ?)",
                [
                    tenant,
                    base + p,
                    f"{tenant}-sku-{p}",
                    f"{tenant} product {p}",
                    ["shoes", "shirts"][p % 2],
                    "sub",
                    f"{tenant} brand",
                    base + 10.0 * p,
                    base / 2 + p,
                ],
            )
        for c in range(3):
            conn.execute(
                "INSERT INTO marts.dim_customers VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    tenant,
                    base + c,
                    f"{tenant} city {c % 2}",
                    ["gold", "silver"][c % 2],
                    _START + dt.timedelta(days=10 * c + k),
                    base + c % 3,
                    f"{tenant} segment",
                ],
            )
        for line in range(24):
            day = _START + dt.timedelta(days=3 * line + k)
            is_return = line % 7 == 6
            qty = -1 if is_return else 1 + line % 3
            gross = float(base + 10 * line + 5) * (1 if qty > 0 else -1)
            conn.execute(
                "INSERT INTO marts.fct_sales VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    tenant,
                    base * 10 + line,
                    base * 10 + line // 2,
                    dt.datetime.combine(day, dt.time(10 + k)),
                    day,
                    base + line % 3,
                    base + line % 4,
                    None if line % 5 == 4 else base + line % 3,
                    "online" if line % 2 else "store",
                    qty,
                    gross,
                    float(k + 1),
                    gross - (k + 1),
                    gross / 2,
                    is_return,
                ],
            )
        for week in range(6):
            for s in range(2):
                conn.execute(
                    "INSERT INTO marts.fct_inventory_snapshots VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        tenant,
                        _START + dt.timedelta(days=6 + 7 * week),
                        base + s,
                        base + week % 4,
                        base + 10 * week + s,
                        k + 1,
                        float(base * 3 + week),
                    ],
                )
        for d in range(10):
            conn.execute(
                "INSERT INTO marts.fct_web_sessions VALUES (?, ?, ?, 'cpc', ?, ?, ?, ?, ?, ?)",
                [
                    tenant,
                    _START + dt.timedelta(days=d),
                    f"{tenant} source",
                    ["mobile", "desktop"][d % 2],
                    base + d,
                    base // 2 + d,
                    k + d,
                    k + 1,
                    float(base + d),
                ],
            )
        for c in range(3):
            conn.execute(
                "INSERT INTO marts.fct_email_campaigns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    tenant,
                    base + c,
                    f"{tenant} campaign {c}",
                    dt.datetime.combine(_START, dt.time(8)),
                    _START + dt.timedelta(days=14 * c),
                    base,
                    base - 10,
                    base // 2,
                    base // 10,
                    k,
                    c + 1,
                    float(base + c),
                ],
            )


@dataclass(frozen=True)
class Warehouses:
    """The full three-tenant warehouse and one single-tenant oracle per tenant."""

    full: duckdb.DuckDBPyConnection
    oracles: dict[str, duckdb.DuckDBPyConnection]


def build_warehouses() -> Warehouses:
    full = duckdb.connect(config={"threads": 1})
    _fill(full, TENANTS)
    oracles = {}
    for tenant in TENANTS:
        oracle = duckdb.connect(config={"threads": 1})
        _fill(oracle, (tenant,))
        oracle.execute("SET search_path = 'marts'")  # so hand-written, unguarded SQL resolves bare names
        oracles[tenant] = oracle
    return Warehouses(full=full, oracles=oracles)
