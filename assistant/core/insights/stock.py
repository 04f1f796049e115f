"""Stock risks: top sellers with few weeks of supply, and stock-outs where demand was recent.

Both read the semantic layer's inventory metrics at the period's last snapshot. A category with
zero units on hand in a store that sold it in the trailing weeks is a lost-sales risk even when no
single article is a top seller (Hamburg out of Shoes is the demo's planted case).
"""

from __future__ import annotations

import datetime as dt

from assistant.core.insights.charts import stock_chart
from assistant.core.insights.fetch import InsightContext, as_date, as_float, by_group
from assistant.core.insights.model import Figure, Insight, InsightKind, Severity
from assistant.core.insights.wording import day as day_text
from assistant.core.insights.wording import num
from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery, TimeRange

TOP_SELLERS = 20
LOW_WEEKS = 2.0
CRITICAL_WEEKS = 1.0
DEMAND_DAYS = 56
COVER_WEEKS = 2  # a restock takes about two weeks: sales beyond what stock covers until then are at stake


def top_sellers_query(start: dt.date, end: dt.date) -> SemanticQuery:
    return SemanticQuery(
        metrics=("trailing_4_weeks_units_sold", "on_hand_units", "weeks_of_supply"),
        group_by=("product__product_name",),
        time_range=TimeRange(start=start, end=end),
        order_by=(OrderBy(name="trailing_4_weeks_units_sold", descending=True),),
        limit=TOP_SELLERS,
    )


def _net_sales_4_weeks(ctx: InsightContext, names: list[str]) -> dict[str, float]:
    """Net sales of these products over the 28 days ending with the period (the trailing-4-weeks
    window of `weeks_of_supply`)."""
    if not names:
        return {}
    end = ctx.period.end
    return by_group(
        ctx,
        "net_sales",
        "product__product_name",
        end - dt.timedelta(days=27),
        end,
        filters=(Filter(dimension="product__product_name", operator="in", values=tuple(names)),),
    )


def low_supply_insights(ctx: InsightContext) -> list[Insight]:
    p = ctx.period
    query = top_sellers_query(p.start, p.end)
    records = ctx.source.query(query, ctx.tenant_id).records()
    low = [
        str(r["product__product_name"])
        for r in records
        if r["weeks_of_supply"] is not None and as_float(r["weeks_of_supply"]) < LOW_WEEKS
    ]
    sales = _net_sales_4_weeks(ctx, low)
    out = []
    for r in records:
        wos, sold = r["weeks_of_supply"], r["trailing_4_weeks_units_sold"]
        if wos is None or sold is None or as_float(sold) <= 0:
            continue
        weeks = as_float(wos)
        if weeks >= LOW_WEEKS:
            continue
        name = str(r["product__product_name"])
        on_hand = as_float(r["on_hand_units"])
        weekly = sales.get(name, 0.0) / 4
        short_weeks = max(0.0, COVER_WEEKS - weeks)
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
                brief=f"{num(ctx, weeks, 'number')} weeks of supply ({num(ctx, on_hand, 'integer')} on hand)",
                impact=weekly * short_weeks,
                impact_basis=(
                    f"{num(ctx, weekly, 'currency')} net sales a week × {num(ctx, short_weeks, 'number')} "
                    f"of the next {COVER_WEEKS} weeks the stock on hand does not cover"
                ),
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
        if sold > 0:
            out.append(_stock_out(ctx, *key, sold, stock_q, demand_start))
    return out


def stock_out_history(
    ctx: InsightContext, store: str, category: str, start: dt.date
) -> tuple[list[tuple[dt.date, float, float]], list[tuple[dt.date, float]]]:
    """(day, units sold, net sales) for every day from `start` to the period's end, and (snapshot
    day, units on hand) for each snapshot then: the series of the finding and of its chart."""
    end = ctx.period.end
    where = (
        Filter(dimension="store__store_name", values=(store,)),
        Filter(dimension="product__category", values=(category,)),
    )
    sales_q = SemanticQuery(
        metrics=("units_sold", "net_sales"),
        group_by=("metric_time",),
        time_grain=Grain.DAY,
        filters=where,
        time_range=TimeRange(start=start, end=end),
    )
    sold = {
        as_date(r["metric_time__day"]): (as_float(r["units_sold"]), as_float(r["net_sales"]))
        for r in ctx.source.query(sales_q, ctx.tenant_id).records()
    }
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    daily = [(d, *sold.get(d, (0.0, 0.0))) for d in days]
    stock_q = sales_q.model_copy(update={"metrics": ("on_hand_units",)})
    snapshots = sorted(
        (as_date(r["metric_time__day"]), as_float(r["on_hand_units"]))
        for r in ctx.source.query(stock_q, ctx.tenant_id).records()
        if r["on_hand_units"] is not None
    )
    return daily, snapshots


def _stock_out(
    ctx: InsightContext, store: str, category: str, sold: float, stock_q: SemanticQuery, start: dt.date
) -> Insight:
    daily, snapshots = stock_out_history(ctx, store, category, start)
    # Out since the first snapshot of the run of empty ones that reaches the period's end.
    since = None
    for day, units in reversed(snapshots):
        if units > 0:
            break
        since = day
    weekly: dict[dt.date, float] = {}
    for day, units, net in daily:
        if units > 0:
            monday = day - dt.timedelta(days=day.weekday())
            weekly[monday] = weekly.get(monday, 0.0) + net
    usual = sum(weekly.values()) / len(weekly) if weekly else 0.0  # a week's sales while in stock
    weeks_out = ctx.period.days / 7
    when = f" since {day_text(ctx, since)}" if since is not None else ""
    return Insight(
        kind=InsightKind.STOCK_RISK,
        severity=Severity.HIGH,
        headline=(
            f"{store} has had no {category} in stock{when}, though it sold "
            f"{num(ctx, sold, 'integer')} units of {category} in the last {DEMAND_DAYS // 7} weeks "
            f"(about {num(ctx, usual, 'currency')} a week while in stock)."
        ),
        subject=f"{store} / {category}",
        figures=(
            Figure(name="on_hand_units", value=0.0, format="integer"),
            Figure(name="units_sold_recent", value=sold, format="integer"),
            Figure(name="weekly_net_sales_in_stock", value=round(usual, 2), format="currency"),
        ),
        query=stock_q.model_copy(
            update={"filters": (Filter(dimension="store__store_name", values=(store,)),)}
        ),
        question=f"units on hand by category in {store}",
        chart=stock_chart(
            f"{store} · {category}: units on hand and sold per day",
            [(d.isoformat(), units) for d, units, _ in daily],
            [(d.isoformat(), units) for d, units in snapshots],
        ),
        score=sold,
        brief=f"out of stock{when}",
        impact=usual * weeks_out,
        impact_basis=(
            f"{num(ctx, usual, 'currency')} net sales of {category} in {store} in a week while in stock × "
            f"{num(ctx, weeks_out, 'number')} week(s) of this period"
        ),
    )


def stock_insights(ctx: InsightContext) -> list[Insight]:
    return stock_out_insights(ctx) + low_supply_insights(ctx)
