"""Stock risks: top sellers with few weeks of supply, and stock-outs where demand was recent.

Both read the semantic layer's inventory metrics at the period's last snapshot. A category with
zero units on hand in a store that sold it in the trailing weeks is a lost-sales risk even when no
single article is a top seller (Hamburg out of Shoes is the demo's planted case).
"""

from __future__ import annotations

import datetime as dt

from assistant.core.insights.charts import bar_chart
from assistant.core.insights.fetch import InsightContext, as_float, by_group
from assistant.core.insights.model import Figure, Insight, InsightKind, Severity
from assistant.core.insights.wording import num
from semantic_layer.query import Filter, OrderBy, SemanticQuery, TimeRange

TOP_SELLERS = 20
LOW_WEEKS = 2.0
CRITICAL_WEEKS = 1.0
DEMAND_DAYS = 56


def top_sellers_query(start: dt.date, end: dt.date) -> SemanticQuery:
    return SemanticQuery(
        metrics=("trailing_4_weeks_units_sold", "on_hand_units", "weeks_of_supply"),
        group_by=("product__product_name",),
        time_range=TimeRange(start=start, end=end),
        order_by=(OrderBy(name="trailing_4_weeks_units_sold", descending=True),),
        limit=TOP_SELLERS,
    )


def low_supply_insights(ctx: InsightContext) -> list[Insight]:
    p = ctx.period
    query = top_sellers_query(p.start, p.end)
    out = []
    for r in ctx.source.query(query, ctx.tenant_id).records():
        wos, sold = r["weeks_of_supply"], r["trailing_4_weeks_units_sold"]
        if wos is None or sold is None or as_float(sold) <= 0:
            continue
        weeks = as_float(wos)
        if weeks >= LOW_WEEKS:
            continue
        name = str(r["product__product_name"])
        on_hand = as_float(r["on_hand_units"])
        out.append(
            Insight(
                kind=InsightKind.STOCK_RISK,
                severity=Severity.HIGH if weeks < CRITICAL_WEEKS else Severity.MEDIUM,
                headline=(
                    f"Top seller {name} has {num(ctx, weeks, 'number')} weeks of supply left "
                    f"({num(ctx, on_hand, 'integer')} units on hand, {num(ctx, as_float(sold), 'integer')} "
                    "sold in the last 4 weeks)."
                ),
                subject=name,
                figures=(
                    Figure(name="weeks_of_supply", value=weeks),
                    Figure(name="on_hand_units", value=on_hand, format="integer"),
                    Figure(name="units_sold_4_weeks", value=as_float(sold), format="integer"),
                ),
                query=query.model_copy(
                    update={
                        "filters": (Filter(dimension="product__product_name", values=(name,)),),
                        "limit": None,
                    }
                ),
                question=f"weeks of supply of {name}",
                score=LOW_WEEKS - weeks,
            )
        )
    return out


def stock_out_insights(ctx: InsightContext) -> list[Insight]:
    """Store × category with nothing on hand at the period's last snapshot but sales in the
    `DEMAND_DAYS` before the period's end."""
    p = ctx.period
    stock_q = SemanticQuery(
        metrics=("on_hand_units",),
        group_by=("store__store_name", "product__category"),
        time_range=TimeRange(start=p.start, end=p.end),
    )
    demand_start = p.end - dt.timedelta(days=DEMAND_DAYS - 1)
    demand_q = SemanticQuery(
        metrics=("units_sold",),
        group_by=("store__store_name", "product__category"),
        time_range=TimeRange(start=demand_start, end=p.end),
    )
    demand = {
        (str(r["store__store_name"]), str(r["product__category"])): as_float(r["units_sold"])
        for r in ctx.source.query(demand_q, ctx.tenant_id).records()
    }
    out = []
    for r in ctx.source.query(stock_q, ctx.tenant_id).records():
        if r["on_hand_units"] is None or as_float(r["on_hand_units"]) > 0:
            continue
        key = (str(r["store__store_name"]), str(r["product__category"]))
        sold = demand.get(key, 0.0)
        if sold <= 0:
            continue
        store, category = key
        weekly = by_group(
            ctx,
            "units_sold",
            "product__category",
            demand_start,
            p.end,
            filters=(Filter(dimension="store__store_name", values=(store,)),),
        )
        out.append(
            Insight(
                kind=InsightKind.STOCK_RISK,
                severity=Severity.HIGH,
                headline=(
                    f"{store} has no {category} in stock, though it sold "
                    f"{num(ctx, sold, 'integer')} units of {category} in the last {DEMAND_DAYS // 7} weeks."
                ),
                subject=f"{store} / {category}",
                figures=(
                    Figure(name="on_hand_units", value=0.0, format="integer"),
                    Figure(name="units_sold_recent", value=sold, format="integer"),
                ),
                query=stock_q.model_copy(
                    update={"filters": (Filter(dimension="store__store_name", values=(store,)),)}
                ),
                question=f"units on hand by category in {store}",
                chart=bar_chart(
                    f"{store}: units sold by category, last {DEMAND_DAYS // 7} weeks",
                    sorted(weekly.items(), key=lambda kv: -kv[1]),
                    value_title="units sold",
                ),
                score=sold,
            )
        )
    return out


def stock_insights(ctx: InsightContext) -> list[Insight]:
    return stock_out_insights(ctx) + low_supply_insights(ctx)
