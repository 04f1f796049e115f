"""Anomaly precision on synthetic series with known answers: a seasonal ramp that repeats last
year's is no news while one three times larger is; one empty day with a modest expectation is not
reported while a closure is; a period the data end inside of is cut there and labelled; a steady
series raises nothing over a whole year of weekly digests."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from assistant.core.insights.anomalies import (
    ONE_DAY_ZERO_ALARMS_PER_YEAR,
    ZERO_ALARMS_PER_YEAR,
    ZERO_DISPERSION,
    detect,
    zero_run_limit,
)
from assistant.core.insights.model import Period
from assistant.core.insights.periods import loaded_part, period_for
from assistant.core.insights.series import (
    YEAR,
    Baseline,
    weekday_factors,
    yearly_ratio,
    zero_run_log_probability,
    zero_runs,
)

FIRST = dt.date(2024, 11, 4)  # a Monday; two years of history like the demo warehouse
LAST = dt.date(2026, 10, 31)
WEEKDAY = np.array([0.8, 0.85, 0.9, 1.0, 1.2, 1.65, 0.6])  # busy Saturday, quiet Sunday (mean ≈ 1)
RAMP_START = (9, 7)  # (month, day) the season starts ramping up, e.g. ski gear in autumn
RAMP_DAYS = 42
PERIOD = (dt.date(2026, 10, 12), dt.date(2026, 10, 18))  # a week near the top of this year's ramp


def _days(first: dt.date = FIRST, last: dt.date = LAST) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _ramp(day: dt.date, base: float, top: float) -> float:
    """`base` orders a day, rising linearly to `top` over RAMP_DAYS from RAMP_START each year."""
    start = dt.date(day.year, *RAMP_START)
    progress = min(max((day - start).days / RAMP_DAYS, 0.0), 1.0)
    return base + (top - base) * progress


def _poisson(rates: dict[dt.date, float], seed: int) -> dict[dt.date, float]:
    rng = np.random.default_rng(seed)
    return {d: float(rng.poisson(r * WEEKDAY[d.weekday()])) for d, r in rates.items()}


def _seasonal(period_factor: float, seed: int = 1) -> dict[dt.date, float]:
    """Both years ramp 4 → 24 orders a day from early September; this year's PERIOD sells
    `period_factor` times the ramp (1: the season as last year)."""
    rates = {
        d: _ramp(d, 4.0, 24.0) * (period_factor if PERIOD[0] <= d <= PERIOD[1] else 1.0) for d in _days()
    }
    return _poisson(rates, seed)


def _this_year_only(series: dict[dt.date, float]) -> dict[dt.date, float]:
    return {d: v for d, v in series.items() if d >= dt.date(2026, 6, 1)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_seasonal_ramp_that_repeats_last_years_is_no_anomaly(seed: int) -> None:
    series = {"Ski": _seasonal(1.0, seed)}
    # Without last year the trailing eight weeks lag the ramp: the week reads as a rise ...
    [lagging] = detect({"Ski": _this_year_only(series["Ski"])}, *PERIOD)
    assert lagging.run.z > 6 and lagging.seasonal is None
    # ... with last year's same window it is the season, as usual.
    assert detect(series, *PERIOD) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_ramp_three_times_last_years_is_an_anomaly(seed: int) -> None:
    """The same season, but the week sells three times what last year's ramp had there (the
    planted Running week of the demo data, on a seasonal category)."""
    series = {"Ski": _seasonal(3.0, seed)}
    [found] = detect(series, *PERIOD)
    assert found.seasonal is not None and found.seasonal.ratio > 1.5  # the season was accounted for
    assert found.run.z > 6 and found.run.actual > 2 * found.run.expected


def test_the_yearly_ratio_is_shrunk_toward_one_when_last_years_counts_are_small() -> None:
    window = _days(PERIOD[0] - dt.timedelta(days=56), PERIOD[0] - dt.timedelta(days=1))
    period = _days(*PERIOD)
    factors = np.ones(7)

    def ratio(scale: float) -> float:
        # last year: `scale` orders a day in the window, 3 × `scale` in the period's weeks
        by_day = {d: scale for d in _days(window[0] - YEAR - dt.timedelta(days=7), LAST)}
        for d in _days(period[0] - YEAR - dt.timedelta(days=7), period[-1] - YEAR + dt.timedelta(days=7)):
            by_day[d] = 3 * scale
        found = yearly_ratio(by_day, window, period, factors)
        assert found is not None
        return found.ratio

    assert ratio(50.0) == pytest.approx(3.0, rel=0.05)  # plenty of orders: last year's ratio
    assert 1.0 < ratio(0.5) < 1.6  # a handful: mostly the prior of 1


def test_the_yearly_ratio_is_clamped_and_needs_a_year_of_history() -> None:
    window = _days(PERIOD[0] - dt.timedelta(days=56), PERIOD[0] - dt.timedelta(days=1))
    period = _days(*PERIOD)
    by_day = {d: 100.0 for d in _days(window[0] - YEAR - dt.timedelta(days=7), LAST)}
    for d in _days(period[0] - YEAR - dt.timedelta(days=7), period[-1] - YEAR + dt.timedelta(days=7)):
        by_day[d] = 1000.0
    found = yearly_ratio(by_day, window, period, np.ones(7))
    assert found is not None and found.ratio == 4.0
    short = {d: v for d, v in by_day.items() if d >= window[0] - YEAR + dt.timedelta(days=1)}
    assert yearly_ratio(short, window, period, np.ones(7)) is None


def test_a_closure_last_year_does_not_become_this_years_expectation() -> None:
    """Last year's same week sold nothing (a renovation): the median of the neighbouring windows
    ignores it, so this year's normal week is not reported as a fivefold rise."""
    rates = {d: 10.0 for d in _days()}
    series = _poisson(rates, 5)
    for d in _days(PERIOD[0] - YEAR, PERIOD[1] - YEAR):
        series[d] = 0.0
    assert detect({"Köln": series}, *PERIOD) == []


