"""Prices and discounts: a category's shelf prices, or the discount it is sold at, left its usual level.

**Prices.** Per product, the gross price per unit (gross sales / units) in the period against the
median of its weekly prices over the `TRAILING_WEEKS` weeks before; per category the median of
those ratios over its products sold in both. That index is free of the mix (selling more of the
expensive articles does not move it; repricing the category does), and a median of weekly prices
does not carry a past promotion week into the baseline. Reported when at least `MIN_PRODUCTS`
products were compared and the index moved by `MIN_PRICE_CHANGE` or more.

**Discounts.** The category's discount rate (discount / gross sales) minus the median rate of the
other categories — a chain-wide sale (January, July, Black Week) moves every category alike and is no
news — against the same difference in the trailing weeks: reported when it moved by at least
`MIN_DISCOUNT_POINTS` and by `DISCOUNT_Z` robust standard deviations (MAD, floored at
`DISCOUNT_SD_FLOOR`: a few hundred lines a week cannot estimate a rate more finely).

Read by role (roles.py): `sales_before_discount`, `units` and `discount` of each `item` within
its product `group`.

Money at stake: for a price move the gross sales it changed (this period's gross sales less what
the same units would have cost at the usual prices); for a discount the extra discount given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from assistant.core.insights.charts import weekly_lines
from assistant.core.insights.fetch import InsightContext, as_float
from assistant.core.insights.model import Figure, Insight, InsightKind, Severity
from assistant.core.insights.roles import InsightRoles
from assistant.core.insights.series import robust_sd
from assistant.core.insights.wording import num, pct, plural
from semantic_layer.query import Filter, Grain, SemanticQuery, TimeRange

TRAILING_WEEKS = 8
MIN_PRODUCTS = 3
MIN_PRICE_CHANGE = 0.05
HIGH_PRICE_CHANGE = 0.15
MIN_DISCOUNT_POINTS = 0.05
HIGH_DISCOUNT_POINTS = 0.15
DISCOUNT_Z = 4.0
DISCOUNT_SD_FLOOR = 0.01
KPIS = ("sales_before_discount", "units", "discount")


def pricing_needs(roles: InsightRoles) -> tuple[str, ...]:
    if all(roles.reaches(k, roles.item, roles.group) for k in KPIS):
        return ()
    return roles.missing(KPIS, ("group", "item")) or ("price metrics reaching the group and item dimensions",)


@dataclass(frozen=True)
class Cell:
    gross: float
    units: float
    discount: float


def _cells(ctx: InsightContext, start: dt.date, end: dt.date, *, weekly: bool) -> dict[tuple[str, ...], Cell]:
    """{(week?, category, product): sums} over [start, end]."""
    roles = ctx.roles
    assert roles.group is not None and roles.item is not None
    category, product = roles.group.name, roles.item.name
    gross, units, discount = (roles.name(k) for k in KPIS)
    query = SemanticQuery(
        metrics=(gross, units, discount),
        group_by=(*(("metric_time",) if weekly else ()), category, product),
        time_grain=Grain.WEEK,
        time_range=TimeRange(start=start, end=end),
    )
    out = {}
    for r in ctx.source.query(query, ctx.tenant_id).records():
        if r[category] is None or r[product] is None:
            continue
        week = (str(r["metric_time__week"])[:10],) if weekly else ()
        out[(*week, str(r[category]), str(r[product]))] = Cell(
            as_float(r[gross]), as_float(r[units]), as_float(r[discount])
        )
    return out


def pricing_insights(ctx: InsightContext) -> list[Insight]:
    p = ctx.period
    trailing_start = p.start - dt.timedelta(weeks=TRAILING_WEEKS)
    if ctx.data_start is not None and trailing_start < ctx.data_start:
        return []  # not enough history to know the usual price
    now = _cells(ctx, p.start, p.end, weekly=False)
    before = _cells(ctx, trailing_start, p.start - dt.timedelta(days=1), weekly=True)
    return [*_price_moves(ctx, now, before), *_discount_moves(ctx, now, before)]


def _unit_price(cell: Cell) -> float | None:
    return cell.gross / cell.units if cell.units > 0 and cell.gross > 0 else None


def price_index(
    now: dict[tuple[str, ...], Cell], before: dict[tuple[str, ...], Cell]
) -> dict[str, tuple[float, int]]:
    """{category: (median price ratio, products compared)} — pure, see the module docstring."""
    usual = _usual_prices(before)
    ratios: dict[str, list[float]] = {}
    for (category, product), cell in now.items():
        price = _unit_price(cell)
        if price is not None and (category, product) in usual:
            ratios.setdefault(category, []).append(price / usual[(category, product)])
    return {c: (float(np.median(r)), len(r)) for c, r in ratios.items()}


def _usual_prices(before: dict[tuple[str, ...], Cell]) -> dict[tuple[str, str], float]:
    """{(category, product): median of its weekly unit prices in the trailing weeks}."""
    weekly: dict[tuple[str, str], list[float]] = {}
    for (_, category, product), cell in before.items():
        price = _unit_price(cell)
        if price is not None:
            weekly.setdefault((category, product), []).append(price)
    return {k: float(np.median(v)) for k, v in weekly.items()}


def price_history(
    category: str,
    period_start: dt.date,
    now: dict[tuple[str, ...], Cell],
    before: dict[tuple[str, ...], Cell],
) -> list[tuple[str, float]]:
    """The category's price index of each trailing week and of the period (labelled by its first
    day), each the median over its products of price / usual price − 1 — the period's value is
    the finding's move. Pure."""
    usual = _usual_prices(before)
    weeks: dict[str, dict[tuple[str, str], Cell]] = {}
    for (week, cat, product), cell in before.items():
        if cat == category:
            weeks.setdefault(week, {})[(cat, product)] = cell
    points = []
    for week, cells in sorted(weeks.items()):
        ratios = [
            price / usual[key]
            for key, cell in cells.items()
            if (price := _unit_price(cell)) is not None and key in usual
        ]
        if ratios:
            points.append((week, float(np.median(ratios)) - 1.0))
    index = price_index({k: c for k, c in now.items() if k[0] == category}, before).get(category)
    if index is not None:
        points.append((period_start.isoformat(), index[0] - 1.0))
    return points


