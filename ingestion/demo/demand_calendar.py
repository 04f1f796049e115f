"""Day-by-day demand of one tenant: when branches are open, how busy they are, what sells.

Everything that makes the calendar look like retail lives here, as arrays over the history
(day index 0 = first day): Saturday peaks and closed Sundays/holidays for stores, the Christmas
ramp, Black Friday week, the January and July sales, category seasonality (ski in winter, bikes
in spring), year-over-year growth per category and the planted anomalies that touch demand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ingestion.demo.anomalies import AnomalyKind, PlantedAnomaly
from ingestion.demo.profiles import TenantProfile

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

HISTORY_DAYS = 730
EPOCH = dt.date(1970, 1, 1)

# Monday first. Stores peak on Saturday and are closed on Sunday; the web shop peaks on Sunday evening.
_STORE_WEEKDAY = np.array([0.8, 0.85, 0.9, 1.0, 1.2, 1.65, 0.0])
_ONLINE_WEEKDAY = np.array([1.1, 1.0, 1.0, 0.98, 0.92, 0.85, 1.15])
# Days stores in DE/AT/CH are closed besides Sundays: (month, day).
_STORE_HOLIDAYS = ((1, 1), (12, 25), (12, 26))

_BASE_PROMO_PROBABILITY = 0.2
_SALE_PROMO_PROBABILITY = 0.6
_BLACK_WEEK_PROMO_PROBABILITY = 0.65


def black_friday(year: int) -> dt.date:
    """Fourth Friday of November."""
    first = dt.date(year, 11, 1)
    first_friday = first + dt.timedelta(days=(4 - first.weekday()) % 7)
    return first_friday + dt.timedelta(weeks=3)


@dataclass(frozen=True)
class DemandCalendar:
    """Per-day arrays for one tenant; branch axis follows `profile.branches`, category axis `categories`."""

    start: dt.date
    ordinals: IntArray  # days since 1970-01-01, for DATE columns
    weekday: IntArray  # 0 = Monday
    years: FloatArray  # years since the start of the history (growth, drift)
    is_open: BoolArray  # [branch, day]
    receipts_rate: FloatArray  # [branch, day] expected sale receipts at scale 1.0
    category_weight: FloatArray  # [day, category], rows sum to 1
    promo_probability: FloatArray  # [day]
    promo_depth_low: FloatArray  # [day]
    promo_depth_high: FloatArray  # [day]

    @property
    def days(self) -> int:
        return len(self.ordinals)

    def date(self, index: int) -> dt.date:
        return self.start + dt.timedelta(days=index)

    def index(self, day: dt.date) -> int:
        return (day - self.start).days


def _smooth_month_curve(curve: tuple[float, ...], doy: FloatArray) -> FloatArray:
    """Interpolate a 12-value month curve through mid-month points so demand has no month-end steps."""
    centers = (np.arange(12) + 0.5) * (365.25 / 12)
    values = np.asarray(curve, dtype=np.float64)
    xs = np.concatenate([centers - 365.25, centers, centers + 365.25])
    ys = np.concatenate([values, values, values])
    return np.interp(doy, xs, ys)


def _event_factors(dates: list[dt.date]) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Store and online traffic multipliers plus promo probability and depth band per day."""
    n = len(dates)
    store = np.ones(n)
    online = np.ones(n)
    promo = np.full(n, _BASE_PROMO_PROBABILITY)
    low = np.full(n, 0.10)
    high = np.full(n, 0.20)
    fridays = {y: black_friday(y) for y in {d.year for d in dates}}
    for i, d in enumerate(dates):
        bf = fridays[d.year]
        if d.month == 12 and d.day <= 23:
            store[i] *= 1.0 + 0.7 * d.day / 23
            online[i] *= 1.0 + 0.5 * d.day / 23
        elif d.month == 12 and d.day == 24:
            store[i] *= 0.6
            online[i] *= 0.5
        elif d.month == 12 and d.day >= 27:
            store[i] *= 1.15
        if bf - dt.timedelta(days=4) <= d <= bf + dt.timedelta(days=3):
            is_peak = d in (bf, bf + dt.timedelta(days=3))
            store[i] *= 1.8 if d == bf else 1.3
            online[i] *= 2.6 if is_peak else 1.8
            promo[i], low[i], high[i] = _BLACK_WEEK_PROMO_PROBABILITY, 0.20, 0.40
        elif d.month == 7 or (d.month == 1 and d.day >= 2):
            store[i] *= 1.12
            online[i] *= 1.15
            late = d.day > 15
            promo[i], low[i], high[i] = (
                _SALE_PROMO_PROBABILITY,
                (0.30 if late else 0.20),
                (0.50 if late else 0.40),
            )
    return store, online, promo, low, high


