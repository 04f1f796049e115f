"""The raw landing schema: what connectors (and the demo generator) write, what dbt reads.

Every raw table lives in schema `raw` and every row carries `tenant_id` and `_loaded_at`.
The ProHandel tables mirror the ERP/POS API's resources (articles, branches, customers,
receipts with lines, weekly stock); the GA4 and Klaviyo tables mirror what Fivetran lands.
This module is the contract between ingestion and `dbt/models/staging`: change both together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawTable:
    name: str
    columns: tuple[tuple[str, str], ...]  # (column, DuckDB type)
    key: tuple[str, ...]  # unique per tenant together with tenant_id

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)

    def ddl(self, schema: str = "raw") -> str:
        cols = ",\n  ".join(f"{c} {t}" for c, t in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {schema}.{self.name} (\n  {cols}\n)"


_META = (("_loaded_at", "TIMESTAMP NOT NULL"),)

RAW_TABLES: tuple[RawTable, ...] = (
    RawTable(
        "tenants",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("tenant_name", "VARCHAR NOT NULL"),
            ("currency", "VARCHAR NOT NULL"),  # ISO 4217, e.g. EUR, CHF
            ("timezone", "VARCHAR NOT NULL"),  # IANA, e.g. Europe/Berlin
            ("country", "VARCHAR NOT NULL"),  # ISO 3166-1 alpha-2
            ("locale", "VARCHAR NOT NULL"),  # BCP 47, e.g. de-DE
            *_META,
        ),
        ("tenant_id",),
    ),
    # ProHandel "branch": a physical store or the online shop (branch_type 'online').
    RawTable(
        "prohandel_branches",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("branch_id", "VARCHAR NOT NULL"),  # globally unique, e.g. 'nwf-b01'
            ("branch_number", "INTEGER NOT NULL"),  # the ERP's own number, unique per tenant
            ("name", "VARCHAR NOT NULL"),  # e.g. 'Nordwind Hamburg'
            ("city", "VARCHAR"),  # NULL for online
            ("region", "VARCHAR"),  # federal state / canton; NULL for online
            ("country", "VARCHAR NOT NULL"),
            ("branch_type", "VARCHAR NOT NULL"),  # 'store' | 'outlet' | 'online'
            ("opening_date", "DATE NOT NULL"),
            ("sales_area_sqm", "DOUBLE"),  # NULL for online
            *_META,
        ),
        ("branch_id",),
    ),
    RawTable(
        "prohandel_articles",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("article_id", "VARCHAR NOT NULL"),  # globally unique
            ("article_number", "VARCHAR NOT NULL"),  # the SKU
            ("description", "VARCHAR NOT NULL"),  # product name
            ("category", "VARCHAR NOT NULL"),  # ProHandel "Warengruppe" level 1
            ("subcategory", "VARCHAR NOT NULL"),  # level 2
            ("brand", "VARCHAR NOT NULL"),
            ("color", "VARCHAR"),
            ("season", "VARCHAR"),  # e.g. 'FS26' (spring/summer), 'HW25' (autumn/winter), 'NOS'
            ("retail_price", "DECIMAL(12,2) NOT NULL"),  # list price incl. VAT, tenant currency
            ("purchase_price", "DECIMAL(12,2) NOT NULL"),  # unit cost, tenant currency
            *_META,
        ),
        ("article_id",),
    ),
    RawTable(
        "prohandel_customers",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("customer_id", "VARCHAR NOT NULL"),  # globally unique
            ("city", "VARCHAR"),
            ("loyalty_tier", "VARCHAR NOT NULL"),  # 'bronze' | 'silver' | 'gold' | 'platinum'
            ("registered_on", "DATE NOT NULL"),
            ("home_branch_id", "VARCHAR"),
            *_META,
        ),
        ("customer_id",),
    ),
    # One receipt (Bon) per basket; a return is its own receipt with receipt_type 'return'.
    RawTable(
        "prohandel_receipts",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("receipt_id", "VARCHAR NOT NULL"),  # globally unique
            ("branch_id", "VARCHAR NOT NULL"),
            ("customer_id", "VARCHAR"),  # NULL for anonymous walk-in customers
            ("booked_at", "TIMESTAMP NOT NULL"),  # local wall-clock time of the branch
            ("receipt_type", "VARCHAR NOT NULL"),  # 'sale' | 'return'
            *_META,
        ),
        ("receipt_id",),
    ),
    # Lines of a receipt. For returns quantity and all amounts are negative.
    RawTable(
        "prohandel_receipt_lines",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("receipt_id", "VARCHAR NOT NULL"),
            ("line_number", "INTEGER NOT NULL"),
            ("article_id", "VARCHAR NOT NULL"),
            ("quantity", "INTEGER NOT NULL"),
            ("unit_price", "DECIMAL(12,2) NOT NULL"),  # list price per unit at the time of sale
            ("gross_amount", "DECIMAL(14,2) NOT NULL"),  # quantity * unit_price
            ("discount_amount", "DECIMAL(14,2) NOT NULL"),  # >= 0 for sales, <= 0 for returns
            ("net_amount", "DECIMAL(14,2) NOT NULL"),  # gross_amount - discount_amount
            ("cost_amount", "DECIMAL(14,2) NOT NULL"),  # quantity * purchase price
            *_META,
        ),
        ("receipt_id", "line_number"),
    ),
    # Weekly stock per branch and article, taken on Sundays (end of the ISO week).
    RawTable(
        "prohandel_inventory",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("snapshot_date", "DATE NOT NULL"),
            ("branch_id", "VARCHAR NOT NULL"),
            ("article_id", "VARCHAR NOT NULL"),
            ("on_hand", "INTEGER NOT NULL"),
            ("on_order", "INTEGER NOT NULL"),
            *_META,
        ),
        ("snapshot_date", "branch_id", "article_id"),
    ),
    # Fivetran GA4 custom report: one row per day x source x medium x device category.
    RawTable(
        "ga4_sessions_report",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("property", "VARCHAR NOT NULL"),  # GA4 property id
            ("date", "DATE NOT NULL"),
            ("session_source", "VARCHAR NOT NULL"),
            ("session_medium", "VARCHAR NOT NULL"),
            ("device_category", "VARCHAR NOT NULL"),  # desktop | mobile | tablet
            ("sessions", "INTEGER NOT NULL"),
            ("engaged_sessions", "INTEGER NOT NULL"),
            ("add_to_carts", "INTEGER NOT NULL"),
            ("transactions", "INTEGER NOT NULL"),
            ("purchase_revenue", "DECIMAL(14,2) NOT NULL"),
            *_META,
        ),
        ("property", "date", "session_source", "session_medium", "device_category"),
    ),
    # Fivetran Klaviyo: campaign, one row per campaign.
    RawTable(
        "klaviyo_campaign",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("id", "VARCHAR NOT NULL"),  # globally unique
            ("name", "VARCHAR NOT NULL"),
            ("status", "VARCHAR NOT NULL"),  # 'sent' | 'draft' | 'cancelled'
            ("send_time", "TIMESTAMP"),  # UTC; NULL unless sent
            ("channel", "VARCHAR NOT NULL"),  # 'email'
            *_META,
        ),
        ("id",),
    ),
    # Fivetran Klaviyo campaign performance (flattened metric aggregates per campaign).
    RawTable(
        "klaviyo_campaign_performance",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("campaign_id", "VARCHAR NOT NULL"),
            ("recipients", "INTEGER NOT NULL"),
            ("delivered", "INTEGER NOT NULL"),
            ("opens_unique", "INTEGER NOT NULL"),
            ("clicks_unique", "INTEGER NOT NULL"),
            ("unsubscribes", "INTEGER NOT NULL"),
            ("conversions", "INTEGER NOT NULL"),  # attributed orders
            ("conversion_value", "DECIMAL(14,2) NOT NULL"),  # attributed revenue
            *_META,
        ),
        ("campaign_id",),
    ),
)

RAW_TABLES_BY_NAME = {t.name: t for t in RAW_TABLES}


def create_raw_schema_sql() -> list[str]:
    """Statements that create schema `raw` and every raw table (idempotent)."""
    return ["CREATE SCHEMA IF NOT EXISTS raw", *(t.ddl() for t in RAW_TABLES)]
