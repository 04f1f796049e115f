"""The headline block: how the period went, before any finding — the figures a store manager
checks first, each against the period before and the same period last year, and per store.

Every number is a semantic query's (`totals`, `by_group` through the tenant guard), so the block
equals what `mercurios sl query` prints for the same dates. "Last year" is ISO-aligned: a week is
compared with the same ISO week number of the previous ISO year (Monday to Sunday, so weekdays
and the Saturday peak line up; week 53 falls back to week 52), a day with the same weekday 52
weeks earlier, a month with the same calendar month. The comparison periods are stated with
their dates, since "last year" alone is ambiguous. A partly loaded period compares as many days
of each comparison period.

The figures are the project's `sales`, `purchases`, `basket`, `margin_rate` and `return_share`
(those it declares, roles.py), labelled with their short labels; the rows are its `location`
dimension's (a retailer's stores) with their sales and purchases.

Changes: relative (%) for amounts and counts, in percentage points for rates (a return rate
moving from 10 % to 12 % is +2.0 pp, not +20 %).
"""

from __future__ import annotations

import datetime as dt

from assistant.core.insights.fetch import InsightContext, by_group, totals
from assistant.core.insights.headline_model import Headline, HeadlineFigure, Span, StoreRow
from assistant.core.insights.model import Period

HEADLINE_KPIS = ("sales", "purchases", "basket", "margin_rate", "return_share")


def last_year_span(period: Period, cadence: str) -> Span:
    """The same period one year earlier, ISO-aligned for weeks (see the module docstring); cut to
    the period's own number of days when the period is partly loaded."""
    if cadence == "week":
        year, week, _ = period.start.isocalendar()
        weeks_then = dt.date(year - 1, 12, 28).isocalendar()[1]  # 52 or 53
        week_then = min(week, weeks_then)
        start = dt.date.fromisocalendar(year - 1, week_then, 1)
        label = f"ISO week {week_then} of {year - 1}"
    elif cadence == "month":
        start = period.start.replace(year=period.start.year - 1)
        label = f"{start:%B %Y}"
    else:
        start = period.start - dt.timedelta(weeks=52)
        label = f"same weekday 52 weeks earlier ({start.isoformat()})"
    end = start + dt.timedelta(days=_span_days(period, cadence, start) - 1)
    return Span(start=start, end=end, label=label)


def _span_days(period: Period, cadence: str, start: dt.date) -> int:
    if cadence == "month" and not period.partly_loaded:
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return (following - start).days  # the whole month, whatever its length
    return period.days


def previous_label(cadence: str) -> str:
    return {"week": "previous week", "month": "previous month", "day": "same weekday a week earlier"}.get(
        cadence, "previous period"
    )


def build_headline(ctx: InsightContext, cadence: str) -> Headline:
    p = ctx.period
    previous = Span(start=p.previous_start, end=p.previous_end, label=previous_label(cadence))
    last_year = last_year_span(p, cadence)
    roles = [ctx.roles.metric(k) for k in HEADLINE_KPIS if ctx.roles.has(k)]
    metrics = tuple(m.name for m in roles)
    now = totals(ctx, metrics, p.start, p.end)
    before = totals(ctx, metrics, previous.start, previous.end)
    then = totals(ctx, metrics, last_year.start, last_year.end)
    if ctx.data_start is not None and last_year.start < ctx.data_start:
        then = {m: None for m in metrics}  # not loaded that far back: no comparison, never a zero
    figures = tuple(
        HeadlineFigure(
            metric=m.name,
            label=m.short_label,
            format=m.format,
            current=now[m.name],
            previous=before[m.name],
            last_year=then[m.name],
        )
        for m in roles
    )
    location = ctx.roles.location if ctx.roles.reaches("sales", ctx.roles.location) else None
    return Headline(
        start=p.start,
        end=p.end,
        previous=previous,
        last_year=last_year,
        figures=figures,
        stores=_stores(ctx, location.name, previous, last_year) if location is not None else (),
        location=location.noun if location is not None else "",
        sales_label=ctx.roles.sales.label,
    )


def _stores(ctx: InsightContext, dimension: str, previous: Span, last_year: Span) -> tuple[StoreRow, ...]:
    p, roles = ctx.period, ctx.roles
    metric = roles.name("sales")
    sales = by_group(ctx, metric, dimension, p.start, p.end)
    counted = roles.has("purchases") and dimension in roles.metric("purchases").dimensions
    orders = by_group(ctx, roles.name("purchases"), dimension, p.start, p.end) if counted else {}
    before = by_group(ctx, metric, dimension, previous.start, previous.end)
    loaded = ctx.data_start is None or last_year.start >= ctx.data_start
    then = by_group(ctx, metric, dimension, last_year.start, last_year.end) if loaded else {}
    # A store that sold last week but not this one (closed) is a row of zeros, not a missing row.
    rows = [
        StoreRow(
            store=store,
            sales=sales.get(store, 0.0),
            purchases=orders.get(store, 0.0) if counted else None,
            sales_previous=before.get(store),
            sales_last_year=then.get(store),
        )
        for store in sorted(set(sales) | set(before))
    ]
    return tuple(sorted(rows, key=lambda r: (-r.sales, r.store)))