def test_a_steady_series_raises_nothing_in_a_year_of_weekly_digests() -> None:
    """Ten series from 1 to 60 orders a day, overdispersed like real demand (gamma day factor of
    the model's own dispersion): a weekly digest over every week of a year reports nothing."""
    rng = np.random.default_rng(11)
    days = _days()
    series = {}
    for i, level in enumerate((1, 2, 4, 6, 8, 10, 15, 25, 40, 60)):
        day_factor = rng.gamma(ZERO_DISPERSION, 1 / ZERO_DISPERSION, size=len(days))
        series[f"s{i}"] = {
            d: float(rng.poisson(level * WEEKDAY[d.weekday()] * f))
            for d, f in zip(days, day_factor, strict=True)
        }
    found = []
    week = dt.date(2025, 11, 3)
    while week + dt.timedelta(days=6) <= LAST:
        found += [(week, a.group, a.run) for a in detect(series, week, week + dt.timedelta(days=6))]
        week += dt.timedelta(weeks=1)
    assert found == []


def _baseline(level: float) -> Baseline:
    return Baseline(level=level, factors=(1.0,) * 7, sd=math.sqrt(level))


def test_one_empty_day_with_a_modest_expectation_is_not_reported() -> None:
    """The old rule flagged any empty day expected to sell 8 or more (p = e^-8); across a tenant's
    ~10 series × 365 days that is about one false alarm a year. Now a single day needs about 15."""
    days = _days(dt.date(2026, 1, 19), dt.date(2026, 1, 25))
    for level, reported in ((9.0, False), (12.0, False), (25.0, True)):
        series = {
            "Decor": {
                d: 0.0 if d == days[3] else level for d in _days(days[0] - dt.timedelta(days=56), days[-1])
            }
        }
        found = detect(series, days[0], days[-1], n_series=10)
        assert bool(found) is reported, level
        if reported:
            assert (found[0].run.start, found[0].run.end, found[0].run.actual) == (days[3], days[3], 0.0)


