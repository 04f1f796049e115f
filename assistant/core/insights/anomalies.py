"""Anomalies in the daily orders of each store and each category.

Read by role (roles.py): the `purchases` metric (a retailer's orders: receipts are near-Poisson; units
jump with one big basket) of each `location` and each product `group`, valued with `sales`.

For every series the baseline is fitted on the trailing `TRAILING_DAYS` before the period (see
`series.py`: median weekly level × weekday factors, MAD noise with a Poisson floor). Weekday
factors come from the tenant's pooled series, since one store's few daily units have no reliable
rhythm of their own.

**Yearly seasonality.** The trailing window lags a seasonal ramp: eight weeks of late-summer ski
sales make October's season start look like a spike, and April's make the end of the season in
May look like an outage. When the warehouse holds a year of history before the trailing window,
the baseline is scaled by last year's ratio of the same calendar window (52 weeks back, so
weekdays align) to *its own* trailing window (`series.yearly_ratio`: shrunk toward 1 by
`YEARLY_PRIOR_ORDERS` pseudo-orders when last year's counts are small, clamped to
`YEARLY_BOUNDS`, median of three neighbouring windows so a one-off last year does not become this
year's expectation). A ramp that repeats last year's is then no news; a ramp much larger than
last year's still is (the planted Running ×3 week). When the history starts inside last year's
trailing window (the first year's Black Week and Christmas: last year's period is loaded, the
weeks before it only in part), the ratio and this year's baseline are both measured over the
window's days that last year holds too (at least `PARTIAL_YEAR_MIN_DAYS`), so the holiday rise is
measured against the same stretch of autumn in both years. A period that holds a recurring
calendar event (`RECURRING_EVENTS`: Black Friday, Christmas Eve, New Year's Day) takes last year's
window that held the event, not the median of three neighbouring windows, which is there to drop a
one-off last year and would drop the event too. Without last year's window the baseline is
today's trailing one.

**Yearly closing days.** A day without sales on a date that also had none last year, in a week
that sold otherwise (`closed_both_years`: Christmas Day, New Year's Day), is not judged; nor is
such a date most busy series of the tenant had closed last year (`chain_closing_days`), for a
store that opened since.

**Rises and drops.** A series is flagged when its strongest run of at least `MIN_DAYS` days inside
the period is both improbable (z ≥ `RISE_Z` or ≤ −`DROP_Z`; the seasonal ratio's uncertainty widens
the band) and large enough to matter (≥ `MIN_CHANGE` and ≥ `MIN_UNITS` apart).

**Zero runs, multiple-testing aware.** A run of days with no orders at all is judged by its
probability under a negative binomial day model (`series.zero_run_log_probability`, dispersion
`ZERO_DISPERSION`: a day's demand varies by about ±22 % beyond Poisson). A tenant's digest tests
every store and category on every day, about n_series × 365 chances a year, so the probability a
run must fall below is the false-alarm budget divided by that count: `ZERO_ALARMS_PER_YEAR`
expected false alarms per tenant and year for runs of two or more days, ten times fewer
(`ONE_DAY_ZERO_ALARMS_PER_YEAR`) for a single empty day — one day without orders is most often a
holiday or a late till upload the baseline cannot know of, and a digest reader cares about
closures and outages that last. For a tenant with 10 series this asks a single empty day to have
expected about 15 orders (the plain Poisson rule asked 8, and so raised about one false alarm per
tenant and year), a two-day outage about 10 in total and a closed week about 9.

Days after the tenant's last loaded day are never in a series (the report cuts its period there).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from assistant.core.insights.charts import actual_vs_expected
from assistant.core.insights.fetch import InsightContext, by_group, daily_query, daily_series
from assistant.core.insights.model import Figure, Insight, InsightKind, Severity
from assistant.core.insights.roles import DimensionRole, InsightRoles
from assistant.core.insights.series import (
    YEAR,
    AnomalyRun,
    Baseline,
    YearlyRatio,
    fit_baseline,
    strongest_run,
    weekday_factors,
    yearly_ratio,
    zero_runs,
)
from assistant.core.insights.wording import num, pct, plural, singular, span
from semantic_layer.query import Filter, SemanticQuery, TimeRange

TRAILING_DAYS = 56
RISE_Z = 6.0  # retail demand is right-skewed (promotions, big baskets): a rise needs more evidence
DROP_Z = 5.0
ZERO_DISPERSION = 20.0  # negative binomial shape k of a day's orders: day factor CV 1/√k ≈ 0.22
ZERO_ALARMS_PER_YEAR = 0.5  # expected false zero-run alarms (≥ 2 days) per tenant and year
ONE_DAY_ZERO_ALARMS_PER_YEAR = 0.05  # ... and for single empty days
HIGH_Z = 8.0
MIN_DAYS = 2  # one odd day is not news for a digest; a closure, an outage or an event week is
MIN_CHANGE = 0.4
MIN_UNITS = 5.0
OWN_PATTERN_MIN_DAILY = 3.0  # a series this busy has a weekday rhythm of its own (the online shop)
YEARLY_PRIOR_ORDERS = 10.0  # pseudo-orders that shrink last year's ratio toward 1
YEARLY_BOUNDS = (0.25, 4.0)  # a season moves a category at most this much against its trailing weeks
YEARLY_CV = 0.1  # seasons do not repeat exactly: the ratio's relative uncertainty at least
YEARLY_MIN_WEEKS = 6  # weeks of last year's trailing window with sales, for a ratio to mean anything
CLOSED_MIN_DAILY = 6.0  # orders a day last year's open days around a closing day must average
CLOSING_MIN_FACTOR = 0.5  # a weekday the tenant sells on (pooled factor; Sundays of closed stores are not)
PARTIAL_YEAR_MIN_DAYS = 21  # a shorter stretch of last year measures its level too loosely
CHAIN_WIDE_MIN = 3
BAND_Z = 2.0  # the chart's expected range: about 95 % of ordinary days fall inside it


def anomaly_needs(roles: InsightRoles) -> tuple[str, ...]:
    if roles.has("purchases") and anomaly_dimensions(roles):
        return ()
    return roles.missing(("purchases",), ("location", "group"))


def anomaly_dimensions(roles: InsightRoles) -> tuple[DimensionRole, ...]:
    """The location and the product group, those the transactions and sales reach."""
    return tuple(
        d
        for d in (roles.location, roles.group)
        if d is not None and roles.reaches("purchases", d) and roles.reaches("sales", d)
    )


@dataclass(frozen=True)
class DayBand:
    """One day of an anomaly's chart: what happened, what was expected, and the usual range."""

    day: dt.date
    actual: float
    expected: float
    low: float
    high: float


