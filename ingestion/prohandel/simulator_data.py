"""The demo generator's raw data, reshaped into ProHandel API v2 records with change history.

Each record gets a `changedAt`: master data at the start of history, receipts a few minutes after
they were booked, weekly stock the night after the Sunday count, customers when they registered.
A tenth of the articles also have an older version (a stale price) that the newer one replaces,
so an incremental load has to update rows, not only append them. The simulator's clock decides
what is visible: a version exists once its `changedAt` has passed and until a newer one has.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

STALE_PRICE_EVERY = 10  # every 10th article has an older price version
RECEIPT_CHANGE_DELAY = dt.timedelta(minutes=5)
STOCK_CHANGE_DELAY = dt.timedelta(days=1, hours=2)


@dataclass(frozen=True)
class Version:
    changed_at: dt.datetime
    key: str
    payload: dict[str, Any]  # the API record, JSON-ready, including changedAt
    superseded_at: dt.datetime | None  # when a newer version of the same key appears


@dataclass(frozen=True)
class TenantApiData:
    tenant_id: str
    code: str  # the tenant's API instance name
    resources: dict[str, list[Version]]  # sorted by (changed_at, key)

    def visible(self, resource: str, since: dt.datetime | None, now: dt.datetime) -> list[Version]:
        versions = self.resources.get(resource, [])
        times = [v.changed_at for v in versions]
        lo = 0 if since is None else bisect.bisect_left(times, since)
        hi = bisect.bisect_right(times, now)
        return [v for v in versions[lo:hi] if v.superseded_at is None or v.superseded_at > now]


def _num(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _finish(raw: list[tuple[dt.datetime, str, dict[str, Any]]]) -> list[Version]:
    """Sort versions and link each to the next version of its key."""
    raw.sort(key=lambda v: (v[0], v[1]))
    next_change: dict[str, dt.datetime | None] = {}
    out: list[Version] = []
    for changed, key, payload in reversed(raw):
        payload["changedAt"] = changed.isoformat()
        out.append(Version(changed, key, payload, next_change.get(key)))
        next_change[key] = changed
    out.reverse()
    return out


def _rows(con: duckdb.DuckDBPyConnection, sql: str, tenant_id: str) -> list[tuple[Any, ...]]:
    return con.execute(sql, [tenant_id]).fetchall()


def tenant_api_data(con: duckdb.DuckDBPyConnection, tenant_id: str, code: str) -> TenantApiData:
    """Read one tenant's raw demo tables and turn them into versioned API records."""
    first = _rows(con, "SELECT min(booked_at) FROM raw.prohandel_receipts WHERE tenant_id = ?", tenant_id)[0][
        0
    ]
    last = _rows(con, "SELECT max(booked_at) FROM raw.prohandel_receipts WHERE tenant_id = ?", tenant_id)[0][
        0
    ]
    epoch = dt.datetime.combine((first or dt.datetime(2020, 1, 1)).date() - dt.timedelta(days=1), dt.time())
    repriced_at = dt.datetime.combine((last or epoch).date() - dt.timedelta(days=3), dt.time(6))
    res: dict[str, list[tuple[dt.datetime, str, dict[str, Any]]]] = defaultdict(list)

    for name, currency, tz, country, locale in _rows(
        con,
        "SELECT tenant_name, currency, timezone, country, locale FROM raw.tenants WHERE tenant_id = ?",
        tenant_id,
    ):
        res["company"].append(
            (
                epoch,
                code,
                {"name": name, "currency": currency, "timezone": tz, "country": country, "locale": locale},
            )
        )
    for bid, num, name, city, region, country, btype, opened, area in _rows(
        con,
        "SELECT branch_id, branch_number, name, city, region, country, branch_type, opening_date, "
        "sales_area_sqm "
        "FROM raw.prohandel_branches WHERE tenant_id = ? ORDER BY branch_id",
        tenant_id,
    ):
        res["branches"].append(
            (
                epoch,
                bid,
                {
                    "id": bid,
                    "number": num,
                    "name": name,
                    "city": city,
                    "region": region,
                    "country": country,
                    "type": btype,
                    "openingDate": _iso(opened),
                    "salesArea": area,
                },
            )
        )
    categories: dict[str, str | None] = {}
    brands: list[str] = []
    articles = _rows(
        con,
        "SELECT article_id, article_number, description, category, subcategory, brand, color, season, "
        "retail_price, purchase_price FROM raw.prohandel_articles WHERE tenant_id = ? ORDER BY article_id",
        tenant_id,
    )
    for i, (aid, number, desc, cat, sub, brand, color, season, retail, purchase) in enumerate(articles):
        payload = {
            "id": aid,
            "number": number,
            "description": desc,
            "category": cat,
            "subcategory": sub,
            "brand": brand,
            "color": color,
            "season": season,
            "retailPrice": _num(retail),
            "purchasePrice": _num(purchase),
        }
        categories.setdefault(cat, None)
        categories.setdefault(f"{cat}/{sub}", cat)
        if brand not in brands:
            brands.append(brand)
        if i % STALE_PRICE_EVERY == 0:
            stale = {**payload, "retailPrice": round(float(retail) * 1.1, 2)}
            res["articles"].append((epoch, aid, stale))
            res["articles"].append((repriced_at, aid, payload))
        else:
            res["articles"].append((epoch, aid, payload))
    for path, parent in categories.items():
        cid = f"{code}-cat-{path}"
        res["categories"].append(
            (
                epoch,
                cid,
                {"id": cid, "name": path.rsplit("/", 1)[-1], "parentId": parent and f"{code}-cat-{parent}"},
            )
        )
    for n, brand in enumerate(brands, 1):
        sid = f"{code}-s{n:03d}"
        res["suppliers"].append((epoch, sid, {"id": sid, "name": brand}))
    for cid, city, tier, registered, home in _rows(
        con,
        "SELECT customer_id, city, loyalty_tier, registered_on, home_branch_id FROM raw.prohandel_customers "
        "WHERE tenant_id = ?",
        tenant_id,
    ):
        changed = max(epoch, dt.datetime.combine(registered, dt.time()))
        res["customers"].append(
            (
                changed,
                cid,
                {
                    "id": cid,
                    "city": city,
                    "loyaltyTier": tier,
                    "registeredOn": _iso(registered),
                    "homeBranchId": home,
                },
            )
        )
    lines: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rid, ln, aid, qty, unit, gross, disc, net, cost in _rows(
        con,
        "SELECT receipt_id, line_number, article_id, quantity, unit_price, gross_amount, discount_amount, "
        "net_amount, cost_amount FROM raw.prohandel_receipt_lines WHERE tenant_id = ? "
        "ORDER BY receipt_id, line_number",
        tenant_id,
    ):
        lines[rid].append(
            {
                "lineNumber": ln,
                "articleId": aid,
                "quantity": qty,
                "unitPrice": _num(unit),
                "grossAmount": _num(gross),
                "discountAmount": _num(disc),
                "netAmount": _num(net),
                "costAmount": _num(cost),
            }
        )
    for rid, bid, cust, booked, rtype in _rows(
        con,
        "SELECT receipt_id, branch_id, customer_id, booked_at, receipt_type FROM raw.prohandel_receipts "
        "WHERE tenant_id = ?",
        tenant_id,
    ):
        res["receipts"].append(
            (
                booked + RECEIPT_CHANGE_DELAY,
                rid,
                {
                    "id": rid,
                    "branchId": bid,
                    "customerId": cust,
                    "bookedAt": booked.isoformat(),
                    "type": rtype,
                    "lines": lines.get(rid, []),
                },
            )
        )
    for day, bid, aid, on_hand, on_order in _rows(
        con,
        "SELECT snapshot_date, branch_id, article_id, on_hand, on_order FROM raw.prohandel_inventory "
        "WHERE tenant_id = ?",
        tenant_id,
    ):
        res["inventory"].append(
            (
                dt.datetime.combine(day, dt.time()) + STOCK_CHANGE_DELAY,
                f"{day}|{bid}|{aid}",
                {
                    "date": day.isoformat(),
                    "branchId": bid,
                    "articleId": aid,
                    "onHand": on_hand,
                    "onOrder": on_order,
                },
            )
        )
    return TenantApiData(tenant_id, code, {name: _finish(raw) for name, raw in res.items()})
