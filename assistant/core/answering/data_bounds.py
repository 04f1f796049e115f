"""What the loaded data covers against what was asked: a period (or the period it is compared
with) that lies before the tenant's first loaded day, or past its last, is said in words — never
answered as "–" or as a zero that reads like a real figure.

The bounds come from the tenant's data version (`first_data_date`, `last_data_date`), not from
constants: every tenant's history starts and ends on its own days.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.answering.formatting import format_value
from assistant.core.planning.plans import MetricPlan
from semantic_layer.comparisons import comparison_range
from semantic_layer.query import TimeRange

_AGAINST = {"same_period_last_year": "the same period last year", "previous_period": "the period before"}


def _day(day: dt.date, locale: str) -> str:
    return format_value(day, None, locale=locale, currency="")


def _span(start: dt.date, end: dt.date, locale: str) -> str:
    return f"{_day(start, locale)} to {_day(end, locale)}"


def no_data_before(start: dt.date | None, end: dt.date, first_data_date: dt.date, *, locale: str) -> str:
    """The whole period ends before the first loaded day: say where the data starts."""
    asked = _span(start, end, locale) if start is not None else f"through {_day(end, locale)}"
    return (
        f"Your data starts on {_day(first_data_date, locale)}, so there is nothing for the period "
        f"you asked about ({asked})."
    )


def coverage_notes(plan: MetricPlan, first: dt.date | None, last: dt.date | None, *, locale: str) -> str:
    """Notes appended to an answer whose period (or comparison period) the data covers only in part."""
    notes = []
    period = plan.period
    if period.end is not None and last is not None and period.end > last:
        notes.append(f"Data is loaded up to {_day(last, locale)}.")
    if period.start is not None and first is not None and period.start < first:
        notes.append(f"Data starts on {_day(first, locale)}.")
    rng = plan.query.time_range
    if plan.comparison is not None and first is not None and rng.start is not None and rng.end is not None:
        base = comparison_range(TimeRange(start=rng.start, end=rng.end), plan.comparison)
        assert base.start is not None and base.end is not None
        against = f"{_AGAINST[plan.comparison]} ({_span(base.start, base.end, locale)})"
        starts = f"Your data starts on {_day(first, locale)}"
        if base.end < first:
            notes.append(f"{starts}, so there is nothing to compare with for {against}.")
        elif base.start < first:
            notes.append(f"{starts}, so {against} is only partly loaded.")
    return "".join(f" ({n})" for n in notes)
