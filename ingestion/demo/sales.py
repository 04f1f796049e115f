"""Sale receipts and their lines for one tenant, drawn from the demand calendar in bulk with numpy.

Per branch and day a Poisson number of baskets; per basket a few lines; per line a category by
the day's mix, then an article the branch carries and has in season, weighted by popularity.
Amounts are integer cents so that gross = quantity x price and net = gross - discount hold exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ingestion.demo.anomalies import AnomalyKind, PlantedAnomaly
from ingestion.demo.articles import Articles
from ingestion.demo.demand_calendar import DemandCalendar
from ingestion.demo.profiles import TenantProfile

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

_DAILY_NOISE_SIGMA = 0.12
_ONLINE_EXTRA_LINES = 0.25
_MAX_DISCOUNT = 0.7
_HOURLY_ONLINE = np.array(
    [
        0.6,
        0.35,
        0.2,
        0.15,
        0.15,
        0.3,
        0.8,
        1.6,
        2.4,
        2.8,
        3.0,
        3.2,
        3.6,
        3.4,
        3.2,
        3.3,
        3.6,
        4.0,
        4.8,
        5.6,
        6.2,
        5.8,
        4.2,
        1.9,
    ]
)


@dataclass(frozen=True)
class Receipts:
    branch: IntArray
    day: IntArray  # day index into the calendar
    second: IntArray  # seconds after local midnight
    customer: IntArray  # -1 = anonymous
    is_return: BoolArray

    def __len__(self) -> int:
        return len(self.day)


@dataclass(frozen=True)
class Lines:
    receipt: IntArray  # index into the Receipts it belongs to
    line_number: IntArray
    article: IntArray
    quantity: IntArray
    unit_cents: IntArray
    gross_cents: IntArray
    discount_cents: IntArray
    net_cents: IntArray
    cost_cents: IntArray

    def __len__(self) -> int:
        return len(self.receipt)


def receipt_seconds(is_online: BoolArray, rng: np.random.Generator) -> IntArray:
    """Time of day: stores 09:30-20:00 peaking mid-afternoon, online around the clock peaking at 20:00."""
    n = len(is_online)
    store = 34_200 + np.floor(rng.beta(2.4, 2.0, n) * 37_800)
    hour = rng.choice(24, n, p=_HOURLY_ONLINE / _HOURLY_ONLINE.sum())
    online = hour * 3600 + rng.integers(0, 3600, n)
    return np.where(is_online, online, store).astype(np.int64)


def _draw_categories(weights: FloatArray, days: IntArray, rng: np.random.Generator) -> IntArray:
    cum = np.cumsum(weights, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(days))
    return np.minimum((cum[days] < u[:, None]).sum(axis=1), weights.shape[1] - 1).astype(np.int64)


def _selling_periods(articles: Articles, calendar: DemandCalendar) -> tuple[IntArray, BoolArray]:
    """Group days by which articles are in season: (period per day, active[period, article])."""
    ords = calendar.ordinals
    active = (articles.sell_from[None, :] <= ords[:, None]) & (ords[:, None] <= articles.sell_until[None, :])
    patterns, period = np.unique(active, axis=0, return_inverse=True)
    return period.reshape(-1).astype(np.int64), patterns


def _draw_articles(
    branch: IntArray,
    category: IntArray,
    day: IntArray,
    articles: Articles,
    calendar: DemandCalendar,
    rng: np.random.Generator,
) -> IntArray:
    period_of_day, active = _selling_periods(articles, calendar)
    n_cat = int(articles.category_index.max()) + 1
    period = period_of_day[day]
    key = (branch * n_cat + category) * len(active) + period
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    ends = np.r_[starts[1:], len(sorted_key)]
    u = rng.random(len(key))
    result = np.empty(len(key), dtype=np.int64)
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        k = int(sorted_key[s])
        p = k % len(active)
        c = (k // len(active)) % n_cat
        b = k // (len(active) * n_cat)
        in_category = articles.category_index == c
        candidates = np.flatnonzero(in_category & articles.carried[b] & active[p])
        if len(candidates) == 0:
            candidates = np.flatnonzero(in_category & articles.carried[b])
        cum = np.cumsum(articles.popularity[candidates])
        idx = order[s:e]
        pick = np.searchsorted(cum, u[idx] * cum[-1], side="right")
        result[idx] = candidates[np.minimum(pick, len(candidates) - 1)]
    return result


def _stock_out_redraw(
    profile: TenantProfile,
    anomalies: tuple[PlantedAnomaly, ...],
    calendar: DemandCalendar,
    branch: IntArray,
    day: IntArray,
    category: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """A branch out of stock in a category sells none of it; those shoppers buy something else."""
    names = [c.name for c in profile.categories]
    for a in anomalies:
        if a.kind is not AnomalyKind.STOCK_OUT or a.city is None or a.category is None:
            continue
        b = profile.branches.index(profile.branch_by_city(a.city))
        k = names.index(a.category)
        first, last = calendar.index(a.start), calendar.index(a.end)
        hit = np.flatnonzero((branch == b) & (category == k) & (day >= first) & (day <= last))
        if len(hit):
            weights = calendar.category_weight.copy()
            weights[:, k] = 0.0
            category[hit] = _draw_categories(weights, day[hit], rng)
    return category


def _event_lines(
    profile: TenantProfile,
    anomalies: tuple[PlantedAnomaly, ...],
    kind: AnomalyKind,
    calendar: DemandCalendar,
    branch: IntArray,
    day: IntArray,
    category: IntArray,
) -> list[tuple[PlantedAnomaly, BoolArray]]:
    """The lines each planted event of `kind` touches: its category, its days, its branch (or all)."""
    names = [c.name for c in profile.categories]
    out = []
    for a in anomalies:
        if a.kind is not kind or a.category is None:
            continue
        hit = (
            (category == names.index(a.category))
            & (day >= calendar.index(a.start))
            & (day <= calendar.index(a.end))
        )
        if a.city is not None:
            hit &= branch == profile.branches.index(profile.branch_by_city(a.city))
        out.append((a, hit))
    return out


def simulate_sales(
    profile: TenantProfile,
    calendar: DemandCalendar,
    articles: Articles,
    anomalies: tuple[PlantedAnomaly, ...],
    scale: float,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray, IntArray, Lines]:
    """Sale receipts (branch, day, second per receipt) and their lines, in day order."""
    noise = rng.lognormal(-(_DAILY_NOISE_SIGMA**2) / 2, _DAILY_NOISE_SIGMA, calendar.receipts_rate.shape)
    counts = rng.poisson(calendar.receipts_rate * scale * noise)  # [branch, day]
    day_major = counts.T.reshape(-1)
    n_branches = len(profile.branches)
    r_day = np.repeat(np.repeat(np.arange(calendar.days), n_branches), day_major).astype(np.int64)
    r_branch = np.repeat(np.tile(np.arange(n_branches), calendar.days), day_major).astype(np.int64)
    online = np.array([b.is_online for b in profile.branches])[r_branch]
    r_second = receipt_seconds(online, rng)

    n_lines = 1 + rng.poisson(profile.lines_per_receipt - 1.0 + _ONLINE_EXTRA_LINES * online)
    line_receipt = np.repeat(np.arange(len(r_day)), n_lines).astype(np.int64)
    first_line = np.cumsum(n_lines) - n_lines
    line_number = np.arange(len(line_receipt)) - first_line[line_receipt] + 1
    l_day = r_day[line_receipt]
    l_branch = r_branch[line_receipt]

    category = _draw_categories(calendar.category_weight, l_day, rng)
    category = _stock_out_redraw(profile, anomalies, calendar, l_branch, l_day, category, rng)
    article = _draw_articles(l_branch, category, l_day, articles, calendar, rng)

    extra = np.array([c.extra_units for c in profile.categories])[category]
    quantity = 1 + rng.poisson(extra)
    unit = articles.retail_cents[article]
    for a, hit in _event_lines(
        profile, anomalies, AnomalyKind.PRICE_CHANGE, calendar, l_branch, l_day, category
    ):
        unit = np.where(hit, np.rint(unit * a.factor).astype(np.int64), unit)
    gross = quantity * unit
    promo = rng.random(len(article)) < calendar.promo_probability[l_day]
    low, high = calendar.promo_depth_low[l_day], calendar.promo_depth_high[l_day]
    depth = np.round((low + (high - low) * rng.random(len(article))) * 20) / 20  # 10 %, 15 %, ... steps
    drift = np.array([c.discount_drift for c in profile.categories])[category] * calendar.years[l_day]
    rate = promo * depth + drift
    for a, hit in _event_lines(profile, anomalies, AnomalyKind.DISCOUNT, calendar, l_branch, l_day, category):
        rate = np.where(hit, rate + a.factor, rate)
    rate = np.clip(rate, 0.0, _MAX_DISCOUNT)
    discount = np.round(gross * rate).astype(np.int64)
    lines = Lines(
        receipt=line_receipt,
        line_number=line_number.astype(np.int64),
        article=article,
        quantity=quantity.astype(np.int64),
        unit_cents=unit,
        gross_cents=gross.astype(np.int64),
        discount_cents=discount,
        net_cents=(gross - discount).astype(np.int64),
        cost_cents=(quantity * articles.purchase_cents[article]).astype(np.int64),
    )
    return r_branch, r_day, r_second, lines
