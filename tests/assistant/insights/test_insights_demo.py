"""Insights on a real demo warehouse: planted anomalies found, numbers equal hand-written SQL,
one tenant's report never names another tenant's stores, no data → a clear error.

The planted anomalies need more than the shared scale-0.02 fixture's handful of orders a day, so
this module builds its own scale-0.1 warehouse (about 15 s)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from assistant.insights.errors import NoDataForPeriodError
from assistant.insights.model import InsightKind, InsightReport
from assistant.insights.report import build_report
from assistant.services import build_semantic_layer
from assistant.settings import Settings
from assistant.tenants import WarehouseTenantDirectory
from semantic_layer.facade import SemanticLayer
from tests.demo import DBT_PROJECT_DIR, TEST_END_DATE


@pytest.fixture(scope="module")
def layer(tmp_path_factory: pytest.TempPathFactory) -> SemanticLayer:
    from assistant.warehouse_build import build_warehouse

    root = tmp_path_factory.mktemp("insights-warehouse")
    build_warehouse(
        root / "w.duckdb",
        end_date=TEST_END_DATE,
        scale=0.1,
        dbt_project_dir=DBT_PROJECT_DIR,
        dbt_target_path=root / "target",
    )
    return build_semantic_layer(Settings(duckdb_path=root / "w.duckdb"), dbt_target_path=root / "target")


@pytest.fixture(scope="module")
def oracle(
    layer: SemanticLayer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    path = Path(str(layer.warehouse.path))  # type: ignore[attr-defined]
    copy = tmp_path_factory.mktemp("insights-oracle") / "o.duckdb"
    shutil.copy(path, copy)
    con = duckdb.connect(str(copy), read_only=True)
    yield con
    con.close()


def report(layer: SemanticLayer, tenant: str, as_of: str) -> InsightReport:
    return build_report(
        layer, WarehouseTenantDirectory(layer.warehouse).get(tenant), dt.date.fromisoformat(as_of)
    )


@pytest.mark.parametrize(
    ("tenant", "as_of", "subject", "direction"),
    [
        ("nordwind-fashion", "2026-03-23", "Nordwind Köln", "zero"),
        ("alpin-sport", "2026-09-21", "Running", "up"),
        ("casa-living", "2026-06-15", "Casa Living Online-Shop", "zero"),
    ],
)
def test_the_planted_anomalies_are_found_in_their_week(
    layer: SemanticLayer, tenant: str, as_of: str, subject: str, direction: str
) -> None:
    found = {i.subject: i for i in report(layer, tenant, as_of).of_kind(InsightKind.ANOMALY)}
    assert subject in found, sorted(found)
    insight = found[subject]
    assert insight.severity.value == "high"
    if direction == "zero":
        assert insight.figure("actual") == 0 and (insight.figure("expected") or 0) > 8
    else:
        assert (insight.figure("change_pct") or 0) > 1.0


def test_the_hamburg_shoes_stock_out_is_a_stock_risk(layer: SemanticLayer) -> None:
    risks = report(layer, "nordwind-fashion", "2026-10-12").of_kind(InsightKind.STOCK_RISK)
    assert "Nordwind Hamburg / Shoes" in {r.subject for r in risks}


def test_change_and_drivers_equal_hand_written_sql(
    layer: SemanticLayer, oracle: duckdb.DuckDBPyConnection
) -> None:
    rep = report(layer, "nordwind-fashion", "2026-03-23")
    [net] = [i for i in rep.of_kind(InsightKind.CHANGE) if i.subject == "net_sales"]
    sql = """select coalesce(sum(net_amount), 0) from marts.fct_sales
             where tenant_id = 'nordwind-fashion' and sale_date between ? and ?"""
    cur = oracle.execute(sql, ["2026-03-16", "2026-03-22"]).fetchone()[0]  # type: ignore[index]
    prev = oracle.execute(sql, ["2026-03-09", "2026-03-15"]).fetchone()[0]  # type: ignore[index]
    assert net.figure("current") == pytest.approx(float(cur), abs=0.01)
    assert net.figure("previous") == pytest.approx(float(prev), abs=0.01)
    by_store = dict(
        oracle.execute(
            """select s.store_name,
                      sum(case when sale_date >= '2026-03-16' then net_amount else -net_amount end)
               from marts.fct_sales f join marts.dim_stores s using (tenant_id, store_id)
               where f.tenant_id = 'nordwind-fashion' and sale_date between '2026-03-09' and '2026-03-22'
               group by 1"""
        ).fetchall()
    )
    store_drivers = [d for d in net.drivers if d.dimension == "store__store_name"]
    assert store_drivers
    for d in store_drivers:
        assert d.change == pytest.approx(float(by_store[d.group]), abs=0.01)
    assert store_drivers[0].group == max(by_store, key=lambda k: abs(float(by_store[k])))


def test_a_report_names_only_its_own_tenants_stores(
    layer: SemanticLayer, oracle: duckdb.DuckDBPyConnection
) -> None:
    rep = report(layer, "alpin-sport", "2026-09-21")
    foreign = [
        r[0]
        for r in oracle.execute(
            "select store_name from marts.dim_stores where tenant_id <> 'alpin-sport'"
        ).fetchall()
    ]
    text = rep.model_dump_json()
    assert not [name for name in foreign if name in text]
    assert "Alpin Sport" in text


def test_a_period_without_data_is_a_clear_error(layer: SemanticLayer) -> None:
    with pytest.raises(NoDataForPeriodError, match="no sales from 2029-12-24"):
        report(layer, "casa-living", "2030-01-01")
