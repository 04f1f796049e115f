"""Which period a report covers for a given as_of: the last full week (Monday–Sunday) by default.

Conventions from DESIGN.md: as_of is "today", weeks start on Monday, "last week" is the previous
full calendar week. A daily report covers yesterday and compares it with the same weekday a week
earlier (comparing a Monday with a Sunday would report the weekday rhythm as news).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

from assistant.insights.errors import InvalidPeriodError
from assistant.insights.model import Period

Cadence = Literal["day", "week", "month"]


def period_for(as_of: dt.date, cadence: Cadence = "week") -> Period:
    if cadence == "week":
        start = as_of - dt.timedelta(days=as_of.weekday() + 7)
        end = start + dt.timedelta(days=6)
        return Period(
            start=start,
            end=end,
            previous_start=start - dt.timedelta(days=7),
            previous_end=end - dt.timedelta(days=7),
            label=f"week of {start.isoformat()}",
        )
    if cadence == "day":
        day = as_of - dt.timedelta(days=1)
        before = day - dt.timedelta(days=7)
        return Period(start=day, end=day, previous_start=before, previous_end=before, label=day.isoformat())
    if cadence == "month":
        end = as_of.replace(day=1) - dt.timedelta(days=1)
        start = end.replace(day=1)
        prev_end = start - dt.timedelta(days=1)
        return Period(
            start=start,
            end=end,
            previous_start=prev_end.replace(day=1),
            previous_end=prev_end,
            label=f"{calendar.month_name[start.month]} {start.year}",
        )
    raise InvalidPeriodError(f"unknown cadence {cadence!r}: use day, week or month")
