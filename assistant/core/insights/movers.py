"""Top movers: the products whose net sales grew or fell most against the period before.

Stores are not movers here: the change card's drivers (store, category, channel) and the headline
block's store table already show how each store moved, and a digest says a thing once."""

from __future__ import annotations

from assistant.core.insights.charts import diverging_bar
from assistant.core.insights.fetch import InsightContext, by_group, grouped_query
from assistant.core.insights.model import Driver, Figure, Insight, InsightKind, Severity
from assistant.core.insights.series import contributions
from assistant.core.insights.wording import num

METRIC = "net_sales"
SHOWN = 5
DIMENSIONS: tuple[tuple[str, str], ...] = (("product__product_name", "products"),)


def mover_insights(ctx: InsightContext) -> list[Insight]:
    p = ctx.period
    out = []
    for dimension, noun in DIMENSIONS:
        current = by_group(ctx, METRIC, dimension, p.start, p.end)
        previous = by_group(ctx, METRIC, dimension, p.previous_start, p.previous_end)
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
                query=grouped_query(METRIC, dimension, p.start, p.end),
                question=f"net sales by {noun[:-1]} from {p.start} to {p.end} vs the previous period",
                chart=diverging_bar(
                    f"Net sales change: top {noun}",
                    [(noun.capitalize(), g, c) for g, _, _, c in chosen],
                    value_title="change in net sales",
                ),
                score=max(abs(c) for *_, c in chosen),
                impact=max(abs(c) for *_, c in chosen),
                impact_basis="the largest single product's change in net sales",
            )
        )
    return out