def _price_moves(
    ctx: InsightContext, now: dict[tuple[str, ...], Cell], before: dict[tuple[str, ...], Cell]
) -> list[Insight]:
    out = []
    gross_noun = ctx.roles.metric("sales_before_discount").noun
    for category, (index, compared) in sorted(price_index(now, before).items()):
        move = index - 1.0
        if compared < MIN_PRODUCTS or abs(move) < MIN_PRICE_CHANGE:
            continue
        gross = sum(c.gross for (cat, _), c in now.items() if cat == category)
        at_stake = gross - gross / index
        word = "up" if move > 0 else "down"
        out.append(
            Insight(
                kind=InsightKind.PRICE,
                severity=Severity.HIGH if abs(move) >= HIGH_PRICE_CHANGE else Severity.MEDIUM,
                headline=(
                    f"Prices of {category} are {word} {pct(ctx, move)} on their usual level "
                    f"(median over {compared} articles sold in both periods)."
                ),
                subject=category,
                brief=f"prices {pct(ctx, move)}",
                figures=(
                    Figure(name="price_change_pct", value=round(move, 4), format="percent"),
                    Figure(name="articles_compared", value=float(compared), format="integer"),
                    Figure(name="sales_before_discount", value=round(gross, 2), format="currency"),
                ),
                query=_query(ctx, category, "sales_before_discount"),
                question=f"{gross_noun} and {ctx.roles.metric('units').noun} of {category} by week, "
                f"last {TRAILING_WEEKS} weeks",
                chart=weekly_lines(
                    f"{category}: prices against their usual level, by week",
                    [
                        (week, category, round(value, 4))
                        for week, value in price_history(category, ctx.period.start, now, before)
                    ],
                    value_title="price vs usual",
                    value_format="+.0%",
                    reference=0.0,
                ),
                score=abs(move),
                impact=abs(at_stake),
                impact_basis=(
                    f"{num(ctx, gross, 'currency')} {gross_noun} of {category} against what the same units "
                    "sold for at the usual prices"
                ),
            )
        )
    return out


def sampling_sd(rate_all: float, units: float) -> float:
    """How finely `units` sold can measure a discount rate: each unit is discounted or not, by up to
    about half its price, so a unit's share varies like rate × (½ − rate); a category selling a
    few units in a sale week measures nothing (the trailing weeks, before the sale, do not know)."""
    r = min(max(rate_all, 0.02), 0.45)
    return float(np.sqrt(r * (0.5 - r) / max(units, 1.0)))


def discount_gaps(
    now: dict[tuple[str, ...], Cell], before: dict[tuple[str, ...], Cell]
) -> dict[str, tuple[float, float, float, float]]:
    """{category: (rate now, gap now, usual gap, noise of the gap)}: a category's discount rate
    minus all other categories', this period and in each trailing week — pure. The noise is the
    larger of the trailing gaps' robust sd and this period's sampling noise (`sampling_sd`)."""

    def gaps(by_category: dict[str, Cell]) -> dict[str, tuple[float, float]]:
        # Against the median of the other categories' rates, not their pooled rate: one big
        # category on promotion must not make every other category look un-discounted.
        rates = {k: c.discount / c.gross for k, c in by_category.items() if c.gross > 0}
        out = {}
        for category, rate in rates.items():
            others = [r for k, r in rates.items() if k != category]
            if others:
                out[category] = (rate, rate - float(np.median(others)))
        return out

    by_category = {k[0]: c for k, c in _totals(now, 1).items()}
    current = gaps(by_category)
    all_gross = sum(c.gross for c in by_category.values())
    rate_all = sum(c.discount for c in by_category.values()) / all_gross if all_gross > 0 else 0.0
    weekly: dict[str, dict[str, Cell]] = {}
    for (week, category), c in _totals(before, 2).items():
        weekly.setdefault(week, {})[category] = c
    history: dict[str, list[float]] = {}
    for cells in weekly.values():
        for category, (_, gap) in gaps(cells).items():
            history.setdefault(category, []).append(gap)
    return {
        category: (
            rate,
            gap,
            float(np.median(history[category])),
            max(robust_sd(np.array(history[category])), sampling_sd(rate_all, by_category[category].units)),
        )
        for category, (rate, gap) in current.items()
        if len(history.get(category, ())) >= TRAILING_WEEKS // 2
    }


