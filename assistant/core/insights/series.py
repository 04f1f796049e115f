"""Numeric core of the insights: robust baselines, anomaly runs, exponential smoothing.

Pure numpy over plain arrays so that each piece can be checked on a series with a known answer.
Retail daily series are small counts with a weekday rhythm and the odd outlier (a promotion day, a
closed store): the baseline is therefore a *median* weekly level times weekday factors, its noise
a *MAD* of the residuals with a Poisson floor (a series of a handful of units a day is at least as
noisy as a Poisson count), and an anomaly is a *run* of same-signed residuals whose summed z-score
is large — a store closed for a week is seven mild days that only together are impossible.

Two refinements keep a weekly digest from crying wolf:

* **Zero runs under overdispersion.** Real daily demand is not Poisson: weather, a local event or a
  school holiday move a whole day. A day's count is modelled as Poisson with a gamma-distributed
  day factor of mean 1 and shape `k` (negative binomial), so a day expected to bring `e` orders
  sells nothing with probability (1 + e/k)^(−k) — e.g. e = 8, k = 20: 0.0012 instead of Poisson's
  exp(−8) = 0.0003. Days are independent, so a run's log-probability is the sum over its days; a
  long closure of mild days is still near-impossible, while one empty day needs a much larger
  expectation than the Poisson rule asked for (see `zero_run_log_probability`).
* **Yearly seasonality.** The trailing-window baseline lags a seasonal ramp (ski gear in October,
  its end in May). When a year of history exists, `yearly_ratio` measures how the same calendar
  window (52 weeks back, so weekdays align) stood against *its own* trailing window, shrinks that
  ratio toward 1 when last year's counts are small (a gamma-Poisson pseudo-count), clamps it, and
  the baseline is scaled by it (`Baseline.scaled`). The ratio's own uncertainty is carried as a
  relative variance of the level, so a run is judged against a wider band when the season, not the
  series, sets the expectation.
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
    level_rel_var: float = 0.0  # relative variance of `level` itself (a seasonal ratio's uncertainty)

    def expected(self, day: dt.date) -> float:
        return self.level * self.factors[day.weekday()]

    def variance(self, day: dt.date, *, counts: bool) -> float:
        floor = max(self.expected(day), 1.0) if counts else 0.0  # ±1 order a day is noise
        return max(self.sd**2, floor, 1e-9)

    def scaled(self, ratio: float, rel_var: float) -> Baseline:
        """This baseline moved by a seasonal `ratio`: level and noise scale together (retail noise
        is roughly multiplicative; the Poisson floor follows the expectation), and the level now
        carries the ratio's relative variance."""
        return Baseline(
            level=self.level * ratio,
            factors=self.factors,
            sd=self.sd * ratio,
            level_rel_var=self.level_rel_var + rel_var,
        )


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
    log_p: float | None = None  # for a zero run: ln of its probability under the baseline
    active_days: int | None = None  # for a zero run: its days that were expected to sell

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
    expected = np.array([baseline.expected(d) for d in days])
    best: AnomalyRun | None = None
    n = len(days)
    for i in range(n):
        r_sum = 0.0
        v_sum = 0.0
        e_sum = 0.0
        for j in range(i, n):
            r_sum += float(resid[j])
            v_sum += float(var[j])
            e_sum += float(expected[j])
            if j - i + 1 < min_days:
                continue
            # The level's own uncertainty is shared by every day of the run: it adds (Σe)²·var.
            z = r_sum / np.sqrt(v_sum + baseline.level_rel_var * e_sum**2)
            if best is None or abs(z) > abs(best.z):
                best = AnomalyRun(days[i], days[j], float(np.sum(values[i : j + 1])), e_sum, float(z))
    return best


def zero_run_log_probability(expected: Array | list[float], dispersion: float | None) -> float:
    """ln P(nothing sold on every one of these days) given each day's expectation.

    With `dispersion` k (negative binomial: Poisson with a gamma day factor of shape k) one day
    contributes −k·ln(1 + e/k); None is plain Poisson (−e). The sum over days assumes the days are
    independent, which is what makes a run of mild empty days strong evidence.
    """
    e = np.asarray(expected, dtype=float)
    if dispersion is None:
        return -float(e.sum())
    return -float(np.sum(dispersion * np.log1p(e / dispersion)))


