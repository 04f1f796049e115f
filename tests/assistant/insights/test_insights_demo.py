"""Insights on a real demo warehouse: planted anomalies found, numbers equal hand-written SQL,
one tenant's report never names another tenant's stores, no data → a clear error.

The planted anomalies need more than the shared scale-0.02 fixture's handful of orders a day, so
this module builds its own scale-0.1 warehouse (about 15 s)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from assistant.core.insights.errors import NoDataForPeriodError
from assistant.core.insights.model import InsightKind, InsightReport
from assistant.core.insights.report import build_report
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.catalog import Catalog
from semantic_layer.facade import SemanticLayer
from semantic_layer.protocols import QueryResult
from semantic_layer.query import SemanticQuery
from tests.demo import DBT_PROJECT_DIR, TEST_END_DATE


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from assistant.runtime.warehouse_build import build_warehouse

    root = tmp_path_factory.mktemp("insights-warehouse")
    build_warehouse(
        root / "w.duckdb",
        end_date=TEST_END_DATE,
        scale=0.1,
        dbt_project_dir=DBT_PROJECT_DIR,
        dbt_target_path=root / "target",
    )
    return root


@pytest.fixture(scope="module")
def layer(built: Path) -> SemanticLayer:
    return build_semantic_layer(Settings(duckdb_path=built / "w.duckdb"), dbt_target_path=built / "target")


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


class QueryOnly:
    """The layer seen as a bare `MetricSource` (no data version): insights must find the data's
    end through a semantic query, still scoped to the tenant by the guard."""

    def __init__(self, layer: SemanticLayer) -> None:
        self._layer = layer
        self.tenants: set[str | None] = set()

    @property
    def catalog(self) -> Catalog:  # where the insights find their metrics by role
        return self._layer.catalog

    def query(self, query: SemanticQuery, tenant_id: str | None) -> QueryResult:
        self.tenants.add(tenant_id)
        return self._layer.query(query, tenant_id)


@pytest.mark.parametrize("bare", [False, True], ids=["data-version", "semantic-query"])
def test_the_week_the_data_end_in_is_partly_loaded_and_its_missing_day_is_not_an_outage(
    layer: SemanticLayer, bare: bool
) -> None:
    """The data end on Saturday 2026-10-31: the week of 26.10 is cut there and says so; the Sunday
    after the last loaded day is not reported as a day the online shop sold nothing."""
    source = QueryOnly(layer) if bare else layer
    profile = WarehouseTenantDirectory(layer.warehouse).get("casa-living")
    rep = build_report(source, profile, dt.date(2026, 11, 2))
    assert rep.period.partly_loaded and rep.period.end == dt.date(2026, 10, 31)
    assert rep.period.calendar_end == dt.date(2026, 11, 1)
    assert "partly loaded: data through 2026-10-31" in rep.period.label
    assert rep.of_kind(InsightKind.ANOMALY) == ()
    if isinstance(source, QueryOnly):
        assert source.tenants == {"casa-living"}


@pytest.mark.parametrize(
    ("tenant", "as_of", "subject"),
    [
        ("casa-living", "2026-01-26", "Decor"),  # one empty day, ~9 orders expected
        ("casa-living", "2026-04-06", "Textiles"),  # one empty day, ~8 expected
        ("alpin-sport", "2026-06-01", "Ski"),  # the season's end in May
        ("alpin-sport", "2026-09-28", "Ski"),  # the season's start
        ("alpin-sport", "2026-10-26", "Ski"),
        ("nordwind-fashion", "2026-01-26", "Accessories"),  # the post-Christmas dip
    ],
)
def test_single_empty_days_and_yearly_seasons_are_not_anomalies(
    layer: SemanticLayer, tenant: str, as_of: str, subject: str
) -> None:
    """Weeks the old detector cried wolf on (the lead's sweep of 2026 at scale 0.1)."""
    found = {i.subject: i.headline for i in report(layer, tenant, as_of).of_kind(InsightKind.ANOMALY)}
    assert subject not in found, found[subject]


def test_the_running_week_is_measured_against_last_years_season(layer: SemanticLayer) -> None:
    [running] = [
        i
        for i in report(layer, "alpin-sport", "2026-09-21").of_kind(InsightKind.ANOMALY)
        if i.subject == "Running"
    ]
    assert 0.5 < (running.figure("seasonal_factor") or 0) < 2.0
    assert "season's usual" in running.headline


def test_one_tenants_data_end_never_cuts_another_tenants_period(built: Path, tmp_path: Path) -> None:
    """casa-living's data are cut at 2026-10-20 in a copy of the warehouse: its week of 19.10 is
    partly loaded, alpin-sport's same week is not (neither from the data version nor from the
    semantic-query fallback), and neither report's queries ran for another tenant."""
    copy = tmp_path / "w.duckdb"
    shutil.copy(built / "w.duckdb", copy)
    con = duckdb.connect(str(copy))
    con.execute("delete from marts.fct_sales where tenant_id = 'casa-living' and sale_date > '2026-10-20'")
    con.execute(
        "update mercurios_meta.data_versions set last_data_date = '2026-10-20' "
        "where tenant_id = 'casa-living'"
    )
    con.close()
    cut = build_semantic_layer(Settings(duckdb_path=copy), dbt_target_path=built / "target")
    tenants = WarehouseTenantDirectory(cut.warehouse)
    for bare in (False, True):
        casa_source = QueryOnly(cut) if bare else cut
        casa = build_report(casa_source, tenants.get("casa-living"), dt.date(2026, 10, 26))
        assert casa.period.partly_loaded and casa.period.end == dt.date(2026, 10, 20)
        assert casa.period.previous_end == dt.date(2026, 10, 13)  # two days against two days
        alpin_source = QueryOnly(cut) if bare else cut
        alpin = build_report(alpin_source, tenants.get("alpin-sport"), dt.date(2026, 10, 26))
        assert not alpin.period.partly_loaded and alpin.period.end == dt.date(2026, 10, 25)
        if isinstance(casa_source, QueryOnly) and isinstance(alpin_source, QueryOnly):
            assert (casa_source.tenants, alpin_source.tenants) == ({"casa-living"}, {"alpin-sport"})


def _chart_rows(chart: dict[str, Any], series: str | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = chart["data"]["values"]
    return [r for r in rows if series is None or r.get("series") == series]


def test_the_stock_out_chart_shows_that_branchs_stock_and_daily_sales_of_that_category(
    layer: SemanticLayer, oracle: duckdb.DuckDBPyConnection
) -> None:
    """The chart under 'Hamburg has no Shoes' is Hamburg's Shoes: units on hand at each snapshot
    and units sold each day of the last eight weeks — the very numbers behind the finding."""
    rep = report(layer, "nordwind-fashion", "2026-10-31")
    [out] = [i for i in rep.of_kind(InsightKind.STOCK_RISK) if i.subject == "Nordwind Hamburg / Shoes"]
    assert out.chart is not None
    start, end = dt.date(2026, 8, 31), dt.date(2026, 10, 25)  # 56 days to the period's end
    where = (
        """f.tenant_id = 'nordwind-fashion' and s.store_name = 'Nordwind Hamburg' and p.category = 'Shoes'"""
    )
    sold = dict(
        oracle.execute(
            f"""select sale_date, sum(quantity) from marts.fct_sales f
                join marts.dim_stores s using (tenant_id, store_id)
                join marts.dim_products p using (tenant_id, product_id)
                where {where} and sale_date between ? and ? group by 1""",
            [start, end],
        ).fetchall()
    )
    on_hand = dict(
        oracle.execute(
            f"""select snapshot_date, sum(on_hand_units) from marts.fct_inventory_snapshots f
                join marts.dim_stores s using (tenant_id, store_id)
                join marts.dim_products p using (tenant_id, product_id)
                where {where} and snapshot_date between ? and ? group by 1""",
            [start, end],
        ).fetchall()
    )
    daily = {r["day"]: r["value"] for r in _chart_rows(out.chart, "units sold per day")}
    days = [(start + dt.timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]
    assert list(daily) == days  # every day, a day without sales as 0
    assert daily == {d: float(sold.get(dt.date.fromisoformat(d), 0)) for d in days}
    stock = {r["day"]: r["value"] for r in _chart_rows(out.chart, "units on hand")}
    assert stock == {d.isoformat(): float(v) for d, v in sorted(on_hand.items())}
    assert stock["2026-10-25"] == 0 and max(stock.values()) > 0  # it ran out inside the window
    assert out.figure("units_sold_recent") == pytest.approx(sum(daily.values()))


def test_the_change_chart_is_the_contributions_of_its_drivers(
    layer: SemanticLayer, oracle: duckdb.DuckDBPyConnection
) -> None:
    rep = report(layer, "nordwind-fashion", "2026-03-23")
    [net] = [i for i in rep.of_kind(InsightKind.CHANGE) if i.subject == "net_sales"]
    assert net.chart is not None and "facet" in net.chart  # one panel per driver, bars around zero
    bars = {(r["driver"], r["name"]): r["value"] for r in _chart_rows(net.chart)}
    labels = {"store__store_name": "Store", "product__category": "Category", "sale_line__channel": "Channel"}
    assert bars == {(labels[d.dimension], d.group): round(d.change, 2) for d in net.drivers}
    columns = {"Store": "s.store_name", "Category": "p.category", "Channel": "f.channel"}
    for (driver, group), value in bars.items():
        row = oracle.execute(
            f"""select sum(case when sale_date >= '2026-03-16' then net_amount else -net_amount end)
                from marts.fct_sales f join marts.dim_stores s using (tenant_id, store_id)
                join marts.dim_products p using (tenant_id, product_id)
                where f.tenant_id = 'nordwind-fashion' and sale_date between '2026-03-09' and '2026-03-22'
                and {columns[str(driver)]} = ?""",
            [group],
        ).fetchone()
        assert row is not None and value == pytest.approx(float(row[0]), abs=0.01), (driver, group)


def test_the_anomaly_chart_is_the_series_with_its_expected_band(
    layer: SemanticLayer, oracle: duckdb.DuckDBPyConnection
) -> None:
    rep = report(layer, "nordwind-fashion", "2026-03-23")
    [koeln] = [i for i in rep.of_kind(InsightKind.ANOMALY) if i.subject == "Nordwind Köln"]
    assert koeln.chart is not None
    rows = _chart_rows(koeln.chart)
    orders = dict(
        oracle.execute(
            """select sale_date, count(distinct receipt_id) filter (where not is_return)
               from marts.fct_sales f join marts.dim_stores s using (tenant_id, store_id)
               where f.tenant_id = 'nordwind-fashion' and s.store_name = 'Nordwind Köln'
               and sale_date between '2026-02-23' and '2026-03-22' group by 1"""
        ).fetchall()
    )
    assert rows[0]["day"] == "2026-02-23" and rows[-1]["day"] == "2026-03-22"
    for r in rows:
        assert r["actual"] == float(orders.get(dt.date.fromisoformat(str(r["day"])), 0)), r
        assert r["low"] <= r["expected"] <= r["high"]
    run = [r for r in rows if "2026-03-16" <= str(r["day"]) <= "2026-03-22"]
    assert sum(r["actual"] for r in run) == koeln.figure("actual") == 0
    expected = sum(r["expected"] for r in run)
    assert expected == pytest.approx(koeln.figure("expected"), abs=0.1)
    before = [r for r in rows if str(r["day"]) < "2026-03-16" and r["expected"] > 0.5]
    assert before and all(r["high"] > r["expected"] for r in before)
