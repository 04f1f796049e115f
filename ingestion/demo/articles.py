"""The article master of one tenant, plus which branch carries what and which season sells when.

Articles are few (hundreds) so they are built in plain Python; what matters downstream is the
typed arrays (category, price in cents, popularity, selling window) the sales simulator samples
from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ingestion.demo.demand_calendar import EPOCH
from ingestion.demo.profiles import TenantProfile

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

NOS = "NOS"
_MODELS = ("Classic", "Essential", "Relaxed", "Slim", "Comfort", "Urban", "Premium", "Nova", "Linea", "Terra")
_MIN_NOS_PER_CATEGORY = 4


@dataclass(frozen=True)
class Articles:
    """Column arrays of the article master; index i is the article with number i of the tenant."""

    article_ids: list[str]
    skus: list[str]
    descriptions: list[str]
    categories: list[str]
    subcategories: list[str]
    brands: list[str]
    colors: list[str]
    seasons: list[str]
    category_index: IntArray
    retail_cents: IntArray
    purchase_cents: IntArray
    popularity: FloatArray
    sell_from: IntArray  # first sellable day (ordinal), inclusive
    sell_until: IntArray  # last sellable day (ordinal), inclusive
    carried: BoolArray  # [branch, article]

    def __len__(self) -> int:
        return len(self.article_ids)


def _season_window(season: str) -> tuple[dt.date, dt.date]:
    """Spring/summer arrives mid-January, sold off by August; autumn/winter runs mid-July to February."""
    year = 2000 + int(season[2:])
    if season.startswith("FS"):
        return dt.date(year, 1, 15), dt.date(year, 8, 31)
    return dt.date(year, 7, 15), dt.date(year + 1, 2, 28)


def _seasons_in(start: dt.date, end: dt.date) -> list[str]:
    names = [f"{kind}{y % 100:02d}" for y in range(start.year - 1, end.year + 1) for kind in ("FS", "HW")]
    return [s for s in names if _season_window(s)[1] >= start and _season_window(s)[0] <= end]


def _season_weights(
    seasons: list[str], month_curve: tuple[float, ...], start: dt.date, end: dt.date
) -> npt.NDArray[np.float64]:
    """How likely a category's seasonal article belongs to each season: ski gear is autumn/winter."""
    weights = []
    for season in seasons:
        first, last = _season_window(season)
        first, last = max(first, start), min(last, end)
        months = [(first + dt.timedelta(days=d)).month for d in range(0, (last - first).days + 1, 7)]
        weights.append(sum(month_curve[m - 1] for m in months))
    w = np.asarray(weights, dtype=np.float64) ** 3  # sharpen: a winter category is mostly HW
    return w / w.sum()


def _price_point(value: float, currency: str) -> int:
    """Round to what a shelf label shows: 39.95 / 39.90 below 100, 149.00 above."""
    if value < 100:
        ending = 90 if currency == "CHF" else 95
        return int(np.floor(value)) * 100 + ending
    return (round(value / 10.0) * 10 - 1) * 100


def article_count(profile: TenantProfile, scale: float) -> int:
    """Articles shrink sublinearly with scale so tiny test runs still cover every subcategory."""
    floor = sum(len(c.subcategories) for c in profile.categories) * 3
    return max(floor, round(profile.articles * min(1.0, scale) ** 0.35))


def build_articles(
    profile: TenantProfile, scale: float, start: dt.date, end: dt.date, rng: np.random.Generator
) -> Articles:
    n_total = article_count(profile, scale)
    seasons = _seasons_in(start, end)
    share_sum = sum(c.share for c in profile.categories)
    ids: list[str] = []
    skus: list[str] = []
    descs: list[str] = []
    cat_names: list[str] = []
    subcats: list[str] = []
    brands: list[str] = []
    colors: list[str] = []
    season_of: list[str] = []
    cat_idx: list[int] = []
    retail: list[int] = []
    purchase: list[int] = []
    for k, cat in enumerate(profile.categories):
        season_p = _season_weights(seasons, cat.month_curve, start, end)
        n_cat = max(len(cat.subcategories) * 3, round(n_total * cat.share / share_sum))
        for j in range(n_cat):
            sub = cat.subcategories[j % len(cat.subcategories)]
            is_seasonal = j >= _MIN_NOS_PER_CATEGORY and rng.random() < cat.seasonal_share
            season = seasons[int(rng.choice(len(seasons), p=season_p))] if is_seasonal else NOS
            brand = cat.brands[int(rng.integers(len(cat.brands)))]
            color = cat.colors[int(rng.integers(len(cat.colors)))]
            noun = sub.nouns[int(rng.integers(len(sub.nouns)))]
            model = _MODELS[int(rng.integers(len(_MODELS)))]
            price = _price_point(
                sub.price_low + (sub.price_high - sub.price_low) * rng.beta(1.6, 3.0), profile.currency
            )
            ratio = cat.cost_ratio * rng.uniform(0.9, 1.1)
            number = len(ids) + 1
            ids.append(f"{profile.code}-a{number:05d}")
            skus.append(f"{profile.code.upper()}-{k + 1}{cat.subcategories.index(sub) + 1:02d}-{number:05d}")
            descs.append(f"{brand} {noun} {model} {color}")
            cat_names.append(cat.name)
            subcats.append(sub.name)
            brands.append(brand)
            colors.append(color)
            season_of.append(season)
            cat_idx.append(k)
            retail.append(price)
            purchase.append(round(price * ratio))

    n = len(ids)
    sell_from = np.full(n, (start - EPOCH).days, dtype=np.int64)
    sell_until = np.full(n, (end - EPOCH).days, dtype=np.int64)
    for i, season in enumerate(season_of):
        if season != NOS:
            first, last = _season_window(season)
            sell_from[i] = (first - EPOCH).days
            sell_until[i] = (last - EPOCH).days
    # Popularity is long-tailed: a few top sellers carry a large share of units.
    popularity = rng.lognormal(0.0, 1.0, n)
    category_index = np.asarray(cat_idx, dtype=np.int64)
    carried = np.ones((len(profile.branches), n), dtype=np.bool_)
    always = np.zeros(n, dtype=np.bool_)
    for k in range(len(profile.categories)):
        members = np.flatnonzero(category_index == k)
        always[members[:_MIN_NOS_PER_CATEGORY]] = True
    for b, branch in enumerate(profile.branches):
        if not branch.is_online:
            carried[b] = (rng.random(n) < profile.store_assortment_share) | always
    return Articles(
        article_ids=ids,
        skus=skus,
        descriptions=descs,
        categories=cat_names,
        subcategories=subcats,
        brands=brands,
        colors=colors,
        seasons=season_of,
        category_index=category_index,
        retail_cents=np.asarray(retail, dtype=np.int64),
        purchase_cents=np.asarray(purchase, dtype=np.int64),
        popularity=popularity,
        sell_from=sell_from,
        sell_until=sell_until,
        carried=carried,
    )
