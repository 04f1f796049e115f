"""A ratio asked beside its own numerator or denominator is computed from one aggregation
(MetricFlow's pass-through metric evaluation): the distinct count of orders runs once, and every
value and column is the one each metric gives when asked alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.facade import SemanticLayer
from semantic_layer.query import SemanticQuery, TimeRange
from tests.demo import DEMO_TENANTS, DemoWarehouse

QUARTER = TimeRange(start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30))


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.mark.parametrize(
    ("metrics", "group_by"),
    [
        (("orders", "average_order_value"), ("sale_line__channel",)),
        (("average_order_value", "orders"), ("store__store_name",)),  # the ratio asked first
        (("units_per_transaction", "orders", "net_sales"), ("metric_time",)),
    ],
)
def test_metrics_sharing_an_input_match_each_asked_alone(
    layer: SemanticLayer, metrics: tuple[str, ...], group_by: tuple[str, ...]
) -> None:
    query = SemanticQuery(metrics=metrics, group_by=group_by, time_grain="month", time_range=QUARTER)
    compiled = layer.compile(query)
    assert compiled.sql.upper().count("COUNT(DISTINCT") == 1  # orders counted once
    keys = len(group_by)
    for tenant in DEMO_TENANTS:
        result = layer.run(query, tenant).result
        names = [n.lower() for n in result.column_names]
        assert names[keys:] == list(metrics)  # the asked order, whatever MetricFlow selected first
        assert names == [c.lower() for c in compiled.output_columns]
        for i, metric in enumerate(metrics):
            alone = _alone(layer, metric, group_by, tenant)
            got = {row[:keys]: row[keys + i] for row in result.rows}
            assert set(got) == set(alone), (tenant, metric)
            for k, v in alone.items():
                assert (got[k] is None) == (v is None), (tenant, metric, k)
                if v is not None:
                    assert float(got[k]) == pytest.approx(float(v), rel=1e-12), (tenant, metric, k)


def _alone(layer: SemanticLayer, metric: str, group_by: tuple[str, ...], tenant: str) -> dict[object, Any]:
    query = SemanticQuery(metrics=(metric,), group_by=group_by, time_grain="month", time_range=QUARTER)
    return {row[: len(group_by)]: row[-1] for row in layer.run(query, tenant).result.rows}
