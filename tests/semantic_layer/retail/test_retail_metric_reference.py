"""Every retail contract metric, alone, by each of its dimensions and by each grain, equals SQL
written by hand from DESIGN.md's definitions — on the real three-tenant demo warehouse.

Each case compiles for DuckDB and for Snowflake (the Snowflake SQL must parse and pass the
Snowflake guard), runs on DuckDB through the guard for one tenant (the tenants alternate), and
is compared with `retail_reference.reference` on a separate plain connection to a copy of the
file. Grouped and per-grain cases use a range that ends before the data does (May–August 2026)
so that "the last stock count in the period" is not simply the last one loaded.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.compiler import compile_query
from semantic_layer.facade import SemanticLayer
from semantic_layer.guarding import policy_for_project, policy_guard
from semantic_layer.protocols import QueryResult, SqlGuard
from semantic_layer.query import Grain, SemanticQuery, TimeRange
from tests.demo import CONTRACT_METRICS, DEMO_TENANTS, DemoWarehouse
from tests.semantic_layer.retail.retail_reference import (
    DIMENSIONS,
    METRICS,
    Case,
    Key,
    Value,
    close,
    normalise_key,
    reference,
)

RANGE_START, RANGE_END = dt.date(2026, 5, 1), dt.date(2026, 8, 31)

_SALES_DIMS = tuple(
    d for d in DIMENSIONS if d.split("__")[0] in ("store", "product", "customer", "sale_line")
)
_STOCK_DIMS = tuple(d for d in DIMENSIONS if d.split("__")[0] in ("store", "product"))
# The categorical, non-tenant dimensions the catalog offers per metric (checked below).
EXPECTED_DIMENSIONS: dict[str, tuple[str, ...]] = {
    **{m: _SALES_DIMS for m in CONTRACT_METRICS[:11]},
    "units_per_transaction": _SALES_DIMS,
    "new_customers": ("customer__city", "customer__loyalty_tier", "customer__rfm_segment"),
    **{m: _STOCK_DIMS for m in ("on_hand_units", "inventory_value", "sell_through_rate", "weeks_of_supply")},
    **{
        m: ("web_traffic__source", "web_traffic__medium", "web_traffic__device_category")
        for m in ("sessions", "transactions", "web_conversion_rate", "web_revenue")
    },
    **{m: ("campaign__campaign_name",) for m in ("email_open_rate", "email_click_rate", "email_revenue")},
    "sales_per_sqm": tuple(d for d in DIMENSIONS if d.startswith("store__")),
}


def _cases() -> list[Case]:
    shapes: list[tuple[str, str | None, Grain | None, bool]] = []
    for metric in CONTRACT_METRICS:
        shapes.append((metric, None, None, False))  # alone, over all loaded data
        shapes.append((metric, None, None, True))  # alone, over a range ending mid-history
        shapes.extend((metric, d, None, True) for d in EXPECTED_DIMENSIONS[metric])
        shapes.extend((metric, None, g, True) for g in Grain)
    return [
        Case(m, d, g, RANGE_START if ranged else None, RANGE_END if ranged else None, DEMO_TENANTS[i % 3])
        for i, (m, d, g, ranged) in enumerate(shapes)
    ]


CASES = _cases()


def _case_id(case: Case) -> str:
    shape = case.dimension or (f"by-{case.grain.value}" if case.grain else "alone")
    return f"{case.metric}-{shape}{'' if case.start else '-all-time'}-{case.tenant}"


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.fixture(scope="module")
def snowflake_guard(layer: SemanticLayer) -> SqlGuard:
    return policy_guard(policy_for_project(layer.project, dialect="snowflake"))


@pytest.fixture(scope="module")
def oracle(
    demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A plain connection for the reference SQL, on a copy (DuckDB refuses a second
    connection to one file with another configuration)."""
    copy = tmp_path_factory.mktemp("retail-oracle") / "oracle.duckdb"
    shutil.copy(demo_warehouse.path, copy)
    con = duckdb.connect(str(copy), read_only=True)
    yield con
    con.close()


def _query(case: Case) -> SemanticQuery:
    return SemanticQuery(
        metrics=(case.metric,),
        group_by=(("metric_time",) if case.grain else ()) + ((case.dimension,) if case.dimension else ()),
        time_grain=case.grain or Grain.DAY,
        time_range=TimeRange(start=case.start, end=case.end),
    )


def _by_key(result: QueryResult, case: Case) -> dict[Key, Value]:
    names = result.column_names
    positions = [names.index(n) for n in case.key_names]
    value_at = names.index(case.metric)
    out: dict[Key, Value] = {}
    for row in result.rows:
        key = tuple(normalise_key(row[i]) for i in positions)
        assert key not in out, f"two rows for the group {key}"
        value = row[value_at]
        out[key] = None if value is None else float(value)  # type: ignore[arg-type]
    return out


def _abs_tol(layer: SemanticLayer, metric: str) -> float:
    # 0.01 absolute for amounts and counts; a rate needs better than a point of a percent.
    info = layer.catalog.metric(metric)
    assert info is not None
    return 1e-6 if info.format == "percent" else 0.01


