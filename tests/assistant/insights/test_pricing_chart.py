"""The price and discount cards have a chart, and its data is the finding's data (issue #22,
acceptance 3): a planted repricing of Menswear shows Menswear's weekly price index against its
usual level, and a planted Shoes discount shows Shoes' weekly discount rate next to the other
categories' median — every point equal to hand-written SQL over the warehouse, the last one the
very figure the card states. Builds its own one-tenant scale-0.1 warehouse with the two events."""

from __future__ import annotations

import datetime as dt
import functools
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from assistant.core.insights.model import Insight, InsightKind
from assistant.core.insights.report import build_report
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.charts_png import render_png
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from ingestion.demo import generate_demo
from ingestion.demo.anomalies import AnomalyKind, PlantedAnomaly
from semantic_layer.facade import SemanticLayer
from tests.demo import DBT_PROJECT_DIR, TEST_END_DATE

TENANT = "nordwind-fashion"
PRICE_WEEK = (dt.date(2026, 9, 7), dt.date(2026, 9, 13))  # Menswear repriced +25 %
DISCOUNT_WEEK = (dt.date(2026, 10, 5), dt.date(2026, 10, 11))  # Shoes sold at 30 % extra discount
EVENTS = (
    PlantedAnomaly(TENANT, AnomalyKind.PRICE_CHANGE, *PRICE_WEEK, None, "Menswear", 1.25, "test: repricing"),
    PlantedAnomaly(TENANT, AnomalyKind.DISCOUNT, *DISCOUNT_WEEK, None, "Shoes", 0.3, "test: discount"),
)
SALES = """from marts.fct_sales f join marts.dim_products p using (tenant_id, product_id)
           where f.tenant_id = 'nordwind-fashion' and sale_date between ? and ?"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from assistant.runtime.warehouse_build import build_warehouse

    root = tmp_path_factory.mktemp("pricing-warehouse")
    build_warehouse(
        root / "w.duckdb",
        end_date=TEST_END_DATE,
        scale=0.1,
        tenants=[TENANT],
        dbt_project_dir=DBT_PROJECT_DIR,
        dbt_target_path=root / "target",
        land=functools.partial(generate_demo, anomalies={TENANT: EVENTS}),
    )
    return root


@pytest.fixture(scope="module")
def layer(built: Path) -> SemanticLayer:
    return build_semantic_layer(Settings(duckdb_path=built / "w.duckdb"), dbt_target_path=built / "target")


@pytest.fixture(scope="module")
def oracle(built: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(built / "w.duckdb"), read_only=True)
    yield con
    con.close()


def _card(layer: SemanticLayer, week: tuple[dt.date, dt.date], figure: str) -> Insight:
    report = build_report(
        layer, WarehouseTenantDirectory(layer.warehouse).get(TENANT), week[1] + dt.timedelta(days=1)
    )
    assert report.period.start == week[0] and report.period.end == week[1]
    cards = [i for i in report.of_kind(InsightKind.PRICE) if i.figure(figure) is not None]
    assert cards, [i.headline for i in report.insights]
    return cards[0]


def _rows(chart: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = chart["data"]["values"]
    return rows


def _trailing(week: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    return week[0] - dt.timedelta(weeks=8), week[0] - dt.timedelta(days=1)


def test_the_price_card_charts_its_categorys_weekly_price_index(
    layer: SemanticLayer, oracle: duckdb.DuckDBPyConnection
) -> None:
    card = _card(layer, PRICE_WEEK, "price_change_pct")
    assert card.subject == "Menswear" and card.chart is not None
    start, end = _trailing(PRICE_WEEK)
    weekly = oracle.execute(
        f"""select date_trunc('week', sale_date)::date, f.product_id, sum(gross_amount), sum(quantity)
            {SALES} and p.category = 'Menswear' group by 1, 2""",
        [start, end],
    ).fetchall()
    prices: dict[str, dict[str, float]] = {}
    for week, product, gross, units in weekly:
        if units > 0 and gross > 0:
            prices.setdefault(week.isoformat(), {})[product] = float(gross) / float(units)
    usual = {
        product: statistics.median(p[product] for p in prices.values() if product in p)
        for product in {product for p in prices.values() for product in p}
    }
    now = {
        product: float(gross) / float(units)
        for product, gross, units in oracle.execute(
            f"""select f.product_id, sum(gross_amount), sum(quantity) {SALES} and p.category = 'Menswear'
                group by 1""",
            list(PRICE_WEEK),
        ).fetchall()
        if units > 0 and gross > 0
    }
    expected = {
        week: statistics.median(price / usual[product] for product, price in p.items()) - 1
        for week, p in prices.items()
    }
    expected[PRICE_WEEK[0].isoformat()] = (
        statistics.median(price / usual[product] for product, price in now.items() if product in usual) - 1
    )
    points = {r["week"]: r["value"] for r in _rows(card.chart)}
    assert {r["series"] for r in _rows(card.chart)} == {"Menswear"}
    assert sorted(points) == sorted(expected) and len(points) == 9  # eight weeks and the period
    for week, value in expected.items():
        assert points[week] == pytest.approx(value, abs=1e-4), week
    assert points[PRICE_WEEK[0].isoformat()] == pytest.approx(card.figure("price_change_pct"), abs=1e-4)
    assert 0.15 < points[PRICE_WEEK[0].isoformat()] < 0.35  # the planted +25 %
    assert all(abs(points[w]) < 0.05 for w in points if w != PRICE_WEEK[0].isoformat())
    assert render_png(card.chart).startswith(b"\x89PNG")  # the e-mail's picture of the same spec


def test_the_discount_card_charts_its_categorys_rate_against_the_others(
    layer: SemanticLayer, oracle: duckdb.DuckDBPyConnection
) -> None:
    card = _card(layer, DISCOUNT_WEEK, "discount_rate")
    assert card.subject == "Shoes" and card.chart is not None
    start, end = _trailing(DISCOUNT_WEEK)
    rates: dict[str, dict[str, float]] = {}
    for (first, last), label in (((start, end), None), (DISCOUNT_WEEK, DISCOUNT_WEEK[0].isoformat())):
        for week, category, discount, gross in oracle.execute(
            f"""select date_trunc('week', sale_date)::date, p.category,
                       sum(discount_amount), sum(gross_amount)
                {SALES} group by 1, 2""",
            [first, last],
        ).fetchall():
            if gross > 0:
                rates.setdefault(label or week.isoformat(), {})[category] = float(discount) / float(gross)
    rows = _rows(card.chart)
    shoes = {r["week"]: r["value"] for r in rows if r["series"] == "Shoes"}
    others = {r["week"]: r["value"] for r in rows if r["series"] != "Shoes"}
    assert len({r["series"] for r in rows}) == 2 and sorted(shoes) == sorted(rates) and len(shoes) == 9
    for week, by_category in rates.items():
        assert shoes[week] == pytest.approx(by_category["Shoes"], abs=1e-4), week
        median = statistics.median(r for c, r in by_category.items() if c != "Shoes")
        assert others[week] == pytest.approx(median, abs=1e-4), week
    period = DISCOUNT_WEEK[0].isoformat()
    assert shoes[period] == pytest.approx(card.figure("discount_rate"), abs=1e-4)
    assert shoes[period] - others[period] > 0.15  # the planted extra discount, visible against the rest
    assert render_png(card.chart).startswith(b"\x89PNG")