def test_a_multi_day_closure_is_found_even_with_a_small_expectation_per_day() -> None:
    """A two-day online outage of ~6 orders a day and a closed week of ~2 a day (the demo's planted
    outage and closure at scale 0.1) are reported; each day alone would not be."""
    for per_day, closed in ((6.0, 2), (2.0, 6)):
        days = _days(dt.date(2026, 6, 8), dt.date(2026, 6, 14))
        series = {
            "Shop": {
                d: 0.0 if days[0] <= d < days[0] + dt.timedelta(days=closed) else per_day
                for d in _days(days[0] - dt.timedelta(days=56), days[-1])
            }
        }
        [found] = detect(series, days[0], days[-1], n_series=10)
        assert found.run.actual == 0 and found.run.active_days == closed
        assert found.run.expected == pytest.approx(per_day * closed)


def test_the_zero_run_limit_is_the_yearly_false_alarm_budget_over_the_tenants_chances() -> None:
    assert math.exp(zero_run_limit(10, 2)) * 10 * 365 == pytest.approx(ZERO_ALARMS_PER_YEAR)
    assert math.exp(zero_run_limit(10, 1)) * 10 * 365 == pytest.approx(ONE_DAY_ZERO_ALARMS_PER_YEAR)
    # More series, more chances: each must be rarer.
    assert zero_run_limit(20, 2) < zero_run_limit(10, 2)
    # Overdispersion makes an empty day likelier than Poisson says, and a run of mild days
    # stronger evidence than one busy day with the same total.
    assert zero_run_log_probability([8.0], ZERO_DISPERSION) > zero_run_log_probability([8.0], None)
    assert zero_run_log_probability([4.0, 4.0], ZERO_DISPERSION) < zero_run_log_probability(
        [8.0], ZERO_DISPERSION
    )


def test_zero_runs_skip_closed_days_and_report_each_run() -> None:
    days = _days(dt.date(2026, 3, 16), dt.date(2026, 3, 22))  # Monday..Sunday
    baseline = Baseline(level=5.0, factors=(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0), sd=2.0)
    values = np.array([0.0, 0.0, 4.0, 0.0, 5.0, 0.0, 0.0])
    runs = zero_runs(days, values, baseline, dispersion=ZERO_DISPERSION)
    assert [(r.start, r.end, r.active_days) for r in runs] == [
        (days[0], days[1], 2),
        (days[3], days[3], 1),
        (days[5], days[5], 1),  # Saturday; the closed Sunday neither extends nor breaks it
    ]


def test_a_day_without_data_is_never_read_as_a_day_without_orders() -> None:
    """The series end on the last loaded day (Saturday): the Sunday of the period is absent, and
    the busy online shop is not reported as having sold nothing that day."""
    start, end = dt.date(2026, 10, 26), dt.date(2026, 11, 1)
    series = {"Online-Shop": {d: 12.0 for d in _days(start - dt.timedelta(days=56), dt.date(2026, 10, 31))}}
    assert detect(series, start, end) == []


def test_a_period_the_data_end_inside_of_is_cut_there_and_labelled() -> None:
    week = period_for(dt.date(2026, 11, 2))
    assert (week.start, week.end) == (dt.date(2026, 10, 26), dt.date(2026, 11, 1))
    cut = loaded_part(week, dt.date(2026, 10, 31))
    assert (cut.start, cut.end, cut.calendar_end) == (week.start, dt.date(2026, 10, 31), week.end)
    assert cut.partly_loaded and "partly loaded: data through 2026-10-31" in cut.label
    # Compared with as many days of the week before, not a full one.
    assert (cut.previous_start, cut.previous_end) == (dt.date(2026, 10, 19), dt.date(2026, 10, 24))
    assert cut.days == 6
    # Fully loaded, or after the data (left to the no-data error): unchanged.
    assert loaded_part(week, dt.date(2026, 11, 1)) == week
    assert loaded_part(week, dt.date(2026, 10, 20)) == week
    assert not week.partly_loaded


def test_a_partly_loaded_month_compares_with_no_more_than_the_month_before() -> None:
    march = period_for(dt.date(2026, 4, 1), "month")
    cut = loaded_part(march, dt.date(2026, 3, 30))
    assert (cut.previous_start, cut.previous_end) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert isinstance(cut, Period) and cut.partly_loaded


HISTORY_START = dt.date(2024, 11, 1)  # two years ending 2026-10-31, as the demo and the benchmark
BLACK_WEEK = (dt.date(2025, 11, 24), dt.date(2025, 11, 30))  # the first Black Week with a last year


