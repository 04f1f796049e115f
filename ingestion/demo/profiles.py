"""Typed description of a demo tenant: who it is, where its branches are, what it sells.

The generator is driven entirely by these values so that a new demo retailer is data, not code,
and so that tests can compare the generated warehouse against the profile it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from guardrails.errors import InternalError

MONTHS = 12


@dataclass(frozen=True)
class BranchProfile:
    """One ProHandel branch. `city is None` marks the online shop (no address, no floor space)."""

    number: int
    name: str
    city: str | None
    region: str | None
    opened_on: dt.date
    sales_area_sqm: float | None
    daily_receipts: float  # expected sale receipts on an average open day at scale 1.0

    @property
    def is_online(self) -> bool:
        return self.city is None

    @property
    def branch_type(self) -> str:
        return "online" if self.is_online else "store"


@dataclass(frozen=True)
class SubcategoryProfile:
    """A ProHandel "Warengruppe" level 2 with its price band and the nouns its articles use."""

    name: str
    price_low: float
    price_high: float
    nouns: tuple[str, ...]


@dataclass(frozen=True)
class CategoryProfile:
    """A level-1 category and the levers that make its numbers tell a story.

    `yearly_growth` and `discount_drift` differ per category on purpose: they are what makes
    "which categories grew / lost margin vs last year" have real, distinct answers.
    """

    name: str
    share: float  # relative share of sold lines
    cost_ratio: float  # purchase_price / retail_price, 0.35..0.60
    yearly_growth: float  # e.g. 0.06 = +6 % units per year
    discount_drift: float  # extra discount rate per year of history (negative = less promo)
    month_curve: tuple[float, ...]  # 12 multipliers, January first
    extra_units: float  # mean of (quantity - 1) on a line
    seasonal_share: float  # share of articles tied to a season (the rest are NOS)
    subcategories: tuple[SubcategoryProfile, ...]
    brands: tuple[str, ...]
    colors: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.month_curve) != MONTHS:
            raise InternalError(f"demo profile {self.name}: month_curve needs {MONTHS} values")


@dataclass(frozen=True)
class TenantProfile:
    """A demo retailer: master data plus the few numbers that shape its demand."""

    tenant_id: str
    name: str
    code: str  # id prefix, unique across tenants, e.g. 'nwf'
    currency: str
    timezone: str
    country: str
    locale: str
    seed_offset: int  # stable per-tenant offset added to the seed (never hash())
    yearly_growth: float  # receipts growth per year, all branches
    lines_per_receipt: float  # mean basket size in lines
    return_rate: float  # target share of sold units that come back
    loyalty_card_share: float  # share of store receipts that carry a customer (online: all)
    articles: int  # article count at scale 1.0
    store_assortment_share: float  # share of the articles a physical store carries
    ga4_property: str
    branches: tuple[BranchProfile, ...]
    categories: tuple[CategoryProfile, ...]
    campaign_themes: tuple[tuple[int, str], ...]  # (month, campaign name) pool
    customer_cities: tuple[str, ...]  # where online-only customers live

    @property
    def stores(self) -> tuple[BranchProfile, ...]:
        return tuple(b for b in self.branches if not b.is_online)

    def branch_id(self, branch: BranchProfile) -> str:
        return f"{self.code}-b{branch.number:02d}"

    def branch_by_city(self, city: str) -> BranchProfile:
        for b in self.branches:
            if b.city == city:
                return b
        raise InternalError(f"demo tenant {self.tenant_id} has no store in {city}")

    def online_branch(self) -> BranchProfile:
        for b in self.branches:
            if b.is_online:
                return b
        raise InternalError(f"demo tenant {self.tenant_id} has no online shop")
