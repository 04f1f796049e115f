"""Numeric core of the insights: robust baselines, anomaly runs, exponential smoothing.

Pure numpy over plain arrays so that each piece can be checked on a series with a known answer.
Retail daily series are small counts with a weekday rhythm and the odd outlier (a promotion day, a
closed store): the baseline is therefore a *median* weekly level times weekday factors, its noise
a *MAD* of the residuals with a Poisson floor (a series of a handful of units a day is at least as
noisy as a Poisson count), and an anomaly is a *run* of same-signed residuals whose summed z-score
is large — a store closed for a week is seven mild days that only together are impossible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
MAD_TO_SD = 1.4826  # MAD of a normal distribution times this is its standard deviation


def robust_sd(values: Array) -> float:
    """1.4826 · median absolute deviation: a standard deviation that outliers cannot inflate."""
    if values.size == 0:
        return 0.0
    return float(MAD_TO_SD * np.median(np.abs(values - np.median(values))))


def weekday_factors(days: list[dt.date], values: Array) -> Array:
    """Seven multipliers (Monday first, mean 1) from the median of each weekday.

    Medians, not means, so that one outlier day does not tilt its weekday. A weekday with no
    observation, or a series with no signal at all, gets factor 1 (no pattern is assumed).
    """
    medians = np.ones(7)
    for wd in range(7):
        picked = np.array([v for d, v in zip(days, values, strict=True) if d.weekday() == wd])
        medians[wd] = float(np.median(picked)) if picked.size else np.nan
    if np.all(np.isnan(medians)):
        return np.ones(7)
    medians = np.where(np.isnan(medians), np.nanmean(medians), medians)
    mean = float(medians.mean())
    if mean <= 0:
        # Medians of a sparse count series are all 0: fall back on means (still weekday-shaped).
        means = np.array(
            [
                float(np.mean([v for d, v in zip(days, values, strict=True) if d.weekday() == wd] or [0.0]))
                for wd in range(7)
            ]
        )
        total = float(means.mean())
        return means / total if total > 0 else np.ones(7)
    return medians / mean


@dataclass(frozen=True)
class Baseline:
    """What a day is expected to be: `level` per average day times its weekday factor; `sd` is the
    robust day-to-day noise (before the Poisson floor)."""

    level: float
    factors: tuple[float, ...]
    sd: float

    def expected(self, day: dt.date) -> float:
        return self.level * self.factors[day.weekday()]

    def variance(self, day: dt.date, *, counts: bool) -> float:
        floor = max(self.expected(day), 1.0) if counts else 0.0  # ±1 order a day is noise
        return max(self.sd**2, floor, 1e-9)


def fit_baseline(days: list[dt.date], values: Array, *, factors: Array | None = None) -> Baseline:
    """Level = median of the trailing weekly means (robust to one odd week); noise = MAD of the
    weekday-adjusted residuals. `factors` may come from a pooled series (the whole tenant) when a
    single store's series is too sparse to have a reliable weekday shape of its own."""
    f = factors if factors is not None else weekday_factors(days, values)
    weeks: dict[dt.date, list[float]] = {}
    for d, v in zip(days, values, strict=True):
        if f[d.weekday()] >= 0.05:  # a closed day (factor ~0) says nothing about the level
            weeks.setdefault(d - dt.timedelta(days=d.weekday()), []).append(v / f[d.weekday()])
    weekly_levels = np.array([np.mean(v) for v in weeks.values() if len(v) >= 4])
    if weekly_levels.size == 0:
        level = float(np.mean(values)) if values.size else 0.0
    else:
        level = float(np.median(weekly_levels))
    residuals = np.array([v - level * f[d.weekday()] for d, v in zip(days, values, strict=True)])
    return Baseline(level=level, factors=tuple(float(x) for x in f), sd=robust_sd(residuals))


@dataclass(frozen=True)
class AnomalyRun:
    """Consecutive days that together depart from the baseline: `z` is the summed residual over
    the square root of the summed variances (negative = below expectation)."""

    start: dt.date
    end: dt.date
    actual: float
    expected: float
    z: float

    @property
    def change_pct(self) -> float | None:
        return (self.actual - self.expected) / self.expected if self.expected > 0 else None