def _black_weeks(week_factor: float, seed: int) -> dict[dt.date, float]:
    """12 orders a day; both Black Weeks (2024: 25 Nov–1 Dec, 52 weeks before 2025's) sell 2.2
    times that; this year's sells `week_factor` times its usual Black Week."""
    rates = {}
    for d in _days(HISTORY_START, dt.date(2025, 12, 14)):
        black = dt.date(2024, 11, 25) <= d <= dt.date(2024, 12, 1) or BLACK_WEEK[0] <= d <= BLACK_WEEK[1]
        rates[d] = (
            12.0 * (2.2 if black else 1.0) * (week_factor if BLACK_WEEK[0] <= d <= BLACK_WEEK[1] else 1.0)
        )
    return _poisson(rates, seed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_first_years_black_week_is_measured_against_last_years_though_its_autumn_is_partial(
    seed: int,
) -> None:
    """History starts on 1 November: last year's Black Week is loaded, the eight weeks before it
    only in part. The week is no news when it repeats last year's, and still news when it sells
    three times last year's Black Week (a category spike inside it)."""
    usual = {"Shoes": _black_weeks(1.0, seed)}
    assert detect(usual, *BLACK_WEEK) == []
    spiked = {"Shoes": _black_weeks(3.0, seed)}
    [found] = detect(spiked, *BLACK_WEEK)
    assert found.seasonal is not None and found.seasonal.ratio > 1.5  # last year's Black Week counted
    assert found.run.z > 6 and found.run.actual > 2 * found.run.expected


CHRISTMAS_WEEK = (dt.date(2025, 12, 22), dt.date(2025, 12, 28))


def _christmas(closed_from: dt.date | None, seed: int) -> dict[dt.date, float]:
    """A store: 30 orders a day, closed on Sundays, Christmas Day, Boxing Day and New Year's Day
    every year (history from 1 November 2024); `closed_from` closes it too from that day to the
    end of this year's Christmas week."""
    rates = {}
    for d in _days(HISTORY_START, dt.date(2026, 1, 11)):
        closed = d.weekday() == 6 or (d.month, d.day) in ((12, 25), (12, 26), (1, 1))
        if closed_from is not None and closed_from <= d <= CHRISTMAS_WEEK[1]:
            closed = True
        rates[d] = 0.0 if closed else 30.0
    return _poisson(rates, seed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_yearly_christmas_closing_days_are_no_closure_but_a_real_closure_still_is(seed: int) -> None:
    assert detect({"Köln": _christmas(None, seed)}, *CHRISTMAS_WEEK) == []
    new_year = (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert detect({"Köln": _christmas(None, seed)}, *new_year) == []
    [closure] = detect({"Köln": _christmas(dt.date(2025, 12, 22), seed)}, *CHRISTMAS_WEEK)
    assert closure.run.actual == 0 and closure.run.start == dt.date(2025, 12, 22)


def test_a_store_opened_since_keeps_the_chains_christmas_closing_days() -> None:
    """A store opened in the spring has no Christmas of its own last year; the other stores had
    the same dates closed, so its empty Christmas Day and Boxing Day are no closure either."""
    series = {f"Store {seed}": _christmas(None, seed) for seed in (1, 2, 3)}
    series["New store"] = {d: v for d, v in _christmas(None, 4).items() if d >= dt.date(2025, 4, 1)}
    series["New store"].update({d: 0.0 for d in _days(HISTORY_START, dt.date(2025, 3, 31))})  # densified
    pooled = {d: sum(s[d] for s in series.values()) for d in series["Store 1"]}
    window = sorted(d for d in pooled if d < CHRISTMAS_WEEK[0])[-56:]
    factors = weekday_factors(window, np.array([pooled[d] for d in window], dtype=float))
    assert detect(series, *CHRISTMAS_WEEK, pooled_factors=factors) == []
    # Without the other stores' last year it would read as a two-day closure.
    [alone] = detect({"New store": series["New store"]}, *CHRISTMAS_WEEK, pooled_factors=factors)
    assert alone.run.actual == 0 and alone.run.start == dt.date(2025, 12, 25)
