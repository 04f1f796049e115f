"""Customers of one tenant and who bought on which receipt.

Customers join over the history (plus an existing base registered before it), shop mostly in
their home branch, and are only ever picked for receipts on or after the day they registered —
so `registered_on` can never be after a customer's first purchase. Some buyers are heavy and
come back often, most buy a few times; loyalty tiers follow from what they spent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ingestion.demo.demand_calendar import EPOCH
from ingestion.demo.profiles import TenantProfile

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

TIERS = ("bronze", "silver", "gold", "platinum")
_PURCHASES_PER_CUSTOMER = 3.0
_EXISTING_SHARE = 0.35
_CROSS_SHOPPING = 0.15
_FIRST_PURCHASE_SHARE = 0.2
_NEW_WINDOW_DAYS = 14


@dataclass(frozen=True)
class Customers:
    registered_ordinal: IntArray
    home_branch: IntArray  # index into profile.branches
    city: list[str]

    def __len__(self) -> int:
        return len(self.registered_ordinal)


@dataclass(frozen=True)
class CustomerAssignment:
    customers: Customers
    receipt_customer: IntArray  # customer index per receipt, -1 = anonymous


def _pick(
    join_sorted: IntArray,
    members: IntArray,
    cum_weight: npt.NDArray[np.float64],
    days: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """Pick one eligible customer per receipt day: mostly by loyalty weight, sometimes a brand-new one."""
    eligible = np.searchsorted(join_sorted, days, side="right")
    u = rng.random(len(days))
    total = np.where(eligible > 0, cum_weight[np.maximum(eligible - 1, 0)], 0.0)
    by_weight = np.minimum(np.searchsorted(cum_weight, u * total, side="right"), np.maximum(eligible - 1, 0))
    recent_from = np.searchsorted(join_sorted, days - _NEW_WINDOW_DAYS, side="right")
    recent_count = eligible - recent_from
    newest = recent_from + np.floor(rng.random(len(days)) * recent_count).astype(np.int64)
    use_new = (rng.random(len(days)) < _FIRST_PURCHASE_SHARE) & (recent_count > 0)
    position = np.where(use_new, newest, by_weight)
    return np.where(eligible > 0, members[np.minimum(position, len(members) - 1)], -1)


def assign_customers(
    profile: TenantProfile,
    receipt_branch: IntArray,
    receipt_day: IntArray,
    wants_customer: BoolArray,
    start: dt.date,
    rng: np.random.Generator,
) -> CustomerAssignment:
    n_branches = len(profile.branches)
    wanted = np.flatnonzero(wants_customer)
    wanted_days = receipt_day[wanted]
    n_customers = max(n_branches * 5, round(len(wanted) / _PURCHASES_PER_CUSTOMER))
    existing = rng.random(n_customers) < _EXISTING_SHARE
    existing[0] = True  # someone is always eligible, so every online receipt gets a customer
    # New customers join when traffic is: sample join days from the days customers actually shop.
    join_day = np.where(existing, 0, rng.choice(wanted_days, n_customers) if len(wanted_days) else 0).astype(
        np.int64
    )
    branch_traffic = np.bincount(receipt_branch[wanted], minlength=n_branches).astype(np.float64) + 1.0
    home = rng.choice(n_branches, n_customers, p=branch_traffic / branch_traffic.sum()).astype(np.int64)
    weight = rng.lognormal(0.0, 1.0, n_customers)
    start_ordinal = (start - EPOCH).days
    registered = np.where(
        existing, start_ordinal - rng.integers(1, 6 * 365, n_customers), start_ordinal + join_day
    )

    receipt_customer = np.full(len(receipt_day), -1, dtype=np.int64)
    order_all = np.lexsort((np.arange(n_customers), join_day))
    cum_all = np.cumsum(weight[order_all])
    cross = rng.random(len(receipt_day)) < _CROSS_SHOPPING
    for b in range(n_branches):
        members = order_all[home[order_all] == b]
        targets = np.flatnonzero(wants_customer & (receipt_branch == b) & ~cross)
        if len(members) and len(targets):
            receipt_customer[targets] = _pick(
                join_day[members], members, np.cumsum(weight[members]), receipt_day[targets], rng
            )
    rest = np.flatnonzero(wants_customer & (receipt_customer < 0))
    receipt_customer[rest] = _pick(join_day[order_all], order_all, cum_all, receipt_day[rest], rng)

    cities: list[str] = []
    for b in home.tolist():
        branch = profile.branches[b]
        if branch.city is not None and rng.random() < 0.8:
            cities.append(branch.city)
        else:
            cities.append(profile.customer_cities[int(rng.integers(len(profile.customer_cities)))])
    customers = Customers(registered_ordinal=registered.astype(np.int64), home_branch=home, city=cities)
    return CustomerAssignment(customers=customers, receipt_customer=receipt_customer)


def loyalty_tiers(net_spend_cents: IntArray) -> IntArray:
    """Tier index per customer by spend rank: top 5 % platinum, next 15 % gold, next 30 % silver."""
    n = len(net_spend_cents)
    order = np.argsort(-net_spend_cents, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    share = rank / max(n, 1)
    tier = np.zeros(n, dtype=np.int64)
    tier[share < 0.5] = 1
    tier[share < 0.2] = 2
    tier[share < 0.05] = 3
    tier[net_spend_cents <= 0] = 0
    return tier
