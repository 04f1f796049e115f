"""Which period a report covers for a given as_of: the last full week (Monday–Sunday) by default.

Conventions from DESIGN.md: as_of is "today", weeks start on Monday, "last week" is the previous
full calendar week. A daily report covers yesterday and compares it with the same weekday a week
earlier (comparing a Monday with a Sunday would report the weekday rhythm as news).

A period the loaded data end inside of is cut at the last loaded day (`loaded_part`): the days
after it have no data, which is not the same as no sales, and the comparison period is cut to the
same number of days so that a six-day week is not reported as a drop against a seven-day one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

from assistant.core.insights.errors import InvalidPeriodError
from assistant.core.insights.model import Period

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


def loaded_part(period: Period, last_data_date: dt.date | None) -> Period:
    """`period` up to `last_data_date` when the data end inside it; else `period` unchanged (a
    period after the data is left for the caller's no-data error)."""
    if last_data_date is None or period.end <= last_data_date or last_data_date < period.start:
        return period
    loaded_days = (last_data_date - period.start).days + 1
    return Period(
        start=period.start,
        end=last_data_date,
        previous_start=period.previous_start,
        previous_end=min(period.previous_start + dt.timedelta(days=loaded_days - 1), period.previous_end),
        label=f"{period.label} (partly loaded: data through {last_data_date.isoformat()})",
        calendar_end=period.end,
    )
