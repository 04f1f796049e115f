"""Period-over-period change of the key metrics, and the drivers that explain it.

The key metrics are the project's `sales`, `purchases`, `basket`, `units` and `margin_rate`
(those it declares, roles.py). Drivers are computed for the additive ones (net sales, units): the
change of the total is the sum of the changes of the stores (or categories, or channels: the
`location`, product `group` and `channel` dimensions), so each group's change over the total change
is its contribution. The dimension whose top group explains most is listed first.
"""

from __future__ import annotations

from assistant.core.insights.charts import diverging_bar
from assistant.core.insights.fetch import InsightContext, by_group, totals
from assistant.core.insights.model import Driver, Figure, Insight, InsightKind, Severity
from assistant.core.insights.roles import DimensionRole, InsightRoles, MetricRole
from assistant.core.insights.series import contributions
from assistant.core.insights.wording import num, pct
from semantic_layer.query import SemanticQuery, TimeRange

KEY_KPIS = ("sales", "purchases", "basket", "units", "margin_rate")
TOP_DRIVERS = 3


def change_needs(roles: InsightRoles) -> tuple[str, ...]:
    return ()  # the sales metric, which every report has, is enough; the others join when declared


def key_metrics(roles: InsightRoles) -> tuple[MetricRole, ...]:
    return tuple(roles.metric(k) for k in KEY_KPIS if roles.has(k))


def driver_dimensions(roles: InsightRoles, metric: MetricRole) -> tuple[DimensionRole, ...]:
    """The location, the product group and the channel, those `metric` can be grouped by."""
    return tuple(
        d
        for d in (roles.location, roles.group, roles.channel)
        if d is not None and d.name in metric.dimensions
    )


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


def drivers_of(ctx: InsightContext, role: MetricRole) -> tuple[Driver, ...]:
    """Top contributors to the change of the metric, from each driver dimension."""
    p = ctx.period
    metric = role.name
    found: list[Driver] = []
    for dimension in (d.name for d in driver_dimensions(ctx.roles, role)):
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
    roles = key_metrics(ctx.roles)
    metrics = tuple(m.name for m in roles)
    now = totals(ctx, metrics, p.start, p.end)
    before = totals(ctx, metrics, p.previous_start, p.previous_end)
    insights = []
    for role in roles:
        metric, label, fmt = role.name, role.label, role.format
        dimensions = driver_dimensions(ctx.roles, role)
        nouns = {d.name: d.noun for d in dimensions}
        location = ctx.roles.location if ctx.roles.location in dimensions else None
        cur, prev = now[metric], before[metric]
        if cur is None and prev is None:
            continue
        change = None if cur is None or prev is None else cur - prev
        change_pct = None if change is None or not prev else change / abs(prev)
        drivers = drivers_of(ctx, role) if role.additive and change else ()
        direction = "rose" if (change or 0) > 0 else "fell" if (change or 0) < 0 else "held"
        headline = (
            f"{label} {direction} to {num(ctx, cur, fmt)} ({pct(ctx, change_pct)} vs the period before)"
        )
        if fmt == "percent" and change is not None:
            headline = f"{label} {direction} to {num(ctx, cur, fmt)} (from {num(ctx, prev, fmt)})"
        leads = [next((d for d in drivers if d.dimension == dim.name), None) for dim in dimensions]
        named = [
            f"{d.group} {num(ctx, d.change, fmt)} ({nouns[d.dimension]})"
            for d in leads
            if d is not None and d.change
        ]
        if named and change:
            headline += "; largest contributions: " + ", ".join(named)
        chart = None
        if drivers:
            chart = diverging_bar(
                f"{label}: contributions to the change, by {_listed([d.noun for d in dimensions])}",
                [(nouns[d.dimension].capitalize(), d.group, d.change) for d in drivers],
                value_title=f"change in {label.lower()}",
            )
        impact, basis = _money(ctx, role.kpi, change, now, before)
        insights.append(
            Insight(
                kind=InsightKind.CHANGE,
                severity=severity_of_change(change_pct) if role.additive else Severity.INFO,
                headline=headline,
                subject=metric,
                kpi=role.kpi,
                figures=(
                    Figure(name="current", value=cur, format=fmt),
                    Figure(name="previous", value=prev, format=fmt),
                    Figure(name="change", value=change, format=fmt),
                    Figure(name="change_pct", value=change_pct, format="percent"),
                ),
                drivers=drivers,
                query=SemanticQuery(
                    metrics=(metric,),
                    group_by=(location.name,) if role.additive and location is not None else (),
                    time_range=TimeRange(start=p.start, end=p.end),
                ),
                question=f"{label} by {location.noun if location else 'week'} from {p.start} to {p.end} "
                "vs the previous period",
                chart=chart,
                score=abs(change_pct or 0.0),
                impact=impact,
                impact_basis=basis,
            )
        )
    return insights


def _listed(words: list[str]) -> str:
    """'store, category and channel'."""
    return words[0] if len(words) < 2 else ", ".join(words[:-1]) + " and " + words[-1]


def _money(
    ctx: InsightContext,
    kpi: str,
    change: float | None,
    now: dict[str, float | None],
    before: dict[str, float | None],
) -> tuple[float | None, str]:
    """The change in money: net sales directly; a margin rate times the sales it applies to; a
    basket value times the orders; orders times the previous basket; units times the previous net
    price per unit. A kpi whose counterpart the project does not declare has no estimate."""
    if change is None:
        return None, ""
    roles = ctx.roles

    def value(values: dict[str, float | None], of: str) -> float:
        return (values.get(roles.name(of)) or 0.0) if roles.has(of) else 0.0

    sales, sales_noun = value(now, "sales"), roles.sales.noun
    if kpi == "sales":
        return abs(change), f"the change in {sales_noun} itself"
    if kpi == "margin_rate":
        return (
            abs(change) * sales,
            f"{num(ctx, abs(change), 'percent')} of margin × {num(ctx, sales, 'currency')} {sales_noun}",
        )
    if kpi == "basket" and roles.has("purchases"):
        orders = value(now, "purchases")
        noun = roles.metric("purchases").noun
        return abs(change) * orders, f"the basket's change × {num(ctx, orders, 'integer')} {noun}"
    if kpi == "purchases" and roles.has("basket"):
        prev_aov = value(before, "basket")
        noun = roles.metric("purchases").noun
        return abs(
            change
        ) * prev_aov, f"the {noun}' change × {num(ctx, prev_aov, 'currency')} previous basket"
    if kpi == "units" and (units := value(before, "units")):
        per_unit = value(before, "sales") / units
        return abs(change) * per_unit, f"the units' change × {num(ctx, per_unit, 'currency')} per unit before"
    return None, ""
