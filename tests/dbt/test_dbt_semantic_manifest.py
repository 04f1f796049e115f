"""The semantic layer: every contract metric exists, is explained for the planner, compiles with
MetricFlow for DuckDB and Snowflake, and gives the hand-computed figures on the hand-written data."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, cast

import duckdb
import pytest
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlClient, SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.snowflake import SnowflakeSqlPlanRenderer
from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

from tests.dbt.hand_written_raw import ALPHA, BETA, BuiltWarehouse
from tests.dbt.metricflow_compile import DialectOnlySqlClient
from tests.demo import CONTRACT_METRICS


def semantic_manifest(wh: BuiltWarehouse) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(wh.semantic_manifest.read_text())
    return loaded


@pytest.fixture(scope="module")
def engines(hand_built_warehouse: BuiltWarehouse) -> dict[str, MetricFlowEngine]:
    lookup = SemanticManifestLookup(
        parse_manifest_from_dbt_generated_manifest(hand_built_warehouse.semantic_manifest.read_text())
    )
    clients = {
        "duckdb": DialectOnlySqlClient(SqlEngine.DUCKDB, DuckDbSqlPlanRenderer()),
        "snowflake": DialectOnlySqlClient(SqlEngine.SNOWFLAKE, SnowflakeSqlPlanRenderer()),
    }
    # the cast: MetricFlow only calls the two properties above when explaining a query
    return {
        name: MetricFlowEngine(semantic_manifest_lookup=lookup, sql_client=cast(SqlClient, client))
        for name, client in clients.items()
    }


def compile_sql(engine: MetricFlowEngine, metrics: list[str], group_by: list[str]) -> str:
    request = MetricFlowQueryRequest.create(metric_names=metrics, group_by_names=group_by)
    return engine.explain(request).sql_statement.sql


def test_every_contract_metric_has_label_description_and_synonyms(
    hand_built_warehouse: BuiltWarehouse,
) -> None:
    metrics = {m["name"]: m for m in semantic_manifest(hand_built_warehouse)["metrics"]}
    assert set(CONTRACT_METRICS) <= set(metrics)
    for metric in metrics.values():
        assert metric["label"], metric["name"]
        assert len(metric["description"]) > 20, metric["name"]
        meta = metric["config"]["meta"]
        assert meta["synonyms"] and all(isinstance(s, str) and s for s in meta["synonyms"]), metric["name"]
        assert meta["format"] in ("currency", "percent", "number"), metric["name"]
    assert "Umsatz" in metrics["net_sales"]["config"]["meta"]["synonyms"]


def test_every_dimension_and_entity_is_explained_for_the_planner(
    hand_built_warehouse: BuiltWarehouse,
) -> None:
    models = semantic_manifest(hand_built_warehouse)["semantic_models"]
    names = set()
    for model in models:
        for element in (*model["dimensions"], *model["entities"]):
            where = f"{model['name']}.{element['name']}"
            names.add(element["name"])
            assert element["label"] and element["description"], where
            assert element["config"]["meta"]["synonyms"], where
    assert {"store", "product", "customer", "receipt"} <= names
    assert {"category", "brand", "channel", "store_type", "loyalty_tier", "rfm_segment"} <= names
    category = next(d for m in models for d in m["dimensions"] if d["name"] == "category")
    assert "Warengruppe" in category["config"]["meta"]["synonyms"]


@pytest.mark.parametrize("dialect", ["duckdb", "snowflake"])
def test_every_metric_compiles_by_month(
    hand_built_warehouse: BuiltWarehouse, engines: dict[str, MetricFlowEngine], dialect: str
) -> None:
    names = [m["name"] for m in semantic_manifest(hand_built_warehouse)["metrics"]]
    for name in names:
        sql = compile_sql(engines[dialect], [name], ["metric_time__month"])
        assert f"AS {name}" in sql, f"{dialect}: {name} is not an output column"


def test_retail_metrics_by_store_and_category_compile_for_snowflake(
    engines: dict[str, MetricFlowEngine],
) -> None:
    sql = compile_sql(
        engines["snowflake"],
        ["net_sales", "sell_through_rate", "weeks_of_supply"],
        ["metric_time__week", "store__city", "product__category"],
    )
    assert "fct_inventory_snapshots" in sql and "fct_sales" in sql


def run_metrics(
    wh: BuiltWarehouse, engine: MetricFlowEngine, metrics: list[str]
) -> dict[str, dict[str, Any]]:
    """Per tenant: metric -> value, by running MetricFlow's DuckDB SQL on the built warehouse."""
    sql = compile_sql(engine, metrics, ["tenant"])
    with duckdb.connect(str(wh.path), read_only=True) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    return {str(row[columns.index("tenant")]): dict(zip(columns, row, strict=True)) for row in rows}


