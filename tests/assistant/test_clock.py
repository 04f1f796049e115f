"""The default as_of: today in the tenant's timezone, or the pinned day (MERCURIOS_TODAY)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.core.clock import PinnedClock, SystemClock, clock_for
from assistant.runtime.settings import Settings


def test_today_is_the_tenants_local_date_not_the_servers() -> None:
    late_evening_utc = dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC)
    clock = SystemClock(now=lambda: late_evening_utc)
    assert clock.today("Europe/Berlin") == dt.date(2026, 11, 1)  # already tomorrow in Berlin
    assert clock.today("America/New_York") == dt.date(2026, 10, 31)


def test_a_pinned_day_ignores_the_machines_clock() -> None:
    clock = clock_for(dt.date(2026, 10, 31))
    assert isinstance(clock, PinnedClock)
    assert clock.today("Europe/Zurich") == dt.date(2026, 10, 31)
    assert isinstance(clock_for(None), SystemClock)


def test_settings_read_the_pinned_day_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    mp = monkeypatch
    mp.setenv("MERCURIOS_TODAY", "2027-06-01")
    assert Settings().today == dt.date(2027, 6, 1)
    mp.delenv("MERCURIOS_TODAY")
    assert Settings().today is None
