"""The numeric core on small synthetic series with known answers."""

from __future__ import annotations

import datetime as dt

import numpy as np

from assistant.core.insights.anomalies import detect
from assistant.core.insights.series import contributions, simple_exponential_smoothing

START = dt.date(2026, 1, 5)  # a Monday
PATTERN = [10, 12, 11, 13, 20, 25, 0]  # Mon..Sun, closed on Sunday


def _series(weeks: int, override: dict[int, float] | None = None, noise: int = 0) -> dict[dt.date, float]:
    rng = np.random.default_rng(7)
    out = {}
    for i in range(weeks * 7):
        day = START + dt.timedelta(days=i)
        value = PATTERN[day.weekday()]
        if noise and value:
            value = max(0, value + int(rng.integers(-noise, noise + 1)))
        out[day] = float((override or {}).get(i, value))
    return out


def _period(weeks: int) -> tuple[dt.date, dt.date]:
    start = START + dt.timedelta(weeks=weeks - 1)
    return start, start + dt.timedelta(days=6)


def test_a_steady_weekday_series_raises_no_anomaly() -> None:
    for noise in (0, 2):
        assert detect({"steady": _series(10, noise=noise)}, *_period(10)) == []


def test_a_closed_week_is_found_with_its_days_and_expected_orders() -> None:
    closed = {i: 0.0 for i in range(63, 69)}  # Monday..Saturday of the 10th week
    [found] = detect({"Köln": _series(10, closed, noise=2)}, *_period(10))
    assert found.run.actual == 0
    assert (found.run.start, found.run.end) == (START + dt.timedelta(days=63), START + dt.timedelta(days=68))
    assert abs(found.run.expected - sum(PATTERN)) < 8  # about one normal week


def test_a_tripled_category_week_is_found_but_one_outlier_in_the_baseline_is_ignored() -> None:
    spike = {i: 3.0 * PATTERN[(START + dt.timedelta(days=i)).weekday()] for i in range(63, 69)}
    spike[20] = 200.0  # a single crazy day in the trailing window must not move the baseline
    [found] = detect({"Running": _series(10, spike, noise=2)}, *_period(10))
    assert found.run.z > 6 and found.run.change_pct is not None and 1.5 < found.run.change_pct < 2.5


def test_contributions_sum_to_the_total_change() -> None:
    rows = contributions({"a": 10.0, "b": 5.0}, {"a": 4.0, "c": 3.0})
    assert [r[0] for r in rows] == ["a", "b", "c"]
    assert sum(r[3] for r in rows) == (10 + 5) - (4 + 3)


def test_forecast_of_a_constant_series_is_that_constant_with_a_tight_interval() -> None:
    _, points = simple_exponential_smoothing(np.full(20, 50.0), 4)
    assert all(p.mean == 50.0 and p.low == p.high == 50.0 for p in points)
    _, noisy = simple_exponential_smoothing(np.array([40.0, 60.0] * 10), 4)
    assert all(p.low < 50 < p.high for p in noisy)
    assert noisy[-1].high - noisy[-1].low >= noisy[0].high - noisy[0].low
