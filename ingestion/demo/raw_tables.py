"""Map one simulated tenant onto the raw landing tables, column by column.

This is the only place that knows both the simulation's arrays and the raw contract's column
names, so a change to `ingestion.raw_schema` needs a change here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Final

import numpy as np
import pyarrow as pa

from ingestion.demo import arrow_columns as col
from ingestion.demo.customers import TIERS
from ingestion.demo.tenant_dataset import TenantDataset
from ingestion.demo.web_analytics import DEVICES, TRAFFIC_SOURCES

Columns = dict[str, pa.Array]
LOADED_AT_TIME: Final = dt.time(5, 0)


def loaded_at(end_date: dt.date) -> dt.datetime:
    """The nightly load after the last day of data: deterministic, never the wall clock."""
    return dt.datetime.combine(end_date + dt.timedelta(days=1), LOADED_AT_TIME)


def _meta(ds: TenantDataset, n: int, loaded: dt.datetime) -> Columns:
    return {
        "tenant_id": col.constant(ds.profile.tenant_id, n, pa.string()),
        "_loaded_at": col.constant(loaded, n, pa.timestamp("us")),
    }


def tenants(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    p = ds.profile
    return {
        **_meta(ds, 1, loaded),
        "tenant_name": pa.array([p.name]),
        "currency": pa.array([p.currency]),
        "timezone": pa.array([p.timezone]),
        "country": pa.array([p.country]),
        "locale": pa.array([p.locale]),
    }


def branches(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    p = ds.profile
    bs = p.branches
    return {
        **_meta(ds, len(bs), loaded),
        "branch_id": pa.array([p.branch_id(b) for b in bs]),
        "branch_number": pa.array([b.number for b in bs], pa.int32()),
        "name": pa.array([b.name for b in bs]),
        "city": pa.array([b.city for b in bs], pa.string()),
        "region": pa.array([b.region for b in bs], pa.string()),
        "country": pa.array([p.country] * len(bs)),
        "branch_type": pa.array([b.branch_type for b in bs]),
        "opening_date": pa.array([b.opened_on for b in bs], pa.date32()),
        "sales_area_sqm": pa.array([b.sales_area_sqm for b in bs], pa.float64()),
    }


def articles(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    a = ds.articles
    return {
        **_meta(ds, len(a), loaded),
        "article_id": pa.array(a.article_ids),
        "article_number": pa.array(a.skus),
        "description": pa.array(a.descriptions),
        "category": pa.array(a.categories),
        "subcategory": pa.array(a.subcategories),
        "brand": pa.array(a.brands),
        "color": pa.array(a.colors, pa.string()),
        "season": pa.array(a.seasons, pa.string()),
        "retail_price": col.decimal_from_cents(a.retail_cents, 12),
        "purchase_price": col.decimal_from_cents(a.purchase_cents, 12),
    }


def _customer_ids(ds: TenantDataset, index: np.ndarray) -> pa.Array:
    return col.prefixed_ids(f"{ds.profile.code}-c", np.maximum(index, 0) + 1, 7)


def customers(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    c = ds.customers
    n = len(c)
    branch_ids = [ds.profile.branch_id(b) for b in ds.profile.branches]
    return {
        **_meta(ds, n, loaded),
        "customer_id": _customer_ids(ds, np.arange(n)),
        "city": pa.array(c.city, pa.string()),
        "loyalty_tier": col.lookup(TIERS, ds.loyalty_tier),
        "registered_on": col.dates(c.registered_ordinal),
        "home_branch_id": col.lookup(branch_ids, c.home_branch),
    }


def _receipt_ids(ds: TenantDataset, index: np.ndarray) -> pa.Array:
    return col.prefixed_ids(f"{ds.profile.code}-r", index + 1, 8)


def receipts(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    r = ds.receipts
    n = len(r)
    branch_ids = [ds.profile.branch_id(b) for b in ds.profile.branches]
    return {
        **_meta(ds, n, loaded),
        "receipt_id": _receipt_ids(ds, np.arange(n)),
        "branch_id": col.lookup(branch_ids, r.branch),
        "customer_id": col.with_nulls(_customer_ids(ds, r.customer), r.customer >= 0),
        "booked_at": col.timestamps(ds.calendar.ordinals[r.day], r.second),
        "receipt_type": col.lookup(("sale", "return"), r.is_return.astype(np.int64)),
    }


def receipt_lines(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    ln = ds.lines
    return {
        **_meta(ds, len(ln), loaded),
        "receipt_id": _receipt_ids(ds, ln.receipt),
        "line_number": pa.array(ln.line_number.astype(np.int32)),
        "article_id": col.lookup(ds.articles.article_ids, ln.article),
        "quantity": pa.array(ln.quantity.astype(np.int32)),
        "unit_price": col.decimal_from_cents(ln.unit_cents, 12),
        "gross_amount": col.decimal_from_cents(ln.gross_cents),
        "discount_amount": col.decimal_from_cents(ln.discount_cents),
        "net_amount": col.decimal_from_cents(ln.net_cents),
        "cost_amount": col.decimal_from_cents(ln.cost_cents),
    }


def inventory(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    inv = ds.inventory
    branch_ids = [ds.profile.branch_id(b) for b in ds.profile.branches]
    return {
        **_meta(ds, len(inv), loaded),
        "snapshot_date": col.dates(ds.calendar.ordinals[inv.snapshot_day]),
        "branch_id": col.lookup(branch_ids, inv.branch),
        "article_id": col.lookup(ds.articles.article_ids, inv.article),
        "on_hand": pa.array(inv.on_hand.astype(np.int32)),
        "on_order": pa.array(inv.on_order.astype(np.int32)),
    }


def ga4_sessions(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    w = ds.web
    n = len(w)
    return {
        **_meta(ds, n, loaded),
        "property": col.constant(ds.profile.ga4_property, n, pa.string()),
        "date": col.dates(ds.calendar.ordinals[w.day]),
        "session_source": col.lookup([s for s, _, _, _ in TRAFFIC_SOURCES], w.source),
        "session_medium": col.lookup([m for _, m, _, _ in TRAFFIC_SOURCES], w.source),
        "device_category": col.lookup([d for d, _, _ in DEVICES], w.device),
        "sessions": pa.array(w.sessions.astype(np.int32)),
        "engaged_sessions": pa.array(w.engaged_sessions.astype(np.int32)),
        "add_to_carts": pa.array(w.add_to_carts.astype(np.int32)),
        "transactions": pa.array(w.transactions.astype(np.int32)),
        "purchase_revenue": col.decimal_from_cents(w.revenue_cents),
    }


def klaviyo_campaigns(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    cs = ds.email.campaigns
    return {
        **_meta(ds, len(cs), loaded),
        "id": pa.array([c.campaign_id for c in cs]),
        "name": pa.array([c.name for c in cs]),
        "status": pa.array([c.status for c in cs]),
        "send_time": pa.array([c.send_time_utc for c in cs], pa.timestamp("us")),
        "channel": col.constant("email", len(cs), pa.string()),
    }


def klaviyo_performance(ds: TenantDataset, loaded: dt.datetime) -> Columns:
    ps = ds.email.performance
    return {
        **_meta(ds, len(ps), loaded),
        "campaign_id": pa.array([p.campaign_id for p in ps]),
        "recipients": pa.array([p.recipients for p in ps], pa.int32()),
        "delivered": pa.array([p.delivered for p in ps], pa.int32()),
        "opens_unique": pa.array([p.opens_unique for p in ps], pa.int32()),
        "clicks_unique": pa.array([p.clicks_unique for p in ps], pa.int32()),
        "unsubscribes": pa.array([p.unsubscribes for p in ps], pa.int32()),
        "conversions": pa.array([p.conversions for p in ps], pa.int32()),
        "conversion_value": col.decimal_from_cents(
            np.array([p.conversion_value_cents for p in ps], np.int64)
        ),
    }


_BUILDERS = (
    ("tenants", tenants),
    ("prohandel_branches", branches),
    ("prohandel_articles", articles),
    ("prohandel_customers", customers),
    ("prohandel_receipts", receipts),
    ("prohandel_receipt_lines", receipt_lines),
    ("prohandel_inventory", inventory),
    ("ga4_sessions_report", ga4_sessions),
    ("klaviyo_campaign", klaviyo_campaigns),
    ("klaviyo_campaign_performance", klaviyo_performance),
)


def raw_tables(ds: TenantDataset, end_date: dt.date) -> Iterator[tuple[str, Columns]]:
    """(raw table name, columns) for every raw table, built lazily to keep peak memory low."""
    loaded = loaded_at(end_date)
    for name, build in _BUILDERS:
        yield name, build(ds, loaded)