def zero_runs(
    days: list[dt.date], values: Array, baseline: Baseline, *, dispersion: float | None = None
) -> list[AnomalyRun]:
    """Every maximal run of consecutive zero days (skipping days expected to be zero, like a
    closed Sunday): nothing sold where plenty was expected is what a closure or an outage looks
    like, and its probability (`zero_run_log_probability`, kept in `log_p`) does not depend on the
    noise estimate that a few busy days inflate. A maximal run is the least probable of its own
    sub-runs, so these are the only candidates. `z` is the normal deviate of that probability,
    −√(−2·ln p) (for Poisson −√(2·expected)); `active_days` counts the days expected to sell."""
    runs: list[AnomalyRun] = []
    start: dt.date | None = None
    end: dt.date | None = None
    run: list[float] = []

    def close() -> None:
        if start is not None and end is not None and run:
            log_p = zero_run_log_probability(run, dispersion)
            runs.append(
                AnomalyRun(start, end, 0.0, float(sum(run)), -float(np.sqrt(-2 * log_p)), log_p, len(run))
            )

    for d, v in zip(days, values, strict=True):
        e = baseline.expected(d)
        if v == 0:
            if e < 0.05:
                continue
            start = start or d
            end = d
            run.append(e)
        else:
            close()
            start, end, run = None, None, []
    close()
    return runs


YEAR = dt.timedelta(days=364)  # 52 weeks back: the same weekdays a year earlier


@dataclass(frozen=True)
class YearlyRatio:
    """How last year's same calendar window stood against its own trailing window.

    `ratio` multiplies this year's trailing baseline (shrunk, clamped); `rel_var` is its relative
    variance; `actual` and `expected` are last year's orders in the window and what its trailing
    window expected there (the numbers the ratio was computed from)."""

    ratio: float
    rel_var: float
    actual: float
    expected: float


def yearly_ratio(
    by_day: dict[dt.date, float],
    window: list[dt.date],
    period: list[dt.date],
    factors: Array,
    *,
    prior: float = 10.0,
    bounds: tuple[float, float] = (0.25, 4.0),
    year_cv: float = 0.1,
    min_weeks_with_sales: int = 6,
    recurring: dt.date | None = None,
) -> YearlyRatio | None:
    """The seasonal multiplier for `period` from last year (52 weeks back), or None without one.

    Last year's trailing window (`window` − 52 weeks) gets the same robust baseline as this year's;
    last year's orders in the period's window (at least a week, centred on a shorter period) are
    compared with it as (actual + prior) / (expected + prior): `prior` pseudo-orders shrink the
    ratio toward 1 when last year's counts are small (gamma-Poisson). The window is also measured
    one window-length earlier and later, and the median of the three ratios is taken: on a
    seasonal ramp the middle one is the median anyway, while a one-off last year (a closure, an
    event week) moves only one of the three and does not become this year's expectation. The
    ratio is clamped to `bounds`. Its relative variance is the shrunk count's Poisson part
    1 / (actual + prior) plus `year_cv`², because no season repeats exactly.

    None (keep the plain trailing baseline) when a day of last year's windows is missing from
    `by_day` (less than a year of history) or when the series sold in fewer than
    `min_weeks_with_sales` weeks of last year's trailing window (it did not exist yet, or is too
    sparse for a ratio to mean anything).

    `recurring`: last year's day of a calendar event the period holds (Black Friday, Christmas
    Eve, New Year's Day). Such a week recurs rather than being a one-off, so the ratio is last
    year's window that holds that day, not the median of three (which would drop it).
    """
    if not window or not period:
        return None
    measure = list(period)
    while len(measure) < 7:  # a single day's ratio is noise: measure the week around it
        measure = (
            [measure[0] - dt.timedelta(days=1), *measure]
            if len(measure) % 2
            else [*measure, measure[-1] + dt.timedelta(days=1)]
        )
    shift = dt.timedelta(days=7 * -(-len(measure) // 7))  # whole weeks keep the weekdays aligned
    ly_window = [d - YEAR for d in window]
    needed = [*ly_window, *(d - YEAR + k * shift for d in measure for k in (-1, 0, 1))]
    if any(d not in by_day for d in needed):
        return None
    ly_values = np.array([by_day[d] for d in ly_window], dtype=float)
    weeks_with_sales = {
        d - dt.timedelta(days=d.weekday()) for d, v in zip(ly_window, ly_values, strict=True) if v > 0
    }
    if len(weeks_with_sales) < min_weeks_with_sales:
        return None
    ly_baseline = fit_baseline(ly_window, ly_values, factors=factors)
    candidates = []
    for k in (-1, 0, 1):
        days = [d - YEAR + k * shift for d in measure]
        actual = float(sum(by_day[d] for d in days))
        expected = float(sum(ly_baseline.expected(d) for d in days))
        candidates.append(((actual + prior) / (expected + prior), actual, expected))
    ratio, actual, expected = sorted(candidates)[1]
    for k, candidate in zip((-1, 0, 1), candidates, strict=True):
        if recurring is not None and any(d - YEAR + k * shift == recurring for d in measure):
            ratio, actual, expected = candidate
            break
    low, high = bounds
    return YearlyRatio(
        ratio=float(min(max(ratio, low), high)),
        rel_var=1.0 / (actual + prior) + year_cv**2,
        actual=actual,
        expected=expected,
    )


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