def test_sales_metrics_give_the_hand_computed_figures(
    hand_built_warehouse: BuiltWarehouse, engines: dict[str, MetricFlowEngine]
) -> None:
    got = run_metrics(
        hand_built_warehouse,
        engines["duckdb"],
        ["net_sales", "orders", "units_sold", "returned_units", "return_rate", "units_per_transaction",
         "average_order_value", "active_customers", "gross_margin_pct"],
    )  # fmt: skip
    alpha, beta = got[ALPHA], got[BETA]
    # alpha: receipts r1 (2 jackets 180 + tee 30), r2 (3 tees 81, anonymous), r3 (online jacket 100),
    # r4 (one jacket returned, -90); 7 units bought, 1 returned
    assert Decimal(alpha["net_sales"]) == Decimal("301")
    assert alpha["orders"] == 3 and alpha["units_sold"] == 6 and alpha["returned_units"] == 1
    assert alpha["return_rate"] == pytest.approx(1 / 7)
    assert alpha["units_per_transaction"] == pytest.approx(7 / 3)
    assert alpha["average_order_value"] == pytest.approx(301 / 3)
    assert alpha["active_customers"] == 2  # the anonymous receipt has nobody to count
    assert alpha["gross_margin_pct"] == pytest.approx((301 - 120) / 301)
    assert Decimal(beta["net_sales"]) == Decimal("450") and beta["returned_units"] == 0


def test_stock_metrics_take_the_last_snapshot_not_the_sum(
    hand_built_warehouse: BuiltWarehouse, engines: dict[str, MetricFlowEngine]
) -> None:
    got = run_metrics(
        hand_built_warehouse,
        engines["duckdb"],
        ["on_hand_units", "inventory_value", "weeks_of_supply", "sell_through_rate", "sales_per_sqm"],
    )
    alpha, beta = got[ALPHA], got[BETA]
    assert alpha["on_hand_units"] == 13  # 9 jackets + 4 tees on 13 Sep, not 28 over both Sundays
    assert Decimal(alpha["inventory_value"]) == Decimal("400")
    # Hamburg sold 2 units net (jacket 2-1, tee 1) in the 4 weeks to 13 Sep: 0.5 a week
    assert alpha["weeks_of_supply"] == pytest.approx(13 / 0.5)
    assert alpha["sell_through_rate"] == pytest.approx(6 / (6 + 13))
    # store sales (online excluded) 210 + 81 - 90 over Hamburg 120 sqm + outlet 80 sqm
    assert alpha["sales_per_sqm"] == pytest.approx(201 / 200)
    assert beta["on_hand_units"] == 2 and beta["weeks_of_supply"] == pytest.approx(2 / 0.25)
    assert beta["sales_per_sqm"] == pytest.approx(450 / 200)


def test_marketing_metrics_give_the_hand_computed_figures(
    hand_built_warehouse: BuiltWarehouse, engines: dict[str, MetricFlowEngine]
) -> None:
    got = run_metrics(
        hand_built_warehouse,
        engines["duckdb"],
        [
            "sessions",
            "transactions",
            "web_conversion_rate",
            "web_revenue",
            "email_open_rate",
            "email_click_rate",
        ],
    )
    alpha = got[ALPHA]
    assert alpha["sessions"] == 150 and alpha["transactions"] == 5
    assert alpha["web_conversion_rate"] == pytest.approx(5 / 150)
    assert Decimal(alpha["web_revenue"]) == Decimal("360")
    assert alpha["email_open_rate"] == pytest.approx(392 / 980)
    assert alpha["email_click_rate"] == pytest.approx(49 / 980)