def day_band(baseline: Baseline, day: dt.date, actual: float) -> DayBand:
    """The expected value ± `BAND_Z` day-to-day standard deviations (the baseline's noise with its
    Poisson floor, plus the seasonal ratio's own uncertainty), never below zero."""
    expected = baseline.expected(day)
    sd = math.sqrt(baseline.variance(day, counts=True) + baseline.level_rel_var * expected**2)
    return DayBand(day, actual, expected, max(0.0, expected - BAND_Z * sd), expected + BAND_Z * sd)


@dataclass(frozen=True)
class SeriesAnomaly:
    group: str
    run: AnomalyRun
    daily: tuple[DayBand, ...]  # the last weeks of the window and the period
    seasonal: YearlyRatio | None = None  # last year's ratio the expectation was scaled by


def zero_run_limit(n_series: int, active_days: int) -> float:
    """The ln-probability a zero run of `active_days` days must not exceed to be reported: the
    yearly false-alarm budget over the tenant's n_series × 365 daily chances."""
    budget = ONE_DAY_ZERO_ALARMS_PER_YEAR if active_days <= 1 else ZERO_ALARMS_PER_YEAR
    return math.log(budget / (max(n_series, 1) * 365))


def detect(
    series: dict[str, dict[dt.date, float]],
    period_start: dt.date,
    period_end: dt.date,
    *,
    pooled_factors: np.ndarray | None = None,
    n_series: int | None = None,
) -> list[SeriesAnomaly]:
    """Pure detection over densified daily series.

    The baseline window is the `TRAILING_DAYS` before `period_start`; when each series also holds
    last year's days (the window and the period 52 weeks earlier, ± a period), the baseline is
    scaled by last year's seasonal ratio. A day missing from a series is a day without data (not a
    day without sales). `n_series` is how many series the tenant's digest tests in all (default:
    those given), which sets the zero-run threshold.
    """
    tested = n_series if n_series is not None else len(series)
    closing = chain_closing_days(series, period_start, period_end, pooled_factors)
    found = []
    for group, by_day in sorted(series.items()):
        days = sorted(by_day)
        window = [d for d in days if period_start - dt.timedelta(days=TRAILING_DAYS) <= d < period_start]
        inside = [d for d in days if period_start <= d <= period_end]
        if len(window) < 28 or not inside:
            continue
        w_values = np.array([by_day[d] for d in window], dtype=float)
        if float(w_values.sum()) <= 0:
            continue  # nothing sold before: a new store or category, not an anomaly
        own = float(w_values.mean()) >= OWN_PATTERN_MIN_DAILY
        trailing = fit_baseline(window, w_values, factors=None if own else pooled_factors)
        event = recurring_event(inside)
        seasonal = _seasonal(by_day, window, inside, trailing, event)
        if seasonal is None:
            # History that starts inside last year's window (the first year's Black Week and
            # Christmas): compare like with like over the window's days last year also holds.
            part = last_year_part(by_day, window)
            if part:
                seasonal = _seasonal(by_day, part, inside, trailing, event)
                if seasonal is not None:
                    p_values = np.array([by_day[d] for d in part], dtype=float)
                    trailing = fit_baseline(part, p_values, factors=None if own else pooled_factors)
        baseline = trailing if seasonal is None else trailing.scaled(seasonal.ratio, seasonal.rel_var)
        judged = [
            d
            for d in inside
            if not (closed_both_years(by_day, d, trailing.factors) or (d in closing and by_day[d] == 0))
        ]
        values = np.array([by_day[d] for d in judged], dtype=float)
        run = _flagged(judged, values, baseline, tested) if judged else None
        if run is None:
            continue
        shown = [d for d in days if period_start - dt.timedelta(days=21) <= d <= period_end]
        daily = tuple(day_band(trailing if d < period_start else baseline, d, by_day[d]) for d in shown)
        found.append(SeriesAnomaly(group, run, daily, seasonal))
    return found


