"""Hand-written reference SQL for the retail contract metrics (DESIGN.md), as data.

A test oracle: it reads the marts directly on a separate connection and knows nothing of
MetricFlow. Each metric is one or more *components* (an aggregate over a *source* relation)
combined in Python, so that metrics built from two sources (sell-through, sales per sqm) are
merged on their group keys the way a user expects: one row per group, NULL keys included.

Dimensions are a (entity, column expression) mapping; an entity other than the source's own is
reached by a LEFT JOIN on the entity key and `tenant_id`.

Stock-like measures (`last_in_period`) follow the dbt definition `non_additive_dimension`
`window_choice: max`, `window_groupings: [tenant]`: the window is the TENANT (not the group), so
every group reads the tenant's last snapshot date within the period — within each time bucket
when grouped by `metric_time`, after the time-range filter. A group with no row on that date is
absent, it does not fall back to its own last date.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from semantic_layer.query import Grain

Value = float | None
Key = tuple[object, ...]


@dataclass(frozen=True)
class Source:
    relation: str  # SQL of a relation with tenant_id, readable as `src`
    time_column: str  # the column metric_time is, on alias f
    own_entity: str | None  # dimensions `<own_entity>__x` are columns of the source itself
    entities: frozenset[str]  # entities reachable by a join (see JOINS)
    last_in_period: bool = False  # stock-like: only rows on the tenant's last time value per bucket


SALES = Source("marts.fct_sales", "sale_date", "sale_line", frozenset({"store", "product", "customer"}))
INVENTORY = Source(
    "marts.fct_inventory_snapshots",
    "snapshot_date",
    "inventory_snapshot",
    frozenset({"store", "product"}),
    last_in_period=True,
)
CUSTOMERS = Source("marts.dim_customers", "signup_date", None, frozenset({"customer"}))
WEB = Source("marts.fct_web_sessions", "session_date", "web_traffic", frozenset())
EMAIL = Source("marts.fct_email_campaigns", "send_date", "campaign", frozenset())
# Selling area per physical store and day it was open, from its opening (at the earliest the
# tenant's first sale) to the tenant's last sale: written from dim_stores, not fct_store_days.
STORE_AREA = Source(
    """(
    SELECT st.tenant_id, st.store_id, CAST(cal.day AS DATE) AS store_day,
           COALESCE(st.selling_area_sqm, 0) AS selling_area_sqm
    FROM marts.dim_stores st
    JOIN (SELECT tenant_id, MIN(sale_date) AS lo, MAX(sale_date) AS hi
          FROM marts.fct_sales GROUP BY tenant_id) span ON span.tenant_id = st.tenant_id
    JOIN (SELECT UNNEST(GENERATE_SERIES(DATE '2015-01-01', DATE '2035-12-31', INTERVAL 1 DAY)) AS day) cal
      ON cal.day BETWEEN span.lo AND span.hi AND cal.day >= st.opened_on
    WHERE st.store_type <> 'online'
)""",
    "store_day",
    None,
    frozenset({"store"}),
    last_in_period=True,
)

JOINS = {
    "store": "LEFT JOIN marts.dim_stores s ON s.tenant_id = f.tenant_id AND s.store_id = f.store_id",
    "product": "LEFT JOIN marts.dim_products p ON p.tenant_id = f.tenant_id AND p.product_id = f.product_id",
    "customer": (
        "LEFT JOIN marts.dim_customers c ON c.tenant_id = f.tenant_id AND c.customer_id = f.customer_id"
    ),
}

DIMENSIONS: dict[str, tuple[str, str]] = {
    **{
        f"store__{col}": ("store", f"s.{col}")
        for col in ("store_name", "city", "region", "country", "store_type", "is_online")
    },
    **{
        f"product__{col}": ("product", f"p.{col}")
        for col in ("product_name", "sku", "category", "subcategory", "brand", "color", "season")
    },
    **{f"customer__{col}": ("customer", f"c.{col}") for col in ("city", "loyalty_tier", "rfm_segment")},
    "sale_line__channel": ("sale_line", "f.channel"),
    "sale_line__is_return": ("sale_line", "f.is_return"),
    "sale_line__sale_hour": ("sale_line", "EXTRACT(HOUR FROM f.sold_at)"),
    **{f"web_traffic__{col}": ("web_traffic", f"f.{col}") for col in ("source", "medium", "device_category")},
    "campaign__campaign_name": ("campaign", "f.campaign_name"),
}


@dataclass(frozen=True)
class Component:
    source: Source
    aggregate: str  # over alias f (and the joined dimension aliases)


def _num(value: object) -> Value:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _ratio(num: Value, den: Value) -> Value:
    return None if num is None or den is None or den == 0 else num / den


@dataclass(frozen=True)
class MetricRef:
    components: tuple[Component, ...]
    combine: Callable[..., Value] = _num


def _simple(source: Source, aggregate: str) -> MetricRef:
    return MetricRef((Component(source, aggregate),))


def _ratio_of(source: Source, numerator: str, denominator: str) -> MetricRef:
    return MetricRef((Component(source, numerator), Component(source, denominator)), _ratio)


NET = "SUM(f.net_amount)"
ORDERS = "COUNT(DISTINCT CASE WHEN NOT f.is_return THEN f.receipt_id END)"
PURCHASED_UNITS = "SUM(CASE WHEN f.is_return THEN 0 ELSE f.quantity END)"
RETURNED_UNITS = "SUM(CASE WHEN f.is_return THEN -f.quantity ELSE 0 END)"
MARGIN = "SUM(f.net_amount - f.cost_amount)"
# Net units the same store sold of the same product in the 28 days ending on the snapshot.
TRAILING_4_WEEKS = """SUM((
    SELECT COALESCE(SUM(q.quantity), 0) FROM marts.fct_sales q
    WHERE q.tenant_id = f.tenant_id AND q.store_id = f.store_id AND q.product_id = f.product_id
      AND q.sale_date > f.snapshot_date - INTERVAL 28 DAY AND q.sale_date <= f.snapshot_date
))"""


def _sell_through(units: Value, on_hand: Value) -> Value:
    return None if units is None or on_hand is None else _ratio(units, units + on_hand)


def _weeks_of_supply(on_hand: Value, trailing: Value) -> Value:
    # "Empty when nothing sold net of returns" (the metric's documented definition).
    return None if trailing is None else _ratio(on_hand, max(trailing, 0.0) / 4.0)


METRICS: dict[str, MetricRef] = {
    "net_sales": _simple(SALES, NET),
    "gross_sales": _simple(SALES, "SUM(f.gross_amount)"),
    "discount_amount": _simple(SALES, "SUM(f.discount_amount)"),
    "units_sold": _simple(SALES, "SUM(f.quantity)"),
    "orders": _simple(SALES, ORDERS),
    "average_order_value": _ratio_of(SALES, NET, ORDERS),
    "gross_margin": _simple(SALES, MARGIN),
    "gross_margin_pct": _ratio_of(SALES, MARGIN, NET),
    "returned_units": _simple(SALES, RETURNED_UNITS),
    "return_rate": _ratio_of(SALES, RETURNED_UNITS, PURCHASED_UNITS),
    "active_customers": _simple(SALES, "COUNT(DISTINCT CASE WHEN NOT f.is_return THEN f.customer_id END)"),
    "new_customers": _simple(CUSTOMERS, "COUNT(DISTINCT f.customer_id)"),
    "on_hand_units": _simple(INVENTORY, "SUM(f.on_hand_units)"),
    "inventory_value": _simple(INVENTORY, "SUM(f.inventory_cost_value)"),
    "sell_through_rate": MetricRef(
        (Component(SALES, "SUM(f.quantity)"), Component(INVENTORY, "SUM(f.on_hand_units)")), _sell_through
    ),
    "sessions": _simple(WEB, "SUM(f.sessions)"),
    "transactions": _simple(WEB, "SUM(f.transactions)"),
    "web_conversion_rate": _ratio_of(WEB, "SUM(f.transactions)", "SUM(f.sessions)"),
    "web_revenue": _simple(WEB, "SUM(f.purchase_revenue)"),
    "email_open_rate": _ratio_of(EMAIL, "SUM(f.opens)", "SUM(f.delivered)"),
    "email_click_rate": _ratio_of(EMAIL, "SUM(f.clicks)", "SUM(f.delivered)"),
    "email_revenue": _simple(EMAIL, "SUM(f.attributed_revenue)"),
    "units_per_transaction": _ratio_of(SALES, PURCHASED_UNITS, ORDERS),
    # Physical stores' net sales over the area of the stores open on the period's last day; the
    # online shop has no area and is left out of both sides (the metric's documented definition).
    "sales_per_sqm": MetricRef(
        (
            Component(SALES, "SUM(CASE WHEN f.channel = 'store' THEN f.net_amount ELSE 0 END)"),
            Component(STORE_AREA, "SUM(f.selling_area_sqm)"),
        ),
        _ratio,
    ),
    "weeks_of_supply": MetricRef(
        (Component(INVENTORY, "SUM(f.on_hand_units)"), Component(INVENTORY, TRAILING_4_WEEKS)),
        _weeks_of_supply,
    ),
}


@dataclass(frozen=True)
class Case:
    """One query of the parametrisation: a metric, at most one dimension, at most one grain."""

    metric: str
    dimension: str | None
    grain: Grain | None
    start: dt.date | None
    end: dt.date | None
    tenant: str

    @property
    def key_names(self) -> tuple[str, ...]:
        names = (f"metric_time__{self.grain.value}",) if self.grain else ()
        return names + ((self.dimension,) if self.dimension else ())


def _component_sql(component: Component, case: Case) -> str:
    src = component.source
    t = f"f.{src.time_column}"
    keys: list[str] = []
    joins: list[str] = []
    if case.grain is not None:
        keys.append(f"CAST(DATE_TRUNC('{case.grain.value}', {t}) AS DATE)")
    if case.dimension is not None:
        entity, expr = DIMENSIONS[case.dimension]
        if entity != src.own_entity:
            assert entity in src.entities, f"{case.dimension} is not reachable from {src.relation}"
            joins.append(JOINS[entity])
        keys.append(expr)
    where = ["f.tenant_id = $tenant"]
    if case.start is not None:
        where.append(f"{t} >= $start")
    if case.end is not None:
        where.append(f"{t} <= $end")
    if src.last_in_period:
        same_bucket = ""
        if case.grain is not None:
            grain = case.grain.value
            same_bucket = f" AND DATE_TRUNC('{grain}', x.{src.time_column}) = DATE_TRUNC('{grain}', {t})"
        where.append(
            f"{t} = (SELECT MAX(x.{src.time_column}) FROM src x WHERE x.tenant_id = f.tenant_id"
            + (f" AND x.{src.time_column} >= $start" if case.start is not None else "")
            + (f" AND x.{src.time_column} <= $end" if case.end is not None else "")
            + same_bucket
            + ")"
        )
    select = ", ".join([*keys, f"{component.aggregate} AS value"])
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}" if keys else ""
    return (
        f"WITH src AS (SELECT * FROM {src.relation}) "
        f"SELECT {select} FROM src f {' '.join(joins)} WHERE {' AND '.join(where)}{group}"
    )


def normalise_key(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def reference(con: duckdb.DuckDBPyConnection, case: Case) -> dict[Key, Value]:
    """The metric per group key (time bucket first, then the dimension value), by hand-written SQL."""
    ref = METRICS[case.metric]
    params: dict[str, object] = {"tenant": case.tenant}
    if case.start is not None:
        params["start"] = case.start
    if case.end is not None:
        params["end"] = case.end
    per_component: list[dict[Key, Value]] = []
    for component in ref.components:
        rows = con.execute(_component_sql(component, case), params).fetchall()
        per_component.append({tuple(normalise_key(v) for v in row[:-1]): _num(row[-1]) for row in rows})
    keys: set[Key] = set().union(*per_component)
    if len(ref.components) == 1:
        # a plain aggregate: a whole-period total over no rows is NULL (SUM) or 0 (COUNT)
        return per_component[0]
    return {key: ref.combine(*(values.get(key) for values in per_component)) for key in keys}


def close(got: Value, expected: Value, *, abs_tol: float) -> bool:
    if got is None or expected is None:
        return got is None and expected is None
    return math.isclose(got, expected, rel_tol=1e-6, abs_tol=abs_tol)
