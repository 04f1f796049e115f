"""Period-over-period change of the key metrics, and the drivers that explain it.

Drivers are computed for the additive metrics (net sales, units): the change of the total is the
sum of the changes of the stores (or categories, or channels), so each group's change over the
total change is its contribution. The dimension whose top group explains most is listed first.
"""

from __future__ import annotations

from assistant.core.insights.charts import diverging_bar
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
DRIVER_LABELS = {dimension: label.capitalize() for dimension, label in DRIVER_DIMENSIONS}
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
        leads = [next((d for d in drivers if d.dimension == dim), None) for dim, _ in DRIVER_DIMENSIONS]
        named = [
            f"{d.group} {num(ctx, d.change, fmt)} ({DRIVER_LABELS[d.dimension].lower()})"
            for d in leads
            if d is not None and d.change
        ]
        if named and change:
            headline += "; largest contributions: " + ", ".join(named)
        chart = None
        if drivers:
            chart = diverging_bar(
                f"{label}: contributions to the change, by store, category and channel",
                [(DRIVER_LABELS[d.dimension], d.group, d.change) for d in drivers],
                value_title=f"change in {label.lower()}",
            )
        impact, basis = _money(ctx, metric, change, now, before)
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
                impact=impact,
                impact_basis=basis,
            )
        )
    return insights


def _money(
    ctx: InsightContext,
    metric: str,
    change: float | None,
    now: dict[str, float | None],
    before: dict[str, float | None],
) -> tuple[float | None, str]:
    """The change in money: net sales directly; a margin rate times the sales it applies to; a
    basket value times the orders; orders times the previous basket; units times the previous net
    price per unit."""
    if change is None:
        return None, ""
    sales, orders, units = now["net_sales"] or 0.0, now["orders"] or 0.0, before["units_sold"] or 0.0
    prev_aov, prev_sales = before["average_order_value"] or 0.0, before["net_sales"] or 0.0
    if metric == "net_sales":
        return abs(change), "the change in net sales itself"
    if metric == "gross_margin_pct":
        return abs(
            change
        ) * sales, f"{num(ctx, abs(change), 'percent')} of margin × {num(ctx, sales, 'currency')} net sales"
    if metric == "average_order_value":
        return abs(change) * orders, f"the basket's change × {num(ctx, orders, 'integer')} orders"
    if metric == "orders":
        return abs(
            change
        ) * prev_aov, f"the orders' change × {num(ctx, prev_aov, 'currency')} previous basket"
    if metric == "units_sold" and units:
        per_unit = prev_sales / units
        return abs(change) * per_unit, f"the units' change × {num(ctx, per_unit, 'currency')} per unit before"
    return None, ""
