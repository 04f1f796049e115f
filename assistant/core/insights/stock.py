"""Stock risks: top sellers with few weeks of supply, and stock-outs where demand was recent.

Both read the semantic layer's inventory metrics at the period's last snapshot, found by role
(roles.py): `recent_units`, `stock_on_hand` and `stock_cover` of each `item` for the top sellers;
`stock_on_hand` and `units` of each `location` × product `group` for the stock-outs. A category with
zero units on hand in a store that sold it in the trailing weeks is a lost-sales risk even when no
single article is a top seller (Hamburg out of Shoes is the demo's planted case).
"""

from __future__ import annotations

import datetime as dt

from assistant.core.insights.charts import stock_chart
from assistant.core.insights.fetch import InsightContext, as_date, as_float, by_group
from assistant.core.insights.model import Figure, Insight, InsightKind, Severity
from assistant.core.insights.roles import InsightRoles
from assistant.core.insights.wording import day as day_text
from assistant.core.insights.wording import num
from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery, TimeRange

TOP_SELLERS = 20
LOW_WEEKS = 2.0
CRITICAL_WEEKS = 1.0
DEMAND_DAYS = 56
COVER_WEEKS = 2  # a restock takes about two weeks: sales beyond what stock covers until then are at stake


TOP_SELLER_KPIS = ("recent_units", "stock_on_hand", "stock_cover")
STOCK_OUT_KPIS = ("stock_on_hand", "units")


def stock_needs(roles: InsightRoles) -> tuple[str, ...]:
    """Both checks or none: a digest that says "no stock risks" has looked at both."""
    if _top_sellers_known(roles) and _stock_outs_known(roles):
        return ()
    return roles.missing((*TOP_SELLER_KPIS, "units"), ("location", "group", "item")) or (
        "stock metrics reaching the location, group and item dimensions",
    )


def _top_sellers_known(roles: InsightRoles) -> bool:
    return all(roles.reaches(k, roles.item) for k in (*TOP_SELLER_KPIS, "sales"))


def _stock_outs_known(roles: InsightRoles) -> bool:
    return all(roles.reaches(k, roles.location, roles.group) for k in (*STOCK_OUT_KPIS, "sales"))


def top_sellers_query(roles: InsightRoles, start: dt.date, end: dt.date) -> SemanticQuery:
    assert roles.item is not None
    return SemanticQuery(
        metrics=tuple(roles.name(k) for k in TOP_SELLER_KPIS),
        group_by=(roles.item.name,),
        time_range=TimeRange(start=start, end=end),
        order_by=(OrderBy(name=roles.name("recent_units"), descending=True),),
        limit=TOP_SELLERS,
    )


def _sales_4_weeks(ctx: InsightContext, names: list[str]) -> dict[str, float]:
    """Net sales of these products over the 28 days ending with the period (the trailing-4-weeks
    window of the stock cover)."""
    if not names or ctx.roles.item is None:
        return {}
    end, item = ctx.period.end, ctx.roles.item.name
    return by_group(
        ctx,
        ctx.roles.name("sales"),
        item,
        end - dt.timedelta(days=27),
        end,
        filters=(Filter(dimension=item, operator="in", values=tuple(names)),),
    )


def low_supply_insights(ctx: InsightContext) -> list[Insight]:
    p, roles = ctx.period, ctx.roles
    assert roles.item is not None
    item, cover, on_hand_metric = roles.item.name, roles.name("stock_cover"), roles.name("stock_on_hand")
    recent, sales_noun = roles.name("recent_units"), roles.sales.noun
    query = top_sellers_query(roles, p.start, p.end)
    records = ctx.source.query(query, ctx.tenant_id).records()
    low = [str(r[item]) for r in records if r[cover] is not None and as_float(r[cover]) < LOW_WEEKS]
    sales = _sales_4_weeks(ctx, low)
    out = []
    for r in records:
        wos, sold = r[cover], r[recent]
        if wos is None or sold is None or as_float(sold) <= 0:
            continue
        weeks = as_float(wos)
        if weeks >= LOW_WEEKS:
            continue
        name = str(r[item])
        on_hand = as_float(r[on_hand_metric])
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
                    Figure(name="weeks_of_cover", value=weeks),
                    Figure(name="units_on_hand", value=on_hand, format="integer"),
                    Figure(name="units_sold_4_weeks", value=as_float(sold), format="integer"),
                ),
                query=query.model_copy(
                    update={
                        "filters": (Filter(dimension=item, values=(name,)),),
                        "limit": None,
                    }
                ),
                question=f"weeks of supply of {name}",
                score=LOW_WEEKS - weeks,
                brief=f"{num(ctx, weeks, 'number')} weeks of supply ({num(ctx, on_hand, 'integer')} on hand)",
                impact=weekly * short_weeks,
                impact_basis=(
                    f"{num(ctx, weekly, 'currency')} {sales_noun} a week × {num(ctx, short_weeks, 'number')} "
                    f"of the next {COVER_WEEKS} weeks the stock on hand does not cover"
                ),
            )
        )
    return out