def test_the_catalog_offers_exactly_the_dimensions_the_reference_covers(layer: SemanticLayer) -> None:
    for metric in CONTRACT_METRICS:
        info = layer.catalog.metric(metric)
        assert info is not None, f"contract metric {metric} is missing from the catalog"
        categorical = {
            d
            for d in info.dimensions
            if "tenant" not in d.split("__")
            and (dim := layer.catalog.dimension(d)) is not None
            and dim.type == "categorical"
        }
        assert categorical == set(EXPECTED_DIMENSIONS[metric]), metric
        assert set(info.grains) == set(Grain), metric
    assert set(METRICS) == set(CONTRACT_METRICS)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_metric_equals_hand_written_sql(
    layer: SemanticLayer, oracle: duckdb.DuckDBPyConnection, case: Case
) -> None:
    query = _query(case)
    snowflake = compile_query(layer.project, layer.catalog, query, "snowflake")
    assert isinstance(sqlglot.parse_one(snowflake.sql, read="snowflake"), exp.Query)

    executed = layer.run(query, case.tenant)
    assert executed.compiled.dialect == "duckdb"
    assert not executed.result.truncated
    got = _by_key(executed.result, case)
    _assert_matches(got, reference(oracle, case), _abs_tol(layer, case.metric))


def _assert_matches(got: dict[Key, Value], expected: dict[Key, Value], abs_tol: float) -> None:
    assert expected, "the reference is empty: the case proves nothing"
    assert got.keys() == expected.keys(), (
        f"groups only in the layer: {got.keys() - expected.keys()}; "
        f"only in the reference: {expected.keys() - got.keys()}"
    )
    wrong = {k: (got[k], expected[k]) for k in expected if not close(got[k], expected[k], abs_tol=abs_tol)}
    assert not wrong, f"(layer, reference) differ for {len(wrong)} of {len(expected)} groups: {wrong}"


def _marts_tables_and_their_filters(sql: str, dialect: str) -> list[tuple[str, str | None]]:
    """(table, tenant literal of the WHERE directly around it) for every marts table reference."""
    found = []
    for table in sqlglot.parse_one(sql, read=dialect).find_all(exp.Table):
        if table.db.lower() != "marts" or table.name.lower() == "metricflow_time_spine":
            continue
        select = table.find_ancestor(exp.Select)
        where = select.args.get("where") if select is not None else None
        tenant = None
        if where is not None:
            for eq in where.find_all(exp.EQ):
                if isinstance(eq.left, exp.Column) and eq.left.name.lower() == "tenant_id":
                    tenant = eq.right.name
        found.append((table.name, tenant))
    return found


@pytest.mark.parametrize(
    ("metric", "dimension"),
    [
        ("sales_per_sqm", "store__store_name"),
        ("sell_through_rate", "product__category"),
        ("weeks_of_supply", "store__store_name"),
        ("average_order_value", "customer__loyalty_tier"),
        # distinct counts of fct_sales' integer surrogate keys, numbered from 1 in every tenant:
        # an unscoped count would merge the tenants' keys
        ("orders", "sale_line__channel"),
        ("active_customers", "customer__loyalty_tier"),
        ("new_customers", "customer__city"),
        ("web_conversion_rate", "web_traffic__source"),
        ("email_revenue", "campaign__campaign_name"),
    ],
)
def test_another_tenants_rows_never_appear(
    layer: SemanticLayer,
    snowflake_guard: SqlGuard,
    oracle: duckdb.DuckDBPyConnection,
    metric: str,
    dimension: str,
) -> None:
    query = SemanticQuery(metrics=(metric,), group_by=(dimension,))
    snowflake_sql = compile_query(layer.project, layer.catalog, query, "snowflake").sql
    answers = {}
    for tenant in DEMO_TENANTS:
        executed = layer.run(query, tenant)
        for dialect, sql in (
            ("duckdb", executed.guarded_sql),
            ("snowflake", snowflake_guard(snowflake_sql, tenant_id=tenant).sql),
        ):
            filters = _marts_tables_and_their_filters(sql, dialect)
            assert filters, "no marts relation found in the guarded SQL"
            assert all(t == tenant for _, t in filters), f"{dialect}: unscoped relations: {filters}"
        case = Case(metric, dimension, None, None, None, tenant)
        got = _by_key(executed.result, case)
        _assert_matches(got, reference(oracle, case), _abs_tol(layer, metric))
        answers[tenant] = set(got)
    # the demo tenants share no store: each sees its own stores only
    if dimension == "store__store_name":
        for a in DEMO_TENANTS:
            for b in DEMO_TENANTS:
                if a != b:
                    assert not (answers[a] - {(None,)}) & answers[b], (a, b)


def test_compiled_output_columns_are_the_columns_that_come_back(layer: SemanticLayer) -> None:
    query = SemanticQuery(
        metrics=("net_sales",),
        group_by=("store__city", "metric_time"),
        time_grain=Grain.MONTH,
        time_range=TimeRange(start=RANGE_START, end=RANGE_END),
    )
    executed = layer.run(query, DEMO_TENANTS[0])
    assert executed.compiled.output_columns == executed.result.column_names
