"""Top movers: the products (the `item` dimension, roles.py) whose `sales` grew or fell most
against the period before.

Stores are not movers here: the change card's drivers (store, category, channel) and the headline
block's store table already show how each store moved, and a digest says a thing once."""

from __future__ import annotations

from assistant.core.insights.charts import diverging_bar
from assistant.core.insights.fetch import InsightContext, by_group, grouped_query
from assistant.core.insights.model import Driver, Figure, Insight, InsightKind, Severity
from assistant.core.insights.roles import InsightRoles
from assistant.core.insights.series import contributions
from assistant.core.insights.wording import num, plural

SHOWN = 5


def mover_needs(roles: InsightRoles) -> tuple[str, ...]:
    return (
        ()
        if roles.reaches("sales", roles.item)
        else roles.missing(dimensions=("group", "item")) or ("a sales metric reaching the item dimension",)
    )


def mover_insights(ctx: InsightContext) -> list[Insight]:
    p = ctx.period
    out = []
    metric, sales = ctx.roles.sales.name, ctx.roles.sales.noun
    for item in (ctx.roles.item,) if ctx.roles.item is not None else ():
        dimension, noun = item.name, plural(item.noun)
        current = by_group(ctx, metric, dimension, p.start, p.end)
        previous = by_group(ctx, metric, dimension, p.previous_start, p.previous_end)
        rows = contributions(current, previous)
        if not rows:
            continue
        ups = sorted((r for r in rows if r[3] > 0), key=lambda r: (-r[3], r[0]))[:SHOWN]
        downs = sorted((r for r in rows if r[3] < 0), key=lambda r: (r[3], r[0]))[:SHOWN]
        parts = []
        if ups:
            parts.append(f"biggest gain {ups[0][0]} ({num(ctx, ups[0][3], 'currency')})")
        if downs:
            parts.append(f"biggest drop {downs[0][0]} ({num(ctx, downs[0][3], 'currency')})")
        if not parts:
            continue
        chosen = ups + downs
        out.append(
            Insight(
                kind=InsightKind.TOP_MOVER,
                severity=Severity.LOW,
                headline=f"Top movers among {noun}: " + "; ".join(parts) + ".",
                subject=noun,
                figures=tuple(Figure(name=g, value=round(c, 2), format="currency") for g, _, _, c in chosen),
                drivers=tuple(
                    Driver(
                        dimension=dimension,
                        group=g,
                        current=cur,
                        previous=prev,
                        change=c,
                        share_of_change=None,
                    )
                    for g, cur, prev, c in chosen
                ),
                query=grouped_query(metric, dimension, p.start, p.end),
                question=f"{sales} by {item.noun} from {p.start} to {p.end} vs the previous period",
                chart=diverging_bar(
                    f"{ctx.roles.sales.label} change: top {noun}",
                    [(noun.capitalize(), g, c) for g, _, _, c in chosen],
                    value_title=f"change in {sales}",
                ),
                score=max(abs(c) for *_, c in chosen),
                impact=max(abs(c) for *_, c in chosen),
                impact_basis=f"the largest single {item.noun}'s change in {sales}",
            )
        )
    return out
