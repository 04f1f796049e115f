"""Weekly Sunday stock per branch and article, simulated from the units actually sold.

A simple replenishment policy runs per branch x article: stock falls with each week's net
sales (returns go back on the shelf), and when it drops below about three weeks of forecast
demand an order for eight weeks is placed that arrives two (sometimes four) weeks later. The
forecast trails demand, so at seasonal peaks top sellers run out — as in real shops. Rows exist
only for articles the branch carries, in their selling season, once the branch is open.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ingestion.demo.anomalies import AnomalyKind, PlantedAnomaly
from ingestion.demo.articles import Articles
from ingestion.demo.demand_calendar import DemandCalendar
from ingestion.demo.profiles import TenantProfile
from ingestion.demo.sales import Lines

IntArray = npt.NDArray[np.int64]

_LEAD_WEEKS = 2
_DELAY_WEEKS = 2
_DELAY_PROBABILITY = 0.12
_REORDER_WEEKS = 3.0
_ORDER_UP_TO_WEEKS = 8.0
_FORECAST_SMOOTHING = 0.3
_STOP_REORDER_DAYS = 28
_MIN_STORE_STOCK = 2


@dataclass(frozen=True)
class InventoryRows:
    snapshot_day: IntArray  # day index into the calendar (always a Sunday)
    branch: IntArray
    article: IntArray
    on_hand: IntArray
    on_order: IntArray

    def __len__(self) -> int:
        return len(self.branch)


def simulate_inventory(
    profile: TenantProfile,
    calendar: DemandCalendar,
    articles: Articles,
    line_branch: IntArray,
    line_day: IntArray,
    lines: Lines,
    anomalies: tuple[PlantedAnomaly, ...],
    rng: np.random.Generator,
) -> InventoryRows:
    sundays = np.flatnonzero(calendar.weekday == 6)
    n_weeks, n_branches, n_articles = len(sundays), len(profile.branches), len(articles)
    week = np.searchsorted(sundays, line_day)  # the snapshot closing the line's week
    in_range = week < n_weeks
    key = (line_branch * n_articles + lines.article) * n_weeks + week
    units = np.bincount(
        key[in_range], weights=lines.quantity[in_range], minlength=n_branches * n_articles * n_weeks
    )
    units = units.reshape(n_branches * n_articles, n_weeks)  # net units sold per pair and week

    snapshot_ord = calendar.ordinals[sundays]
    pair_branch = np.repeat(np.arange(n_branches), n_articles)
    pair_article = np.tile(np.arange(n_articles), n_branches)
    in_season = (articles.sell_from[pair_article, None] <= snapshot_ord[None, :]) & (
        snapshot_ord[None, :] <= articles.sell_until[pair_article, None]
    )
    opened = np.array([[b.opened_on for b in profile.branches]], dtype="datetime64[D]").astype(np.int64)
    branch_open = opened.reshape(-1)[pair_branch, None] <= snapshot_ord[None, :]
    exists = articles.carried[pair_branch, pair_article][:, None] & in_season & branch_open

    weeks_active = np.maximum(exists.sum(axis=1), 1)
    forecast = np.maximum(units.clip(0).sum(axis=1) / weeks_active, 0.2)
    is_store = ~np.array([b.is_online for b in profile.branches])[pair_branch]
    floor_stock = np.where(is_store, _MIN_STORE_STOCK, 0)
    on_hand = np.ceil(forecast * 6.0).astype(np.int64) + floor_stock
    pending = np.zeros((len(forecast), n_weeks + _LEAD_WEEKS + _DELAY_WEEKS + 1), dtype=np.int64)
    hand_out = np.zeros((len(forecast), n_weeks), dtype=np.int64)
    order_out = np.zeros((len(forecast), n_weeks), dtype=np.int64)
    selling_left = articles.sell_until[pair_article, None] - snapshot_ord[None, :]
    for w in range(n_weeks):
        on_hand = np.maximum(on_hand + pending[:, w] - np.rint(units[:, w]).astype(np.int64), 0)
        forecast = (1 - _FORECAST_SMOOTHING) * forecast + _FORECAST_SMOOTHING * np.maximum(units[:, w], 0)
        on_order = pending[:, w + 1 :].sum(axis=1)
        position = on_hand + on_order
        need = (position < forecast * _REORDER_WEEKS + floor_stock) & (
            selling_left[:, w] > _STOP_REORDER_DAYS
        )
        qty = np.where(need, np.ceil(forecast * _ORDER_UP_TO_WEEKS + floor_stock - position), 0).astype(
            np.int64
        )
        arrive = w + _LEAD_WEEKS + np.where(rng.random(len(qty)) < _DELAY_PROBABILITY, _DELAY_WEEKS, 0)
        np.add.at(pending, (np.arange(len(qty)), arrive), qty)
        hand_out[:, w] = on_hand
        order_out[:, w] = pending[:, w + 1 :].sum(axis=1)

    _plant_stock_outs(profile, calendar, articles, anomalies, sundays, hand_out, order_out, n_articles)
    pair_idx, week_idx = np.nonzero(exists)
    return InventoryRows(
        snapshot_day=sundays[week_idx].astype(np.int64),
        branch=pair_branch[pair_idx].astype(np.int64),
        article=pair_article[pair_idx].astype(np.int64),
        on_hand=hand_out[pair_idx, week_idx],
        on_order=order_out[pair_idx, week_idx],
    )


def _plant_stock_outs(
    profile: TenantProfile,
    calendar: DemandCalendar,
    articles: Articles,
    anomalies: tuple[PlantedAnomaly, ...],
    sundays: IntArray,
    hand_out: IntArray,
    order_out: IntArray,
    n_articles: int,
) -> None:
    """Shelves empty for the whole window; the reorder is stuck at the supplier (still on order)."""
    names = [c.name for c in profile.categories]
    for a in anomalies:
        if a.kind is not AnomalyKind.STOCK_OUT or a.city is None or a.category is None:
            continue
        b = profile.branches.index(profile.branch_by_city(a.city))
        rows = b * n_articles + np.flatnonzero(articles.category_index == names.index(a.category))
        weeks = np.flatnonzero((sundays >= calendar.index(a.start)) & (sundays <= calendar.index(a.end)))
        if len(weeks) == 0:
            continue
        grid = np.ix_(rows, weeks)
        hand_out[grid] = 0
        order_out[grid] = np.maximum(order_out[grid], 12)
