"""The dbt project on the demo generator's output (the suite's shared small demo warehouse)."""

from __future__ import annotations

import json
import math
from typing import cast

from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlClient, SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

from tests.dbt.metricflow_compile import DialectOnlySqlClient
from tests.demo import DEMO_TENANTS, DemoWarehouse, open_read_only


def test_every_dbt_test_passes_on_the_demo_data(demo_warehouse: DemoWarehouse) -> None:
    results = json.loads((demo_warehouse.dbt_target_path / "run_results.json").read_text())["results"]
    tests = [r for r in results if r["unique_id"].startswith("test.")]
    assert len(tests) >= 60
    failed = [r["unique_id"] for r in tests if r["status"] != "pass"]
    assert not failed


def test_demo_customers_spread_over_rfm_segments_and_both_channels_sell(
    demo_warehouse: DemoWarehouse,
) -> None:
    with open_read_only(demo_warehouse.path) as con:
        segments = con.execute(
            "SELECT tenant_id, count(DISTINCT rfm_segment) FROM marts.dim_customers GROUP BY 1"
        ).fetchall()
        channels = con.execute(
            "SELECT tenant_id, count(DISTINCT channel) FROM marts.fct_sales GROUP BY 1"
        ).fetchall()
    assert dict(segments) == {t: 7 for t in DEMO_TENANTS}
    assert dict(channels) == {t: 2 for t in DEMO_TENANTS}


def test_weeks_of_supply_and_sales_per_sqm_are_plausible_for_every_demo_tenant(
    demo_warehouse: DemoWarehouse,
) -> None:
    lookup = SemanticManifestLookup(
        parse_manifest_from_dbt_generated_manifest(demo_warehouse.semantic_manifest.read_text())
    )
    client = DialectOnlySqlClient(SqlEngine.DUCKDB, DuckDbSqlPlanRenderer())
    engine = MetricFlowEngine(semantic_manifest_lookup=lookup, sql_client=cast(SqlClient, client))
    request = MetricFlowQueryRequest.create(
        metric_names=["weeks_of_supply", "sales_per_sqm", "sell_through_rate", "return_rate"],
        group_by_names=["tenant"],
    )
    sql = engine.explain(request).sql_statement.sql
    with open_read_only(demo_warehouse.path) as con:
        rows = con.execute(sql).fetchall()
    assert {r[0] for r in rows} == set(DEMO_TENANTS)
    for tenant, weeks, per_sqm, sell_through, return_rate in rows:
        assert 0.5 < weeks < 104, (tenant, weeks)  # between days and two years of stock
        assert per_sqm > 0 and math.isfinite(per_sqm), tenant
        assert 0 < sell_through < 1 and 0 < return_rate < 0.5, tenant
