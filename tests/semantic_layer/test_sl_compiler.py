from __future__ import annotations

import datetime as dt

import pytest
import sqlglot
from sqlglot import exp

from semantic_layer.catalog import Catalog
from semantic_layer.compiler import compile_query
from semantic_layer.errors import InvalidQueryError, UnreachableDimensionError, UnsupportedDialectError
from semantic_layer.facade import SemanticLayer
from semantic_layer.project import SemanticProject
from semantic_layer.query import Filter, OrderBy, SemanticQuery, TimeRange

TYPICAL = SemanticQuery(
    metrics=("invoice_revenue",),
    group_by=("metric_time__month",),
    time_range=TimeRange(start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31)),
)
JOINED = SemanticQuery(
    metrics=("invoice_revenue", "churn_rate"),
    group_by=("metric_time__quarter", "subscription__plan"),
    filters=(Filter(dimension="account__country", operator="in", values=("DE", "US")),),
    order_by=(OrderBy(name="invoice_revenue", descending=True),),
    limit=5,
)


@pytest.mark.parametrize("dialect", ["duckdb", "snowflake"])
def test_compiles_for_both_dialects_without_a_database_prefix(
    project: SemanticProject, catalog: Catalog, dialect: str
) -> None:
    compiled = compile_query(project, catalog, JOINED, dialect)
    tree = sqlglot.parse_one(compiled.sql, read=dialect)
    tables = {(t.db, t.name) for t in tree.find_all(exp.Table) if t.db}
    assert tables <= set(project.relations())
    assert ("billing", "fct_invoices") in tables
    assert all(not t.catalog for t in tree.find_all(exp.Table))
    assert compiled.output_columns == (
        "metric_time__quarter",
        "subscription__plan",
        "invoice_revenue",
        "churn_rate",
    )
    assert compiled.dialect == dialect and compiled.elapsed_ms > 0


def test_unknown_dialect_is_refused(project: SemanticProject, catalog: Catalog) -> None:
    with pytest.raises(UnsupportedDialectError):
        compile_query(project, catalog, TYPICAL, "oracle")


def test_distinct_queries_are_each_compiled_for_their_own_period(
    project: SemanticProject, catalog: Catalog
) -> None:
    # Compile speed is a benchmark figure (`mercurios bench sl`), not a timed unit test; what a user
    # would notice is a compile cache answering one period's SQL for another.
    days = range(1, 16)
    queries = [
        TYPICAL.model_copy(
            update={"time_range": TimeRange(start=dt.date(2024, 1, 1), end=dt.date(2025, 1, day))}
        )
        for day in days
    ]
    sqls = [compile_query(project, catalog, q, "duckdb").sql for q in queries]
    assert len(set(sqls)) == len(sqls)
    assert all(f"2025-01-{day:02d}" in sql for day, sql in zip(days, sqls, strict=True))


def test_a_repeated_query_comes_from_the_cache(project: SemanticProject, catalog: Catalog) -> None:
    backslash = Filter(dimension="account__country", values=("a\\b",))  # escaped differently per dialect
    query = TYPICAL.model_copy(update={"limit": 7, "filters": (backslash,)})
    first = compile_query(project, catalog, query, "snowflake")
    again = compile_query(project, catalog, query, "snowflake")
    assert again.sql == first.sql and again.elapsed_ms < first.elapsed_ms
    assert compile_query(project, catalog, query, "duckdb").sql != first.sql


def test_time_range_keeps_exact_dates_for_day_grain_metrics(layer: SemanticLayer) -> None:
    within = SemanticQuery(
        metrics=("invoices",),
        group_by=("metric_time__month",),
        time_range=TimeRange(start=dt.date(2025, 3, 10), end=dt.date(2025, 3, 20)),
    )
    whole = within.model_copy(
        update={"time_range": TimeRange(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))}
    )
    part = layer.query(within, "acme").rows
    full = layer.query(whole, "acme").rows
    assert len(part) == len(full) == 1
    assert 0 < part[0][1] < full[0][1]


@pytest.mark.parametrize("value", ["O'Brien", "x') OR 1=1 --", "back\\slash"])
def test_filter_values_are_data_not_sql(layer: SemanticLayer, value: str) -> None:
    query = SemanticQuery(
        metrics=("new_accounts",), filters=(Filter(dimension="account__country", values=(value,)),)
    )
    result = layer.query(query, "acme")
    assert result.rows in ((), ((None,),), ((0,),))


def test_template_delimiters_in_values_are_refused(project: SemanticProject, catalog: Catalog) -> None:
    query = SemanticQuery(
        metrics=("mrr",), filters=(Filter(dimension="account__country", values=("{{ Dimension('x') }}",)),)
    )
    with pytest.raises(InvalidQueryError, match="template delimiters"):
        compile_query(project, catalog, query, "duckdb")


def test_snowflake_escapes_backslashes(project: SemanticProject, catalog: Catalog) -> None:
    query = SemanticQuery(
        metrics=("mrr",), filters=(Filter(dimension="account__country", values=("a\\'b",)),)
    )
    sql = compile_query(project, catalog, query, "snowflake").sql
    assert "'a\\\\''b'" in sql
    tree = sqlglot.parse_one(sql, read="snowflake")
    literals = [
        lit.this
        for lit in tree.find_all(exp.Literal)
        if lit.is_string and "a" in lit.this and "b" in lit.this
    ]
    assert "a\\'b" in literals


def test_metricflow_refusals_become_user_errors(project: SemanticProject) -> None:
    # Bypass our validation to reach MetricFlow's own check of the join path.
    from semantic_layer.compiler import compile_resolved
    from semantic_layer.validation import ResolvedGroupBy, ResolvedQuery

    resolved = ResolvedQuery(
        query=SemanticQuery(metrics=("new_accounts",)),
        group_by=(ResolvedGroupBy(asked="subscription__plan", name="subscription__plan", grain=None),),
        time_filters=frozenset(),
        day_grain_available=True,
    )
    with pytest.raises(UnreachableDimensionError) as info:
        compile_resolved(project, resolved, "duckdb")
    assert "new_accounts" in info.value.message and len(info.value.message) < 700


@pytest.mark.parametrize("kind", ["plain", "compare", "share"])
def test_snowflake_sql_passes_the_snowflake_guard(
    project: SemanticProject, catalog: Catalog, kind: str
) -> None:
    from semantic_layer.comparisons import compile_comparison, compile_share
    from semantic_layer.guarding import policy_for_project, policy_guard

    query = SemanticQuery(
        metrics=("invoice_revenue", "mrr"),
        group_by=("metric_time__quarter", "account__country"),
        time_range=TimeRange(start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)),
    )
    if kind == "compare":
        compiled = compile_comparison(project, catalog, query, "same_period_last_year", "snowflake")
    elif kind == "share":
        compiled = compile_share(project, catalog, query, "snowflake")
    else:
        compiled = compile_query(project, catalog, query, "snowflake")
    guard = policy_guard(policy_for_project(project, dialect="snowflake", tenant_column="org_id"))
    guarded = guard(compiled.sql, tenant_id="acme")
    tree = sqlglot.parse_one(guarded.sql, read="snowflake")
    scoped = [t for t in tree.find_all(exp.Table) if t.name != "metricflow_time_spine"]
    assert scoped and "org_id = 'acme'" in guarded.sql
