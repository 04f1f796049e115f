"""Period-over-period change of the key metrics, and the drivers that explain it.

Drivers are computed for the additive metrics (net sales, units): the change of the total is the
sum of the changes of the stores (or categories, or channels), so each group's change over the
total change is its contribution. The dimension whose top group explains most is listed first.
"""

from __future__ import annotations

from assistant.core.insights.charts import bar_chart
from assistant.core.insights.fetch import InsightContext, by_group, totals
from assistant.core.insights.model import Driver, Figure, Insight, InsightKind, Severity
from assistant.core.insights.series import contributions
from assistant.core.insights.wording import num, pct
from semantic_layer.query import SemanticQuery, TimeRange

KEY_METRICS: tuple[tuple[str, str, str], ...] = (
    ("net_sales", "Net sales", "currency"),
    ("orders", "Orders", "integer"),
    ("average_order_value", "Average order value", "currency"),
    ("units_sold", "Units sold", "integer"),
    ("gross_margin_pct", "Gross margin %", "percent"),
)
ADDITIVE = ("net_sales", "units_sold")
DRIVER_DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("store__store_name", "store"),
    ("product__category", "category"),
    ("sale_line__channel", "channel"),
)
TOP_DRIVERS = 3


def severity_of_change(change_pct: float | None) -> Severity:
    if change_pct is None:
        return Severity.INFO
    size = abs(change_pct)
    if size >= 0.30:
        return Severity.HIGH
    if size >= 0.15:
        return Severity.MEDIUM
    if size >= 0.05:
        return Severity.LOW
    return Severity.INFO


def drivers_of(ctx: InsightContext, metric: str) -> tuple[Driver, ...]:
    """Top contributors to the change of `metric`, from each driver dimension."""
    p = ctx.period
    found: list[Driver] = []
    for dimension, _label in DRIVER_DIMENSIONS:
        current = by_group(ctx, metric, dimension, p.start, p.end)
        previous = by_group(ctx, metric, dimension, p.previous_start, p.previous_end)
        rows = contributions(current, previous)
        total = sum(r[3] for r in rows)
        for group, cur, prev, change in rows[:TOP_DRIVERS]:
            share = change / total if total else None
            found.append(
                Driver(
                    dimension=dimension,
                    group=group,
                    current=cur,
                    previous=prev,
                    change=change,
                    share_of_change=share,
                )
            )
    return tuple(found)


def change_insights(ctx: InsightContext) -> list[Insight]:
    p = ctx.period
    metrics = tuple(m for m, _, _ in KEY_METRICS)
    now = totals(ctx, metrics, p.start, p.end)
    before = totals(ctx, metrics, p.previous_start, p.previous_end)
    insights = []
    for metric, label, fmt in KEY_METRICS:
        cur, prev = now[metric], before[metric]
        if cur is None and prev is None:
            continue
        change = None if cur is None or prev is None else cur - prev
        change_pct = None if change is None or not prev else change / abs(prev)
        drivers = drivers_of(ctx, metric) if metric in ADDITIVE and change else ()
        direction = "rose" if (change or 0) > 0 else "fell" if (change or 0) < 0 else "held"
        headline = (
            f"{label} {direction} to {num(ctx, cur, fmt)} ({pct(ctx, change_pct)} vs the period before)"
        )
        if fmt == "percent" and change is not None:
            headline = f"{label} {direction} to {num(ctx, cur, fmt)} (from {num(ctx, prev, fmt)})"
        lead = next((d for d in drivers if d.dimension == "store__store_name"), None)
        if lead is not None and lead.share_of_change is not None and change:
            headline += f"; {lead.group} contributed {num(ctx, lead.change, fmt)}"
        chart = None
        if drivers:
            chart = bar_chart(
                f"{label}: change by store, category and channel",
                [(d.group, d.change) for d in drivers],
                value_title=f"change in {label.lower()}",
            )
        insights.append(
            Insight(
                kind=InsightKind.CHANGE,
                severity=severity_of_change(change_pct) if metric in ADDITIVE else Severity.INFO,
                headline=headline,
                subject=metric,
                figures=(
                    Figure(name="current", value=cur, format=fmt),
                    Figure(name="previous", value=prev, format=fmt),
                    Figure(name="change", value=change, format=fmt),
                    Figure(name="change_pct", value=change_pct, format="percent"),
                ),
                drivers=drivers,
                query=SemanticQuery(
                    metrics=(metric,),
                    group_by=("store__store_name",) if metric in ADDITIVE else (),
                    time_range=TimeRange(start=p.start, end=p.end),
                ),
                question=f"{label} by store from {p.start} to {p.end} vs the previous period",
                chart=chart,
                score=abs(change_pct or 0.0),
            )
        )
    return insights
