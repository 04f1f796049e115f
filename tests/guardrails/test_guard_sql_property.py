"""Property: for any query composed from the marts, guarded-on-everything == unguarded-on-mine.

Hypothesis composes valid SELECTs (joins, filters, GROUP BY, unions, IN / scalar subqueries,
CTEs, mixed-case and qualified names). The guarded query runs on the full three-tenant
warehouse; the clean oracle is the unguarded query on a copy that holds only the tenant's rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardrails.policies import default_retail_policy
from guardrails.sql import guard_sql
from tests.guardrails.guard_checks import as_multiset, run
from tests.guardrails.guard_warehouse import TENANTS, Warehouses

POLICY = default_retail_policy("duckdb")


@dataclass(frozen=True)
class Mart:
    name: str
    dims: tuple[str, ...]
    nums: tuple[str, ...]


FACT = Mart(
    "fct_sales", ("channel", "store_id", "product_id", "sale_date", "is_return"), ("net_amount", "quantity")
)
DIMS = {
    "store_id": Mart("dim_stores", ("region", "store_type", "city"), ("selling_area_sqm",)),
    "product_id": Mart("dim_products", ("category", "brand", "season"), ("list_price", "unit_cost")),
    "customer_id": Mart("dim_customers", ("loyalty_tier", "city", "rfm_segment"), ("home_store_id",)),
}
SINGLES = (
    FACT,
    Mart("fct_web_sessions", ("source", "device_category", "session_date"), ("sessions", "purchase_revenue")),
    Mart("fct_email_campaigns", ("campaign_name", "send_date"), ("opens", "attributed_revenue")),
    Mart("fct_inventory_snapshots", ("snapshot_date", "store_id"), ("on_hand_units", "inventory_cost_value")),
    *DIMS.values(),
)
AGGS = ("SUM", "MIN", "MAX", "COUNT", "AVG")


@st.composite
def table_ref(draw: st.DrawFn, mart: Mart, alias: str) -> str:
    name = draw(st.sampled_from([mart.name, f"marts.{mart.name}", mart.name.upper()]))
    return f"{name} AS {alias}"


@st.composite
def single_table_query(draw: st.DrawFn) -> str:
    mart = draw(st.sampled_from(SINGLES))
    dim = draw(st.sampled_from(mart.dims))
    num = draw(st.sampled_from(mart.nums))
    agg = draw(st.sampled_from(AGGS))
    where = draw(
        st.sampled_from(
            [
                "",
                f" WHERE t.{num} > 0",
                f" WHERE t.{num} IS NOT NULL OR 1 = 1",
                " WHERE t.tenant_id <> 'alpen-sport'",
            ]
        )
    )
    return (
        f"SELECT t.{dim} AS d, {agg}(t.{num}) AS v FROM {draw(table_ref(mart, 't'))}{where} GROUP BY t.{dim}"
    )


@st.composite
def join_query(draw: st.DrawFn) -> str:
    key = draw(st.sampled_from(sorted(DIMS)))
    dim_mart = DIMS[key]
    dim = draw(st.sampled_from(dim_mart.dims))
    num = draw(st.sampled_from(FACT.nums))
    kind = draw(st.sampled_from(["JOIN", "LEFT JOIN", "FULL OUTER JOIN"]))
    on = f"f.{key} = d.{key}" if key != "customer_id" else "f.customer_id = d.customer_id"
    # a hostile OR beside the key equality (alone, it would make the join cartesian: refused)
    extra = draw(
        st.sampled_from(["", f" AND ({on} OR f.tenant_id <> d.tenant_id)", " AND d.tenant_id = f.tenant_id"])
    )
    return (
        f"SELECT d.{dim} AS d, SUM(f.{num}) AS v FROM {draw(table_ref(FACT, 'f'))} "
        f"{kind} {draw(table_ref(dim_mart, 'd'))} ON {on}{extra} GROUP BY d.{dim}"
    )


@st.composite
def subquery_query(draw: st.DrawFn) -> str:
    key = draw(st.sampled_from(sorted(DIMS)))
    dim_mart = DIMS[key]
    dim = draw(st.sampled_from(dim_mart.dims))
    shape = draw(st.sampled_from(["in", "scalar", "exists"]))
    if shape == "in":
        return (
            f"SELECT f.channel AS d, COUNT(*) AS v FROM {draw(table_ref(FACT, 'f'))} WHERE f.{key} IN "
            f"(SELECT x.{key} FROM {draw(table_ref(dim_mart, 'x'))} WHERE x.{dim} IS NOT NULL) "
            "GROUP BY f.channel"
        )
    if shape == "scalar":
        return (
            f"SELECT f.sale_line_id AS d, f.net_amount - (SELECT AVG(g.net_amount) FROM "
            f"{draw(table_ref(FACT, 'g'))}) AS v FROM {draw(table_ref(FACT, 'f'))}"
        )
    return (
        f"SELECT x.{dim} AS d, COUNT(*) AS v FROM {draw(table_ref(dim_mart, 'x'))} WHERE EXISTS "
        f"(SELECT 1 FROM {draw(table_ref(FACT, 'f'))} WHERE f.{key} = x.{key}) GROUP BY x.{dim}"
    )


base_query = st.one_of(single_table_query(), join_query(), subquery_query())


@st.composite
def composed_query(draw: st.DrawFn) -> str:
    first = draw(base_query)
    shape = draw(st.sampled_from(["plain", "union", "cte", "wrapped"]))
    if shape == "union":
        op = draw(st.sampled_from(["UNION ALL", "UNION", "EXCEPT", "INTERSECT"]))
        return f"SELECT CAST(d AS VARCHAR) AS d, CAST(v AS DOUBLE) AS v FROM ({first}) a {op} " + (
            f"SELECT CAST(d AS VARCHAR), CAST(v AS DOUBLE) FROM ({draw(base_query)}) b"
        )
    if shape == "cte":
        return f"WITH q AS ({first}) SELECT d, v FROM q WHERE v IS NOT NULL"
    if shape == "wrapped":
        return f"SELECT COUNT(*) AS n, SUM(CAST(v AS DOUBLE)) AS total FROM ({first}) w"
    return first


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sql=composed_query(), tenant=st.sampled_from(TENANTS))
def test_guarded_result_equals_the_tenant_only_oracle(sql: str, tenant: str, warehouses: Warehouses) -> None:
    guarded = guard_sql(sql, tenant_id=tenant, policy=POLICY)
    assert as_multiset(run(warehouses.full, guarded.sql)) == as_multiset(run(warehouses.oracles[tenant], sql))
