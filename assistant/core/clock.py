"""What "today" is when a request does not say: one injectable seam instead of `date.today()`.

Every default `as_of` (API, Slack, CLI, insights) asks a `Clock`, so a deployment over frozen data
(a demo, a reproducible report, the test suite) pins the day with `MERCURIOS_TODAY` and nothing
depends on the day it runs. Timestamps (audit rows, token expiry, rate limits) stay on real time:
they measure when things happen, not which business day a question means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def today(self, timezone: str) -> dt.date:
        """The date treated as today for a tenant in `timezone` (the default as_of)."""
        ...


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SystemClock:
    """Today in the tenant's timezone, from the machine's clock (`now` is a seam for tests)."""

    def __init__(self, now: Callable[[], dt.datetime] = _utc_now) -> None:
        self._now = now

    def today(self, timezone: str) -> dt.date:
        return self._now().astimezone(ZoneInfo(timezone)).date()


class PinnedClock:
    """The same day for everyone, whatever the machine's clock says."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def today(self, timezone: str) -> dt.date:
        return self.day


def clock_for(today: dt.date | None) -> Clock:
    """The clock a `Settings.today` asks for: pinned when set, the system's otherwise."""
    return PinnedClock(today) if today is not None else SystemClock()
