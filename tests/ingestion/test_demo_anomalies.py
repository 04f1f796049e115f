"""Every planted anomaly is visible in the raw data, as its record in PLANTED_ANOMALIES says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from ingestion.demo import PLANTED_ANOMALIES, TENANT_PROFILES, AnomalyKind, PlantedAnomaly, generate_demo
from ingestion.demo.anomalies import LAST_END_DATE_WITH_EVERY_ANOMALY
from tests.ingestion.generated_demo import ANOMALY_SCALE, GeneratedDemo

WEEK = dt.timedelta(days=7)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> float:
    row = con.execute(sql, params).fetchone()
    assert row is not None
    return float(row[0] or 0)


def _receipts(
    con: duckdb.DuckDBPyConnection, a: PlantedAnomaly, branch: str, first: dt.date, last: dt.date
) -> float:
    return _scalar(
        con,
        "SELECT count(*) FROM raw.prohandel_receipts r JOIN raw.prohandel_branches b USING (branch_id) "
        "WHERE r.tenant_id = ? AND b.name = ? AND r.booked_at::DATE BETWEEN ? AND ?",
        [a.tenant_id, branch, first, last],
    )


def _units(
    con: duckdb.DuckDBPyConnection, a: PlantedAnomaly, first: dt.date, last: dt.date, city_sql: str = "TRUE"
) -> float:
    return _scalar(
        con,
        f"""
        SELECT sum(l.quantity) FROM raw.prohandel_receipt_lines l
        JOIN raw.prohandel_receipts r USING (receipt_id)
        JOIN raw.prohandel_articles art USING (article_id)
        JOIN raw.prohandel_branches b USING (branch_id)
        WHERE l.tenant_id = ? AND art.category = ? AND r.receipt_type = 'sale'
          AND r.booked_at::DATE BETWEEN ? AND ? AND {city_sql}
        """,
        [a.tenant_id, a.category, first, last],
    )


def _check_store_closure(con: duckdb.DuckDBPyConnection, a: PlantedAnomaly) -> None:
    branch = TENANT_PROFILES[a.tenant_id].branch_by_city(a.city or "").name
    assert _receipts(con, a, branch, a.start, a.end) == 0
    assert _receipts(con, a, branch, a.start - WEEK, a.start - dt.timedelta(days=1)) > 0
    assert _receipts(con, a, branch, a.end + dt.timedelta(days=1), a.end + WEEK) > 0


def _check_category_spike(con: duckdb.DuckDBPyConnection, a: PlantedAnomaly) -> None:
    during = _units(con, a, a.start, a.end)
    before = _units(con, a, a.start - 4 * WEEK, a.start - dt.timedelta(days=1)) / 4
    after = _units(con, a, a.end + dt.timedelta(days=1), a.end + 4 * WEEK) / 4
    assert during >= 0.7 * a.factor * (before + after) / 2
    other = _scalar(
        con,
        "SELECT count(DISTINCT category) FROM raw.prohandel_articles WHERE tenant_id = ? AND category <> ?",
        [a.tenant_id, a.category],
    )
    assert other > 0


def _check_online_outage(con: duckdb.DuckDBPyConnection, a: PlantedAnomaly) -> None:
    shop = TENANT_PROFILES[a.tenant_id].online_branch().name
    assert _receipts(con, a, shop, a.start, a.end) == 0
    assert _receipts(con, a, shop, a.start - dt.timedelta(days=2), a.start - dt.timedelta(days=1)) > 0
    assert _receipts(con, a, shop, a.end + dt.timedelta(days=1), a.end + dt.timedelta(days=2)) > 0
    web = "SELECT {} FROM raw.ga4_sessions_report WHERE tenant_id = ? AND date BETWEEN ? AND ?"
    assert _scalar(con, web.format("sum(transactions)"), [a.tenant_id, a.start, a.end]) == 0
    assert _scalar(con, web.format("sum(purchase_revenue)"), [a.tenant_id, a.start, a.end]) == 0
    days = (a.end - a.start).days + 1
    during = _scalar(con, web.format("sum(sessions)"), [a.tenant_id, a.start, a.end]) / days
    normal = _scalar(con, web.format("sum(sessions)"), [a.tenant_id, a.start - 2 * WEEK, a.start]) / 15
    assert 0 < during < 0.5 * normal


def _check_stock_out(con: duckdb.DuckDBPyConnection, a: PlantedAnomaly) -> None:
    branch = TENANT_PROFILES[a.tenant_id].branch_by_city(a.city or "").name
    stock = con.execute(
        """
        SELECT count(*), sum(i.on_hand), min(i.on_order), count(DISTINCT i.snapshot_date)
        FROM raw.prohandel_inventory i JOIN raw.prohandel_branches b USING (branch_id)
        JOIN raw.prohandel_articles art USING (article_id)
        WHERE i.tenant_id = ? AND b.name = ? AND art.category = ? AND i.snapshot_date BETWEEN ? AND ?
        """,
        [a.tenant_id, branch, a.category, a.start, a.end],
    ).fetchone()
    assert stock is not None
    rows, on_hand, min_on_order, snapshots = stock
    assert rows > 0 and on_hand == 0 and min_on_order > 0 and snapshots >= 3
    here = f"b.name = '{branch}'"
    assert _units(con, a, a.start, a.end, here) == 0
    for week in range(1, 5):
        first = a.start - week * WEEK
        assert _units(con, a, first, first + dt.timedelta(days=6), here) > 0, "demand existed before"
    assert _units(con, a, a.start, a.end, f"b.name <> '{branch}'") > 0, "other branches keep selling"
    before = _scalar(
        con,
        "SELECT sum(i.on_hand) FROM raw.prohandel_inventory i "
        "JOIN raw.prohandel_branches b USING (branch_id) JOIN raw.prohandel_articles art USING (article_id) "
        "WHERE i.tenant_id = ? AND b.name = ? "
        "AND art.category = ? AND i.snapshot_date BETWEEN ? AND ?",
        [a.tenant_id, branch, a.category, a.start - 2 * WEEK, a.start - dt.timedelta(days=1)],
    )
    assert before > 0


def _price_ratio(con: duckdb.DuckDBPyConnection, a: PlantedAnomaly, first: dt.date, last: dt.date) -> float:
    """The median of (unit price on the line / the article's shelf price) over the category's sales."""
    return _scalar(
        con,
        """
        SELECT median(l.unit_price / art.retail_price) FROM raw.prohandel_receipt_lines l
        JOIN raw.prohandel_receipts r USING (receipt_id)
        JOIN raw.prohandel_articles art USING (article_id)
        WHERE l.tenant_id = ? AND art.category = ? AND r.receipt_type = 'sale'
          AND r.booked_at::DATE BETWEEN ? AND ?
        """,
        [a.tenant_id, a.category, first, last],
    )


def _discount_rate(con: duckdb.DuckDBPyConnection, a: PlantedAnomaly, first: dt.date, last: dt.date) -> float:
    return _scalar(
        con,
        """
        SELECT sum(l.discount_amount) / sum(l.gross_amount) FROM raw.prohandel_receipt_lines l
        JOIN raw.prohandel_receipts r USING (receipt_id)
        JOIN raw.prohandel_articles art USING (article_id)
        WHERE l.tenant_id = ? AND art.category = ? AND r.receipt_type = 'sale'
          AND r.booked_at::DATE BETWEEN ? AND ?
        """,
        [a.tenant_id, a.category, first, last],
    )


def _check_price_change(con: duckdb.DuckDBPyConnection, a: PlantedAnomaly) -> None:
    assert _price_ratio(con, a, a.start, a.end) == pytest.approx(a.factor, abs=0.01)
    assert _price_ratio(con, a, a.start - 2 * WEEK, a.start - dt.timedelta(days=1)) == 1.0
    assert _price_ratio(con, a, a.end + dt.timedelta(days=1), a.end + 2 * WEEK) == 1.0


def _check_discount(con: duckdb.DuckDBPyConnection, a: PlantedAnomaly) -> None:
    before = _discount_rate(con, a, a.start - 4 * WEEK, a.start - dt.timedelta(days=1))
    during = _discount_rate(con, a, a.start, a.end)
    assert during - before == pytest.approx(a.factor, abs=0.05)


CHECKS = {
    AnomalyKind.STORE_CLOSURE: _check_store_closure,
    AnomalyKind.CATEGORY_SPIKE: _check_category_spike,
    AnomalyKind.ONLINE_OUTAGE: _check_online_outage,
    AnomalyKind.STOCK_OUT: _check_stock_out,
    AnomalyKind.PRICE_CHANGE: _check_price_change,
    AnomalyKind.DISCOUNT: _check_discount,
}
# Planted only by the detector benchmark (the demo's figures stay as documented), given here.
BENCHMARK_ONLY = (
    PlantedAnomaly(
        tenant_id="nordwind-fashion",
        kind=AnomalyKind.PRICE_CHANGE,
        start=dt.date(2026, 6, 1),
        end=dt.date(2026, 6, 7),
        city=None,
        category="Shoes",
        factor=1.25,
        expected_effect="Shoes sell at 125 % of their shelf price for a week, in every branch.",
    ),
    PlantedAnomaly(
        tenant_id="nordwind-fashion",
        kind=AnomalyKind.DISCOUNT,
        start=dt.date(2026, 9, 14),  # four ordinary weeks after the July sale
        end=dt.date(2026, 9, 20),
        city=None,
        category="Menswear",
        factor=0.25,
        expected_effect="Menswear is sold at 25 points more discount for a week, in every branch.",
    ),
)


def test_every_kind_of_anomaly_is_planted_and_documented() -> None:
    assert {a.kind for a in PLANTED_ANOMALIES} | {a.kind for a in BENCHMARK_ONLY} == set(AnomalyKind)
    assert set(CHECKS) == set(AnomalyKind)
    for a in PLANTED_ANOMALIES:
        assert a.tenant_id in TENANT_PROFILES and a.start <= a.end and len(a.expected_effect) > 40


@pytest.mark.parametrize("anomaly", PLANTED_ANOMALIES, ids=lambda a: f"{a.tenant_id}-{a.kind}")
def test_anomaly_is_visible_in_raw_data(anomaly_demo: GeneratedDemo, anomaly: PlantedAnomaly) -> None:
    CHECKS[anomaly.kind](anomaly_demo.con, anomaly)


@pytest.fixture(scope="module")
def latest_anomaly_demo() -> Iterator[GeneratedDemo]:
    """The demo as `mercurios demo` builds it by default (history ending yesterday) on the last day
    on which two years of history still hold every planted anomaly with a week's margin."""
    con = duckdb.connect()
    summary = generate_demo(con, end_date=LAST_END_DATE_WITH_EVERY_ANOMALY, scale=ANOMALY_SCALE)
    yield GeneratedDemo(con=con, summary=summary)
    con.close()


@pytest.mark.parametrize("anomaly", PLANTED_ANOMALIES, ids=lambda a: f"{a.tenant_id}-{a.kind}")
def test_a_demo_ending_yesterday_still_holds_every_anomaly(
    latest_anomaly_demo: GeneratedDemo, anomaly: PlantedAnomaly
) -> None:
    CHECKS[anomaly.kind](latest_anomaly_demo.con, anomaly)


def test_given_events_replace_the_documented_ones_and_show_in_raw_data() -> None:
    """The detector benchmark's way in: events given to the generator are planted instead of the
    documented anomalies (the Hamburg stock-out of October is then not there)."""
    con = duckdb.connect()
    generate_demo(
        con, scale=0.05, tenants=["nordwind-fashion"], anomalies={"nordwind-fashion": BENCHMARK_ONLY}
    )
    for event in BENCHMARK_ONLY:
        CHECKS[event.kind](con, event)
    [stock_out] = [a for a in PLANTED_ANOMALIES if a.kind is AnomalyKind.STOCK_OUT]
    hamburg = "b.name = 'Nordwind Hamburg'"
    assert _units(con, stock_out, stock_out.start, stock_out.end, hamburg) > 0
    con.close()


def test_another_end_date_moves_the_history_and_skips_anomalies_outside_it() -> None:
    from ingestion.demo import generate_demo

    con = duckdb.connect()
    end = dt.date(2025, 6, 30)
    generate_demo(con, end_date=end, scale=0.02, tenants=["nordwind-fashion", "casa-living"])
    row = con.execute(
        "SELECT min(booked_at)::DATE, max(booked_at)::DATE, count(DISTINCT branch_id) "
        "FROM raw.prohandel_receipts"
    ).fetchone()
    assert row == (end - dt.timedelta(days=729), end, 17)
