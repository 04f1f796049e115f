"""Simulate everything one tenant needs, in memory, as typed arrays.

The stages run in a fixed order, each on its own random stream jumped from the tenant's seed
(`PCG64(seed + seed_offset).jumped(stage)`), so a tenant's data does not depend on which other
tenants are generated, and a change in one stage does not reshuffle the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ingestion.demo.anomalies import PlantedAnomaly, anomalies_for
from ingestion.demo.articles import Articles, build_articles
from ingestion.demo.customers import Customers, assign_customers, loyalty_tiers
from ingestion.demo.demand_calendar import DemandCalendar, build_calendar
from ingestion.demo.email_campaigns import EmailData, simulate_email
from ingestion.demo.inventory import InventoryRows, simulate_inventory
from ingestion.demo.profiles import TenantProfile
from ingestion.demo.returns import simulate_returns
from ingestion.demo.sales import Lines, Receipts
from ingestion.demo.sales import simulate_sales as _simulate_sales
from ingestion.demo.web_analytics import WebRows, simulate_web

IntArray = npt.NDArray[np.int64]

_STAGES = ("articles", "sales", "customers", "returns", "inventory", "web", "email")


@dataclass(frozen=True)
class TenantDataset:
    profile: TenantProfile
    calendar: DemandCalendar
    articles: Articles
    customers: Customers
    loyalty_tier: IntArray
    receipts: Receipts  # chronological; position + 1 is the receipt number
    lines: Lines  # sorted by receipt, then line number
    inventory: InventoryRows
    web: WebRows
    email: EmailData


def _streams(seed: int, profile: TenantProfile) -> dict[str, np.random.Generator]:
    base = np.random.PCG64(seed + profile.seed_offset)
    return {stage: np.random.Generator(base.jumped(i + 1)) for i, stage in enumerate(_STAGES)}


def _concat_lines(a: Lines, b: Lines, b_receipt_offset: int) -> Lines:
    return Lines(
        receipt=np.concatenate([a.receipt, b.receipt + b_receipt_offset]),
        line_number=np.concatenate([a.line_number, b.line_number]),
        article=np.concatenate([a.article, b.article]),
        quantity=np.concatenate([a.quantity, b.quantity]),
        unit_cents=np.concatenate([a.unit_cents, b.unit_cents]),
        gross_cents=np.concatenate([a.gross_cents, b.gross_cents]),
        discount_cents=np.concatenate([a.discount_cents, b.discount_cents]),
        net_cents=np.concatenate([a.net_cents, b.net_cents]),
        cost_cents=np.concatenate([a.cost_cents, b.cost_cents]),
    )


def _reorder_lines(lines: Lines, receipt_rank: IntArray) -> Lines:
    receipt = receipt_rank[lines.receipt]
    order = np.lexsort((lines.line_number, receipt))
    return Lines(
        receipt=receipt[order],
        line_number=lines.line_number[order],
        article=lines.article[order],
        quantity=lines.quantity[order],
        unit_cents=lines.unit_cents[order],
        gross_cents=lines.gross_cents[order],
        discount_cents=lines.discount_cents[order],
        net_cents=lines.net_cents[order],
        cost_cents=lines.cost_cents[order],
    )


def simulate_tenant(
    profile: TenantProfile,
    end_date: dt.date,
    scale: float,
    seed: int,
    anomalies: tuple[PlantedAnomaly, ...] | None = None,
) -> TenantDataset:
    """`anomalies`: the events to plant (default: the demo's documented ones, `anomalies_for`)."""
    rngs = _streams(seed, profile)
    if anomalies is None:
        anomalies = anomalies_for(profile.tenant_id)
    calendar = build_calendar(profile, end_date, anomalies)
    articles = build_articles(profile, scale, calendar.start, end_date, rngs["articles"])
    s_branch, s_day, s_second, sale_lines = _simulate_sales(
        profile, calendar, articles, anomalies, scale, rngs["sales"]
    )
    online_branch = np.array([b.is_online for b in profile.branches])
    wants = online_branch[s_branch] | (rngs["customers"].random(len(s_day)) < profile.loyalty_card_share)
    assignment = assign_customers(profile, s_branch, s_day, wants, calendar.start, rngs["customers"])
    returns = simulate_returns(
        s_branch,
        s_day,
        assignment.receipt_customer,
        online_branch,
        calendar.is_open,
        sale_lines,
        articles.purchase_cents,
        profile.return_rate,
        rngs["returns"],
    )

    n_sales = len(s_day)
    branch = np.concatenate([s_branch, returns.branch])
    day = np.concatenate([s_day, returns.day])
    second = np.concatenate([s_second, returns.second])
    customer = np.concatenate([assignment.receipt_customer, returns.customer])
    is_return = np.r_[np.zeros(n_sales, dtype=np.bool_), np.ones(len(returns.day), dtype=np.bool_)]
    order = np.lexsort((np.arange(len(day)), is_return, branch, second, day))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    receipts = Receipts(
        branch=branch[order],
        day=day[order],
        second=second[order],
        customer=customer[order],
        is_return=is_return[order],
    )
    lines = _reorder_lines(_concat_lines(sale_lines, returns.lines, n_sales), rank)

    line_customer = receipts.customer[lines.receipt]
    has_customer = line_customer >= 0
    spend = np.bincount(
        line_customer[has_customer],
        weights=lines.net_cents[has_customer],
        minlength=len(assignment.customers),
    )
    tiers = loyalty_tiers(np.rint(spend).astype(np.int64))

    line_branch = receipts.branch[lines.receipt]
    line_day = receipts.day[lines.receipt]
    inventory = simulate_inventory(
        profile, calendar, articles, line_branch, line_day, lines, anomalies, rngs["inventory"]
    )

    online_sale = online_branch[receipts.branch] & ~receipts.is_return
    tx_per_day = np.bincount(receipts.day[online_sale], minlength=calendar.days).astype(np.int64)
    online_line = online_sale[lines.receipt]
    revenue_per_day = np.bincount(
        line_day[online_line], weights=lines.net_cents[online_line], minlength=calendar.days
    )
    revenue_cents = np.rint(revenue_per_day).astype(np.int64)
    web = simulate_web(calendar, tx_per_day, revenue_cents, anomalies, rngs["web"])
    aov = float(revenue_cents.sum() / max(tx_per_day.sum(), 1))
    email = simulate_email(profile, calendar, assignment.customers.registered_ordinal, aov, rngs["email"])
    return TenantDataset(
        profile=profile,
        calendar=calendar,
        articles=articles,
        customers=assignment.customers,
        loyalty_tier=tiers,
        receipts=receipts,
        lines=lines,
        inventory=inventory,
        web=web,
        email=email,
    )