def build_calendar(
    profile: TenantProfile, end_date: dt.date, anomalies: tuple[PlantedAnomaly, ...]
) -> DemandCalendar:
    start = end_date - dt.timedelta(days=HISTORY_DAYS - 1)
    dates = [start + dt.timedelta(days=i) for i in range(HISTORY_DAYS)]
    ordinals = np.array([(d - EPOCH).days for d in dates], dtype=np.int64)
    weekday = np.array([d.weekday() for d in dates], dtype=np.int64)
    doy = np.array([d.timetuple().tm_yday for d in dates], dtype=np.float64)
    years = np.arange(HISTORY_DAYS, dtype=np.float64) / 365.25
    holiday = np.array([(d.month, d.day) in _STORE_HOLIDAYS for d in dates])

    cats = profile.categories
    weight = np.stack(
        [c.share * _smooth_month_curve(c.month_curve, doy) * (1.0 + c.yearly_growth) ** years for c in cats],
        axis=1,
    )
    spike = np.ones_like(weight)
    for a in anomalies:
        if a.kind is AnomalyKind.CATEGORY_SPIKE:
            k = [c.name for c in cats].index(a.category or "")
            mask = np.array([a.covers(d) for d in dates])
            spike[mask, k] = a.factor
    mix_level = weight.sum(axis=1)
    # A spike adds demand on top: the other categories keep their normal volume.
    spiked = weight * spike
    traffic_from_spike = spiked.sum(axis=1) / mix_level
    category_weight = spiked / spiked.sum(axis=1, keepdims=True)
    mix_level = mix_level / mix_level.mean()

    store_event, online_event, promo, low, high = _event_factors(dates)
    growth = (1.0 + profile.yearly_growth) ** years
    n_branches = len(profile.branches)
    is_open = np.ones((n_branches, HISTORY_DAYS), dtype=np.bool_)
    rate = np.zeros((n_branches, HISTORY_DAYS))
    for b, branch in enumerate(profile.branches):
        opened = np.array([d >= branch.opened_on for d in dates])
        if branch.is_online:
            day_factor = _ONLINE_WEEKDAY[weekday] / _ONLINE_WEEKDAY.mean() * online_event
            open_b = opened.copy()
        else:
            day_factor = _STORE_WEEKDAY[weekday] / _STORE_WEEKDAY[:6].mean() * store_event
            open_b = opened & (weekday != 6) & ~holiday
        for a in anomalies:
            hits_branch = (a.kind is AnomalyKind.STORE_CLOSURE and a.city == branch.city) or (
                a.kind is AnomalyKind.ONLINE_OUTAGE and branch.is_online
            )
            if hits_branch:
                open_b &= ~np.array([a.covers(d) for d in dates])
        is_open[b] = open_b
        rate[b] = branch.daily_receipts * day_factor * mix_level * traffic_from_spike * growth * open_b

    return DemandCalendar(
        start=start,
        ordinals=ordinals,
        weekday=weekday,
        years=years,
        is_open=is_open,
        receipts_rate=rate,
        category_weight=category_weight,
        promo_probability=promo,
        promo_depth_low=low,
        promo_depth_high=high,
    )