def strongest_run(
    days: list[dt.date], values: Array, baseline: Baseline, *, counts: bool = True, min_days: int = 1
) -> AnomalyRun | None:
    """The contiguous stretch of at least `min_days` days with the largest |summed z|."""
    if not days:
        return None
    resid = np.array([v - baseline.expected(d) for d, v in zip(days, values, strict=True)])
    var = np.array([baseline.variance(d, counts=counts) for d in days])
    best: AnomalyRun | None = None
    n = len(days)
    for i in range(n):
        r_sum = 0.0
        v_sum = 0.0
        for j in range(i, n):
            r_sum += float(resid[j])
            v_sum += float(var[j])
            if j - i + 1 < min_days:
                continue
            z = r_sum / np.sqrt(v_sum)
            if best is None or abs(z) > abs(best.z):
                exp_sum = float(sum(baseline.expected(d) for d in days[i : j + 1]))
                best = AnomalyRun(days[i], days[j], float(np.sum(values[i : j + 1])), exp_sum, float(z))
    return best


def longest_zero_run(days: list[dt.date], values: Array, baseline: Baseline) -> AnomalyRun | None:
    """The run of consecutive zero days (skipping days expected to be zero, like a closed Sunday)
    with the most expected units: nothing sold where plenty was expected is what a closure or an
    outage looks like, and its Poisson probability exp(−expected) does not depend on the noise
    estimate that a few busy days inflate."""
    best: AnomalyRun | None = None
    start: dt.date | None = None
    expected = 0.0
    for d, v in zip(days, values, strict=True):
        e = baseline.expected(d)
        if v == 0:
            if e < 0.05:
                continue
            start = start or d
            expected += e
            if best is None or expected > best.expected:
                best = AnomalyRun(start, d, 0.0, expected, -float(np.sqrt(2 * expected)))
        else:
            start, expected = None, 0.0
    return best


@dataclass(frozen=True)
class ForecastPoint:
    step: int
    mean: float
    low: float
    high: float


def simple_exponential_smoothing(
    values: Array, horizon: int, *, z: float = 1.645
) -> tuple[float, tuple[ForecastPoint, ...]]:
    """ETS(A,N,N): level smoothing with α chosen by one-step squared error on a grid.

    The h-step interval is the model's own: σ²·(1 + (h−1)·α²), with σ from the one-step errors;
    `z` = 1.645 gives a 90 % interval. Negative bounds are clipped at 0 (demand is not negative).
    Returns (α, points).
    """
    if values.size < 3:
        raise ValueError("a forecast needs at least 3 observations")
    best_alpha, best_sse, best_level, best_err = 0.5, np.inf, float(values[0]), np.zeros(0)
    for alpha in np.linspace(0.05, 0.95, 19):
        level = float(values[0])
        errors = []
        for v in values[1:]:
            errors.append(float(v) - level)
            level += alpha * (float(v) - level)
        sse = float(np.sum(np.square(errors)))
        if sse < best_sse:
            best_alpha, best_sse, best_level, best_err = float(alpha), sse, level, np.array(errors)
    sigma = float(np.sqrt(np.mean(np.square(best_err)))) if best_err.size else 0.0
    points = []
    for h in range(1, horizon + 1):
        sd = sigma * np.sqrt(1 + (h - 1) * best_alpha**2)
        points.append(
            ForecastPoint(
                step=h, mean=best_level, low=max(0.0, best_level - z * sd), high=best_level + z * sd
            )
        )
    return best_alpha, tuple(points)


def contributions(
    current: dict[str, float], previous: dict[str, float]
) -> list[tuple[str, float, float, float]]:
    """(group, current, previous, change) for every group in either period, largest |change| first.

    For an additive metric the changes sum exactly to the total change, so each group's share of
    the change is its contribution — the drivers of a period-over-period move.
    """
    keys = set(current) | set(previous)
    rows = [
        (k, current.get(k, 0.0), previous.get(k, 0.0), current.get(k, 0.0) - previous.get(k, 0.0))
        for k in keys
    ]
    return sorted(rows, key=lambda r: (-abs(r[3]), r[0]))