def _totals(cells: dict[tuple[str, ...], Cell], key: int) -> dict[tuple[str, ...], Cell]:
    """Sums over the key's first `key` parts (1: per category; 2: per week and category)."""
    sums: dict[tuple[str, ...], list[float]] = {}
    for k, c in cells.items():
        acc = sums.setdefault(k[:key], [0.0, 0.0, 0.0])
        acc[0] += c.gross
        acc[1] += c.units
        acc[2] += c.discount
    return {k: Cell(*v) for k, v in sums.items()}


def discount_history(
    category: str,
    others_label: str,
    period_start: dt.date,
    now: dict[tuple[str, ...], Cell],
    before: dict[tuple[str, ...], Cell],
) -> list[tuple[str, str, float]]:
    """(week, series, rate): the category's discount rate (discount / gross sales) and the median
    rate of the other categories in each trailing week and in the period (labelled by its first
    day) — the comparison the finding makes. Pure."""
    weekly: dict[str, dict[str, Cell]] = {}
    for (week, cat), c in _totals(before, 2).items():
        weekly.setdefault(week, {})[cat] = c
    weekly[period_start.isoformat()] = {k[0]: c for k, c in _totals(now, 1).items()}
    points = []
    for week, cells in sorted(weekly.items()):
        rates = {k: c.discount / c.gross for k, c in cells.items() if c.gross > 0}
        others = [r for k, r in rates.items() if k != category]
        if category in rates and others:
            points += [(week, category, rates[category]), (week, others_label, float(np.median(others)))]
    return points


def _discount_moves(
    ctx: InsightContext, now: dict[tuple[str, ...], Cell], before: dict[tuple[str, ...], Cell]
) -> list[Insight]:
    out = []
    gross_noun, discount_noun = (ctx.roles.metric(k).noun for k in ("sales_before_discount", "discount"))
    group_noun = ctx.roles.group.noun if ctx.roles.group is not None else "group"
    for category, (rate, gap, usual, sd) in sorted(discount_gaps(now, before).items()):
        move = gap - usual
        if abs(move) < MIN_DISCOUNT_POINTS or abs(move) < DISCOUNT_Z * max(sd, DISCOUNT_SD_FLOOR):
            continue
        gross = sum(c.gross for (cat, _), c in now.items() if cat == category)
        usual_rate = rate - move
        out.append(
            Insight(
                kind=InsightKind.PRICE,
                severity=Severity.HIGH if abs(move) >= HIGH_DISCOUNT_POINTS else Severity.MEDIUM,
                headline=(
                    f"{category} was sold at {num(ctx, rate, 'percent')} discount, against about "
                    f"{num(ctx, usual_rate, 'percent')} usually (relative to the other categories)."
                ),
                subject=category,
                brief=f"discount {num(ctx, rate, 'percent')} (usually {num(ctx, usual_rate, 'percent')})",
                figures=(
                    Figure(name="discount_rate", value=round(rate, 4), format="percent"),
                    Figure(name="usual_discount_rate", value=round(usual_rate, 4), format="percent"),
                    Figure(name="sales_before_discount", value=round(gross, 2), format="currency"),
                ),
                query=_query(ctx, category, "discount"),
                question=f"{discount_noun} and {gross_noun} of {category} per week, "
                f"last {TRAILING_WEEKS} weeks",
                chart=weekly_lines(
                    f"{category}: discount rate by week, against the other {plural(group_noun)}",
                    [
                        (week, series, round(value, 4))
                        for week, series, value in discount_history(
                            category, f"other {plural(group_noun)} (median)", ctx.period.start, now, before
                        )
                    ],
                    value_title="discount rate",
                    value_format=".0%",
                ),
                score=abs(move),
                impact=abs(move) * gross,
                impact_basis=(
                    f"{num(ctx, abs(move), 'percent')} {'more' if move > 0 else 'less'} discount × "
                    f"{num(ctx, gross, 'currency')} {gross_noun}"
                ),
            )
        )
    return out


def _query(ctx: InsightContext, category: str, kpi: str) -> SemanticQuery:
    p = ctx.period
    assert ctx.roles.group is not None
    return SemanticQuery(
        metrics=(ctx.roles.name(kpi), ctx.roles.name("units")),
        group_by=("metric_time",),
        time_grain=Grain.WEEK,
        filters=(Filter(dimension=ctx.roles.group.name, values=(category,)),),
        time_range=TimeRange(start=p.start - dt.timedelta(weeks=TRAILING_WEEKS), end=p.end),
    )
