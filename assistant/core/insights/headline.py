"""The headline block: how the period went, before any finding — the figures a store manager
checks first, each against the period before and the same period last year, and per store.

Every number is a semantic query's (`totals`, `by_group` through the tenant guard), so the block
equals what `mercurios sl query` prints for the same dates. "Last year" is ISO-aligned: a week is
compared with the same ISO week number of the previous ISO year (Monday to Sunday, so weekdays
and the Saturday peak line up; week 53 falls back to week 52), a day with the same weekday 52
weeks earlier, a month with the same calendar month. The comparison periods are stated with
their dates, since "last year" alone is ambiguous. A partly loaded period compares as many days
of each comparison period.

Changes: relative (%) for amounts and counts, in percentage points for rates (a return rate
moving from 10 % to 12 % is +2.0 pp, not +20 %).
"""

from __future__ import annotations

import datetime as dt

from assistant.core.insights.fetch import InsightContext, by_group, totals
from assistant.core.insights.headline_model import Headline, HeadlineFigure, Span, StoreRow
from assistant.core.insights.model import Period

HEADLINE_METRICS: tuple[tuple[str, str, str], ...] = (
    ("net_sales", "Net sales", "currency"),
    ("orders", "Orders", "integer"),
    ("average_order_value", "Average basket", "currency"),
    ("gross_margin_pct", "Gross margin", "percent"),
    ("return_rate", "Return rate", "percent"),
)
STORE_DIMENSION = "store__store_name"
STORE_METRICS = ("net_sales", "orders")


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
    metrics = tuple(m for m, _, _ in HEADLINE_METRICS)
    now = totals(ctx, metrics, p.start, p.end)
    before = totals(ctx, metrics, previous.start, previous.end)
    then = totals(ctx, metrics, last_year.start, last_year.end)
    if ctx.data_start is not None and last_year.start < ctx.data_start:
        then = {m: None for m in metrics}  # not loaded that far back: no comparison, never a zero
    figures = tuple(
        HeadlineFigure(
            metric=m, label=label, format=fmt, current=now[m], previous=before[m], last_year=then[m]
        )
        for m, label, fmt in HEADLINE_METRICS
    )
    return Headline(
        start=p.start,
        end=p.end,
        previous=previous,
        last_year=last_year,
        figures=figures,
        stores=_stores(ctx, previous, last_year),
    )


def _stores(ctx: InsightContext, previous: Span, last_year: Span) -> tuple[StoreRow, ...]:
    p = ctx.period
    sales = by_group(ctx, "net_sales", STORE_DIMENSION, p.start, p.end)
    orders = by_group(ctx, "orders", STORE_DIMENSION, p.start, p.end)
    before = by_group(ctx, "net_sales", STORE_DIMENSION, previous.start, previous.end)
    loaded = ctx.data_start is None or last_year.start >= ctx.data_start
    then = by_group(ctx, "net_sales", STORE_DIMENSION, last_year.start, last_year.end) if loaded else {}
    # A store that sold last week but not this one (closed) is a row of zeros, not a missing row.
    rows = [
        StoreRow(
            store=store,
            net_sales=sales.get(store, 0.0),
            orders=orders.get(store, 0.0),
            net_sales_previous=before.get(store),
            net_sales_last_year=then.get(store),
        )
        for store in sorted(set(sales) | set(before))
    ]
    return tuple(sorted(rows, key=lambda r: (-r.net_sales, r.store)))