def black_friday(year: int) -> dt.date:
    """The day after the fourth Thursday of November."""
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21 + 1)


# Days whose weeks recur every year (they are no one-off of last year's): their date in a year.
RECURRING_EVENTS = (black_friday, lambda y: dt.date(y, 12, 24), lambda y: dt.date(y, 1, 1))


def recurring_event(days: list[dt.date]) -> dt.date | None:
    """Last year's date of a recurring calendar event (`RECURRING_EVENTS`) these days hold."""
    for event in RECURRING_EVENTS:
        for year in sorted({d.year for d in days}):
            if event(year) in days:
                return event(year - 1)
    return None


def closed_both_years(by_day: dict[dt.date, float], day: dt.date, factors: tuple[float, ...]) -> bool:
    """Nothing sold on this day, nor on the same date last year — a weekday that normally sells
    (`factors`), in a week that sold on at least three other days, `CLOSED_MIN_DAILY` a day on
    average: a date the business closes every year (Christmas, New Year's Day), which a weekday
    baseline cannot know of and which is no closure to report."""
    if by_day.get(day) != 0:
        return False
    try:
        last = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return False
    if by_day.get(last) != 0 or factors[last.weekday()] < 0.05:
        return False
    # ... and busy enough that an empty day by chance was improbable (e^-6 ≈ 0.25 %): a sparse
    # series' zeros say nothing about closing days.
    return _busy_around(by_day, last)


def chain_closing_days(
    series: dict[str, dict[dt.date, float]],
    period_start: dt.date,
    period_end: dt.date,
    pooled_factors: np.ndarray | None,
) -> set[dt.date]:
    """The period's dates on which most series that were busy around that date last year sold
    nothing on it, on a weekday the tenant sells on (`pooled_factors`): the chain's yearly
    closing days, which also hold for a store that opened since (it has no last year of its own)."""
    if pooled_factors is None:
        return set()
    out = set()
    for k in range((period_end - period_start).days + 1):
        day = period_start + dt.timedelta(days=k)
        try:
            last = day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            continue
        if pooled_factors[last.weekday()] < CLOSING_MIN_FACTOR:
            continue
        votes = [
            by_day.get(last) == 0
            for by_day in series.values()
            if _busy_around(by_day, last) and last in by_day
        ]
        if votes and sum(votes) * 2 > len(votes):
            out.add(day)
    return out


def _busy_around(by_day: dict[dt.date, float], day: dt.date) -> bool:
    around = [v for k in range(-3, 4) if k and (v := by_day.get(day + dt.timedelta(days=k)))]
    return len(around) >= 3 and sum(around) / len(around) >= CLOSED_MIN_DAILY


