"""A short demand forecast: units sold (the `units` metric, roles.py) in each of the next weeks,
with a 90 % interval.

Weekly totals (no weekday pattern to model) smoothed by ETS(A,N,N) over the trailing 26 weeks
(`series.simple_exponential_smoothing`). Half a year follows the season without needing two full
years of history, which most tenants do not have.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from assistant.core.insights.charts import forecast_chart
from assistant.core.insights.fetch import InsightContext, as_date, as_float
from assistant.core.insights.model import Figure, Insight, InsightKind, Severity
from assistant.core.insights.roles import InsightRoles
from assistant.core.insights.series import simple_exponential_smoothing
from assistant.core.insights.wording import num
from semantic_layer.query import Grain, SemanticQuery, TimeRange

HISTORY_WEEKS = 26
HORIZON = 4


def forecast_needs(roles: InsightRoles) -> tuple[str, ...]:
    return roles.missing(("units",))


def weekly_query(metric: str, end: dt.date) -> SemanticQuery:
    """Full weeks (Monday–Sunday) ending with the last week that is over by `end` (the last
    loaded day of the period): a partly loaded week would read as a slump and drag the level."""
    last_sunday = end - dt.timedelta(days=(end.weekday() + 1) % 7)
    last_monday = last_sunday - dt.timedelta(days=6)
    start = last_monday - dt.timedelta(weeks=HISTORY_WEEKS - 1)
    return SemanticQuery(
        metrics=(metric,),
        group_by=("metric_time",),
        time_grain=Grain.WEEK,
        time_range=TimeRange(start=start, end=last_monday + dt.timedelta(days=6)),
    )


def forecast_insights(ctx: InsightContext) -> list[Insight]:
    metric = ctx.roles.name("units")
    query = weekly_query(metric, ctx.period.end)
    start = query.time_range.start
    assert start is not None
    by_week = {
        as_date(r["metric_time__week"]): as_float(r[metric])
        for r in ctx.source.query(query, ctx.tenant_id).records()
    }
    weeks = [start + dt.timedelta(weeks=i) for i in range(HISTORY_WEEKS)]
    first = min(by_week) if by_week else None
    history = [(w, by_week.get(w, 0.0)) for w in weeks if first is not None and w >= first]
    if len(history) < 3:
        return []
    alpha, points = simple_exponential_smoothing(np.array([v for _, v in history], dtype=float), HORIZON)
    next_week = weeks[-1] + dt.timedelta(weeks=1)
    fc = [(next_week + dt.timedelta(weeks=p.step - 1), p.mean, p.low, p.high) for p in points]
    p1 = points[0]
    return [
        Insight(
            kind=InsightKind.FORECAST,
            severity=Severity.INFO,
            headline=(
                f"Expected demand: about {num(ctx, p1.mean, 'integer')} units a week "
                f"over the next {HORIZON} weeks "
                f"(90 % interval {num(ctx, p1.low, 'integer')}–{num(ctx, points[-1].high, 'integer')})."
            ),
            subject=metric,
            figures=(
                Figure(name="forecast_weekly_units", value=round(p1.mean, 1)),
                Figure(name="low_first_week", value=round(p1.low, 1)),
                Figure(name="high_first_week", value=round(p1.high, 1)),
                Figure(name="high_last_week", value=round(points[-1].high, 1)),
                Figure(name="alpha", value=alpha),
            ),
            query=query,
            question=f"{ctx.roles.metric('units').noun} per week from {start} to {query.time_range.end}",
            chart=forecast_chart(
                f"{ctx.roles.metric('units').label} per week and forecast",
                [(w.isoformat(), v) for w, v in history],
                [(w.isoformat(), m, lo, hi) for w, m, lo, hi in fc],
            ),
        )
    ]
