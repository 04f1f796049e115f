"""Anomalies in the daily orders of each store and each category.

For every series the baseline is fitted on the trailing weeks before the period (see `series.py`:
median weekly level × weekday factors, MAD noise with a Poisson floor). Weekday factors come from
the tenant's pooled series, since one store's few daily units have no reliable rhythm of their own;
the trailing window follows slow, yearly movements (a season moves the baseline along with it).
A series is flagged when its strongest run of days inside the period is both improbable
(|z| ≥ `Z_THRESHOLD`) and large enough to matter (≥ `MIN_CHANGE` and ≥ `MIN_UNITS` apart).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from assistant.insights.charts import actual_vs_expected
from assistant.insights.fetch import InsightContext, daily_query, daily_series
from assistant.insights.model import Figure, Insight, InsightKind, Severity
from assistant.insights.series import (
    AnomalyRun,
    Baseline,
    fit_baseline,
    longest_zero_run,
    strongest_run,
    weekday_factors,
)
from assistant.insights.wording import num, pct, span
from semantic_layer.query import Filter, SemanticQuery, TimeRange

METRIC = "orders"  # receipts are near-Poisson; units jump with one big basket
TRAILING_DAYS = 56
RISE_Z = 6.0  # retail demand is right-skewed (promotions, big baskets): a rise needs more evidence
DROP_Z = 5.0
ZERO_RUN_EXPECTED = 8.0  # nothing sold where ≥ 8 orders were expected: p = exp(−8) ≈ 0.0003
HIGH_Z = 8.0
MIN_DAYS = 2  # one odd day is not news for a digest; a closure, an outage or an event week is
MIN_CHANGE = 0.4
MIN_UNITS = 5.0
OWN_PATTERN_MIN_DAILY = 3.0  # a series this busy has a weekday rhythm of its own (the online shop)
DIMENSIONS: tuple[tuple[str, str], ...] = (("store__store_name", "store"), ("product__category", "category"))


@dataclass(frozen=True)
class SeriesAnomaly:
    group: str
    run: AnomalyRun
    daily: tuple[tuple[dt.date, float, float], ...]  # day, actual, expected (window + period)


def detect(
    series: dict[str, dict[dt.date, float]],
    period_start: dt.date,
    period_end: dt.date,
    *,
    pooled_factors: np.ndarray | None = None,
) -> list[SeriesAnomaly]:
    """Pure detection over densified daily series; the window is every day before `period_start`."""
    found = []
    for group, by_day in sorted(series.items()):
        days = sorted(by_day)
        window = [d for d in days if d < period_start]
        inside = [d for d in days if period_start <= d <= period_end]
        if len(window) < 28 or not inside:
            continue
        w_values = np.array([by_day[d] for d in window], dtype=float)
        if float(w_values.sum()) <= 0:
            continue  # nothing sold before: a new store or category, not an anomaly
        own = float(w_values.mean()) >= OWN_PATTERN_MIN_DAILY
        baseline = fit_baseline(window, w_values, factors=None if own else pooled_factors)
        values = np.array([by_day[d] for d in inside], dtype=float)
        run = _flagged(inside, values, baseline)
        if run is None:
            continue
        shown = [d for d in days if d >= period_start - dt.timedelta(days=21)]
        found.append(SeriesAnomaly(group, run, tuple((d, by_day[d], baseline.expected(d)) for d in shown)))
    return found


def _flagged(days: list[dt.date], values: np.ndarray, baseline: Baseline) -> AnomalyRun | None:
    zeros = longest_zero_run(days, values, baseline)
    if zeros is not None and zeros.expected >= ZERO_RUN_EXPECTED:
        return zeros
    run = strongest_run(days, values, baseline, min_days=MIN_DAYS)
    if run is None or not (run.z >= RISE_Z or run.z <= -DROP_Z):
        return None
    gap = abs(run.actual - run.expected)
    relative = gap / run.expected if run.expected > 0 else np.inf
    return run if gap >= MIN_UNITS and relative >= MIN_CHANGE else None


def anomaly_insights(ctx: InsightContext) -> list[Insight]:
    p = ctx.period
    window_start = p.start - dt.timedelta(days=TRAILING_DAYS)
    pooled = daily_series(ctx, METRIC, None, window_start, p.end).get("", {})
    factors = None
    if pooled:
        days = sorted(d for d in pooled if d < p.start)
        factors = weekday_factors(days, np.array([pooled[d] for d in days], dtype=float))
    insights = []
    for dimension, noun in DIMENSIONS:
        series = daily_series(ctx, METRIC, dimension, window_start, p.end)
        for a in detect(series, p.start, p.end, pooled_factors=factors):
            insights.append(_insight(ctx, dimension, noun, a))
    return insights


def _insight(ctx: InsightContext, dimension: str, noun: str, a: SeriesAnomaly) -> Insight:
    run = a.run
    when = span(ctx, run.start, run.end)
    if run.actual == 0:
        what = f"had no orders ({when}), against about {num(ctx, run.expected, 'integer')} orders expected"
    else:
        word = "far above" if run.z > 0 else "far below"
        what = (
            f"had {num(ctx, run.actual, 'integer')} orders ({when}), {word} the usual "
            f"{num(ctx, run.expected, 'integer')} ({pct(ctx, run.change_pct)})"
        )
    base = daily_query(METRIC, dimension, run.start, run.end)
    query = SemanticQuery(
        metrics=base.metrics,
        group_by=base.group_by,
        time_grain=base.time_grain,
        filters=(Filter(dimension=dimension, values=(a.group,)),),
        time_range=TimeRange(start=run.start - dt.timedelta(days=21), end=run.end),
    )
    return Insight(
        kind=InsightKind.ANOMALY,
        severity=Severity.HIGH if run.actual == 0 or abs(run.z) >= HIGH_Z else Severity.MEDIUM,
        headline=f"Unusual: {noun} {a.group} {what}.",
        subject=a.group,
        figures=(
            Figure(name="actual", value=run.actual, format="integer"),
            Figure(name="expected", value=round(run.expected, 1), format="number"),
            Figure(name="change_pct", value=run.change_pct, format="percent"),
            Figure(name="z", value=round(run.z, 2), format="number"),
            Figure(name="days", value=float((run.end - run.start).days + 1), format="integer"),
        ),
        query=query,
        question=f"orders per day for {a.group} from {run.start - dt.timedelta(days=21)} to {run.end}",
        chart=actual_vs_expected(
            f"{a.group}: orders per day vs expected", [(d.isoformat(), v, e) for d, v, e in a.daily]
        ),
        score=abs(run.z),
    )