def stock_out_insights(ctx: InsightContext) -> list[Insight]:
    """Store × category with nothing on hand at the period's last snapshot but sales in the
    `DEMAND_DAYS` before the period's end."""
    p, roles = ctx.period, ctx.roles
    assert roles.location is not None and roles.group is not None
    location, group = roles.location.name, roles.group.name
    on_hand, units = roles.name("stock_on_hand"), roles.name("units")
    stock_q = SemanticQuery(
        metrics=(on_hand,),
        group_by=(location, group),
        time_range=TimeRange(start=p.start, end=p.end),
    )
    demand_start = p.end - dt.timedelta(days=DEMAND_DAYS - 1)
    demand_q = SemanticQuery(
        metrics=(units,),
        group_by=(location, group),
        time_range=TimeRange(start=demand_start, end=p.end),
    )
    demand = {
        (str(r[location]), str(r[group])): as_float(r[units])
        for r in ctx.source.query(demand_q, ctx.tenant_id).records()
    }
    out = []
    for r in ctx.source.query(stock_q, ctx.tenant_id).records():
        if r[on_hand] is None or as_float(r[on_hand]) > 0:
            continue
        key = (str(r[location]), str(r[group]))
        sold = demand.get(key, 0.0)
        if sold > 0:
            out.append(_stock_out(ctx, *key, sold, stock_q, demand_start))
    return out


def stock_out_history(
    ctx: InsightContext, store: str, category: str, start: dt.date
) -> tuple[list[tuple[dt.date, float, float]], list[tuple[dt.date, float]]]:
    """(day, units sold, net sales) for every day from `start` to the period's end, and (snapshot
    day, units on hand) for each snapshot then: the series of the finding and of its chart."""
    end, roles = ctx.period.end, ctx.roles
    assert roles.location is not None and roles.group is not None
    units, sales, on_hand = roles.name("units"), roles.name("sales"), roles.name("stock_on_hand")
    where = (
        Filter(dimension=roles.location.name, values=(store,)),
        Filter(dimension=roles.group.name, values=(category,)),
    )
    sales_q = SemanticQuery(
        metrics=(units, sales),
        group_by=("metric_time",),
        time_grain=Grain.DAY,
        filters=where,
        time_range=TimeRange(start=start, end=end),
    )
    sold = {
        as_date(r["metric_time__day"]): (as_float(r[units]), as_float(r[sales]))
        for r in ctx.source.query(sales_q, ctx.tenant_id).records()
    }
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    daily = [(d, *sold.get(d, (0.0, 0.0))) for d in days]
    stock_q = sales_q.model_copy(update={"metrics": (on_hand,)})
    snapshots = sorted(
        (as_date(r["metric_time__day"]), as_float(r[on_hand]))
        for r in ctx.source.query(stock_q, ctx.tenant_id).records()
        if r[on_hand] is not None
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
    assert ctx.roles.location is not None and ctx.roles.group is not None
    location, group, sales = ctx.roles.location, ctx.roles.group, ctx.roles.sales.noun
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
            Figure(name="units_on_hand", value=0.0, format="integer"),
            Figure(name="units_sold_recent", value=sold, format="integer"),
            Figure(name="weekly_net_sales_in_stock", value=round(usual, 2), format="currency"),
        ),
        query=stock_q.model_copy(update={"filters": (Filter(dimension=location.name, values=(store,)),)}),
        question=f"units on hand by {group.noun} in {store}",
        chart=stock_chart(
            f"{store} · {category}: units on hand and sold per day",
            [(d.isoformat(), units) for d, units, _ in daily],
            [(d.isoformat(), units) for d, units in snapshots],
        ),
        score=sold,
        brief=f"out of stock{when}",
        impact=usual * weeks_out,
        impact_basis=(
            f"{num(ctx, usual, 'currency')} {sales} of {category} in {store} in a week while in stock × "
            f"{num(ctx, weeks_out, 'number')} week(s) of this period"
        ),
    )


def stock_insights(ctx: InsightContext) -> list[Insight]:
    return stock_out_insights(ctx) + low_supply_insights(ctx)