def _seasonal(
    by_day: dict[dt.date, float],
    window: list[dt.date],
    inside: list[dt.date],
    trailing: Baseline,
    event: dt.date | None,
) -> YearlyRatio | None:
    return yearly_ratio(
        by_day,
        window,
        inside,
        np.array(trailing.factors),
        prior=YEARLY_PRIOR_ORDERS,
        bounds=YEARLY_BOUNDS,
        year_cv=YEARLY_CV,
        min_weeks_with_sales=min(YEARLY_MIN_WEEKS, -(-len(window) // 7) - 1),
        recurring=event,
    )


def last_year_part(by_day: dict[dt.date, float], window: list[dt.date]) -> list[dt.date]:
    """The trailing window's last days whose day 52 weeks earlier is loaded, when the history
    starts inside last year's window and they are at least `PARTIAL_YEAR_MIN_DAYS`; else []."""
    part: list[dt.date] = []
    for d in reversed(window):
        if d - YEAR not in by_day:
            break
        part.insert(0, d)
    return part if PARTIAL_YEAR_MIN_DAYS <= len(part) < len(window) else []


def _flagged(days: list[dt.date], values: np.ndarray, baseline: Baseline, n_series: int) -> AnomalyRun | None:
    reportable = [
        r
        for r in zero_runs(days, values, baseline, dispersion=ZERO_DISPERSION)
        if r.log_p is not None and r.log_p <= zero_run_limit(n_series, r.active_days or 1)
    ]
    if reportable:
        return min(reportable, key=lambda r: r.log_p or 0.0)
    run = strongest_run(days, values, baseline, min_days=MIN_DAYS)
    if run is None or not (run.z >= RISE_Z or run.z <= -DROP_Z):
        return None
    if run.actual == 0:
        return None  # an empty run is judged by the zero-run rule above, not by its z
    gap = abs(run.actual - run.expected)
    relative = gap / run.expected if run.expected > 0 else np.inf
    return run if gap >= MIN_UNITS and relative >= MIN_CHANGE else None


def anomaly_insights(ctx: InsightContext) -> list[Insight]:
    p = ctx.period
    metric = ctx.roles.name("purchases")
    dimensions = [(d.name, d.noun) for d in anomaly_dimensions(ctx.roles)]
    window_start = p.start - dt.timedelta(days=TRAILING_DAYS)
    # Last year's trailing window and period, one period-length either side (`yearly_ratio`).
    fetch_start = window_start - YEAR - dt.timedelta(days=7)
    if ctx.data_start is not None:
        fetch_start = max(fetch_start, ctx.data_start)
    pooled = daily_series(ctx, metric, None, window_start, p.end).get("", {})
    factors = None
    if pooled:
        days = sorted(d for d in pooled if d < p.start)
        factors = weekday_factors(days, np.array([pooled[d] for d in days], dtype=float))
    by_dimension = {dim: daily_series(ctx, metric, dim, fetch_start, p.end) for dim, _ in dimensions}
    n_series = sum(len(s) for s in by_dimension.values())
    found = {
        dim: detect(by_dimension[dim], p.start, p.end, pooled_factors=factors, n_series=n_series)
        for dim, _ in dimensions
    }
    wide = chain_wide({dim: (len(by_dimension[dim]), found[dim]) for dim, _ in dimensions})
    insights = []
    for dimension, noun in dimensions:
        if not found[dimension]:
            continue
        per_order = value_per_order(ctx, dimension, window_start, p.start - dt.timedelta(days=1))
        for a in found[dimension]:
            insights.append(_insight(ctx, dimension, noun, a, per_order.get(a.group)))
    if wide == 0:
        return insights
    same = [i for i in insights if (i.figure("change_pct") or 0.0) * wide > 0]
    return [i for i in insights if i not in same] + [_chain_wide_insight(ctx, same, wide, pooled, factors)]


def chain_wide(found: dict[str, tuple[int, list[SeriesAnomaly]]]) -> int:
    """+1 / −1 when the stores or the categories move together — at least half of one dimension's
    series (and `CHAIN_WIDE_MIN` or more) flagged in the same direction — else 0. A week every
    store sells far above its usual (Black Week, a heat wave) is one chain-wide finding, not one
    per store and category: the digest says it once."""
    for total, anomalies in found.values():
        for sign in (1, -1):
            moved = sum(1 for a in anomalies if (a.run.actual - a.run.expected) * sign > 0)
            if moved >= CHAIN_WIDE_MIN and moved * 2 >= total:
                return sign
    return 0


def _chain_wide_insight(
    ctx: InsightContext,
    same: list[Insight],
    sign: int,
    pooled: dict[dt.date, float],
    factors: np.ndarray | None,
) -> Insight:
    p = ctx.period
    names = [i.subject for i in same]
    window = [d for d in sorted(pooled) if d < p.start]
    inside = [d for d in sorted(pooled) if p.start <= d <= p.end]
    baseline = fit_baseline(window, np.array([pooled[d] for d in window], dtype=float), factors=factors)
    actual = sum(pooled[d] for d in inside)
    expected = sum(baseline.expected(d) for d in inside)
    change = (actual - expected) / expected if expected > 0 else None
    word = "above" if sign > 0 else "below"
    location = ctx.roles.location
    stores = [
        i for i in same if location and i.query.filters and i.query.filters[0].dimension == location.name
    ]
    nouns = " and ".join(plural(d.noun) for d in anomaly_dimensions(ctx.roles))
    orders = ctx.roles.metric("purchases").noun
    group = ctx.roles.group.noun if ctx.roles.group is not None else "group"
    shown = [d for d in sorted(pooled) if p.start - dt.timedelta(days=21) <= d <= p.end]
    bands = [day_band(baseline, d, pooled[d]) for d in shown]
    return Insight(
        kind=InsightKind.ANOMALY,
        severity=Severity.MEDIUM,
        headline=(
            f"Chain-wide: {len(names)} {nouns} sold far {word} their usual "
            f"({', '.join(names[:6])}{', …' if len(names) > 6 else ''}); all {orders} "
            f"{num(ctx, actual, 'integer')}, about {num(ctx, expected, 'integer')} expected "
            f"({pct(ctx, change)})."
        ),
        subject="chain-wide",
        brief=f"{len(names)} series {word} their usual",
        figures=(
            Figure(name="actual", value=actual, format="integer"),
            Figure(name="expected", value=round(expected, 1), format="number"),
            Figure(name="change_pct", value=change, format="percent"),
            Figure(name="series", value=float(len(names)), format="integer"),
        ),
        query=daily_query(ctx.roles.name("purchases"), None, p.start - dt.timedelta(days=21), p.end),
        question=f"{orders} per day from {p.start - dt.timedelta(days=21)} to {p.end}",
        chart=actual_vs_expected(
            f"All {orders} per day and the expected range",
            [(b.day.isoformat(), b.actual, b.expected, b.low, b.high) for b in bands],
        ),
        score=max(i.score for i in same),
        impact=sum(i.impact or 0.0 for i in stores) if stores else max(i.impact or 0.0 for i in same),
        impact_basis=(
            f"the {plural(location.noun)}' gaps added up"
            if stores and location
            else f"the largest {group}'s gap ({plural(group)} share baskets)"
        ),
    )


def value_per_order(ctx: InsightContext, dimension: str, start: dt.date, end: dt.date) -> dict[str, float]:
    """Net sales per order of each group over the trailing window: what one order more or less is
    worth there (a category's share of its baskets, a store's average basket)."""
    sales = by_group(ctx, ctx.roles.name("sales"), dimension, start, end)
    orders = by_group(ctx, ctx.roles.name("purchases"), dimension, start, end)
    return {g: sales.get(g, 0.0) / n for g, n in orders.items() if n > 0}


def _insight(
    ctx: InsightContext, dimension: str, noun: str, a: SeriesAnomaly, per_order: float | None
) -> Insight:
    run = a.run
    orders, sales = ctx.roles.metric("purchases").noun, ctx.roles.sales.noun
    expected = num(ctx, run.expected, "integer")
    gap = abs(run.actual - run.expected)
    impact = None if per_order is None else gap * per_order
    basis = (
        ""
        if per_order is None
        else f"{num(ctx, gap, 'integer')} {orders} {'fewer' if run.actual < run.expected else 'more'} than "
        f"expected × {num(ctx, per_order, 'currency')} {sales} per {singular(orders)} of {a.group}"
    )
    when = span(ctx, run.start, run.end)
    usual = "the usual" if a.seasonal is None else "the season's usual"
    if run.actual == 0:
        what = (
            f"had no {orders} ({when}), against about {num(ctx, run.expected, 'integer')} {orders} expected"
        )
    else:
        word = "far above" if run.z > 0 else "far below"
        what = (
            f"had {num(ctx, run.actual, 'integer')} {orders} ({when}), {word} {usual} "
            f"{num(ctx, run.expected, 'integer')} ({pct(ctx, run.change_pct)})"
        )
    seasonal = (
        () if a.seasonal is None else (Figure(name="seasonal_factor", value=round(a.seasonal.ratio, 2)),)
    )
    base = daily_query(ctx.roles.name("purchases"), dimension, run.start, run.end)
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
            *seasonal,
        ),
        query=query,
        question=f"{orders} per day for {a.group} from {run.start - dt.timedelta(days=21)} to {run.end}",
        chart=actual_vs_expected(
            f"{a.group}: {orders} per day and the expected range",
            [(b.day.isoformat(), b.actual, b.expected, b.low, b.high) for b in a.daily],
        ),
        score=abs(run.z),
        brief=f"{num(ctx, run.actual, 'integer')} {orders}, {expected} expected ({when})",
        impact=impact,
        impact_basis=basis,
    )
