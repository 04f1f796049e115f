"""The demo generator: deterministic, complete, and shaped like three real retailers' data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pytest

from ingestion.demo import TENANT_PROFILES, generate_demo
from ingestion.raw_schema import RAW_TABLES
from tests.demo import DEMO_TENANTS, TEST_END_DATE, TEST_SCALE
from tests.ingestion.generated_demo import GeneratedDemo


def _checksums(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent content hash per raw table."""
    result = {}
    for table in RAW_TABLES:
        row = con.execute(
            f"SELECT count(*), coalesce(sum(hash(t::VARCHAR)), 0)::VARCHAR FROM raw.{table.name} AS t"
        ).fetchone()
        assert row is not None
        result[table.name] = (int(row[0]), str(row[1]))
    return result


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    """Rows as DuckDB returns them (values of the columns' Python types)."""
    return con.execute(sql).fetchall()


def test_same_arguments_give_identical_data(small_demo: GeneratedDemo) -> None:
    again = duckdb.connect()
    generate_demo(again, end_date=TEST_END_DATE, scale=TEST_SCALE)
    assert _checksums(again) == _checksums(small_demo.con)


def test_another_seed_gives_other_data(small_demo: GeneratedDemo) -> None:
    other = duckdb.connect()
    generate_demo(other, end_date=TEST_END_DATE, scale=TEST_SCALE, tenants=["casa-living"], seed=7)
    theirs = _rows(other, "SELECT sum(hash(t::VARCHAR))::VARCHAR FROM raw.prohandel_receipt_lines t")
    ours = _rows(
        small_demo.con,
        "SELECT sum(hash(t::VARCHAR))::VARCHAR FROM raw.prohandel_receipt_lines t "
        "WHERE tenant_id = 'casa-living'",
    )
    assert theirs != ours


def test_a_tenant_alone_gets_the_same_data_as_in_the_full_demo(small_demo: GeneratedDemo) -> None:
    alone = duckdb.connect()
    generate_demo(alone, end_date=TEST_END_DATE, scale=TEST_SCALE, tenants=["alpin-sport"])
    for table in ("prohandel_receipt_lines", "prohandel_inventory", "prohandel_customers"):
        sql = (
            f"SELECT count(*), sum(hash(t::VARCHAR))::VARCHAR FROM raw.{table} t "
            "WHERE tenant_id = 'alpin-sport'"
        )
        assert _rows(alone, sql) == _rows(small_demo.con, sql), table


def test_summary_counts_what_was_loaded(small_demo: GeneratedDemo) -> None:
    summary = small_demo.summary
    assert summary.tenants == tuple(TENANT_PROFILES)
    for table in RAW_TABLES:
        for tenant_id, count in _rows(
            small_demo.con, f"SELECT tenant_id, count(*) FROM raw.{table.name} GROUP BY 1"
        ):
            assert summary.rows[str(tenant_id)][table.name] == count
        assert summary.table_total(table.name) > 0, f"{table.name} is empty"
    assert summary.elapsed_seconds > 0


def test_every_row_has_tenant_and_deterministic_loaded_at(small_demo: GeneratedDemo) -> None:
    expected_loaded_at = dt.datetime.combine(TEST_END_DATE + dt.timedelta(days=1), dt.time(5, 0))
    for table in RAW_TABLES:
        tenants = _rows(small_demo.con, f"SELECT DISTINCT tenant_id FROM raw.{table.name} ORDER BY 1")
        assert tuple(t[0] for t in tenants) == DEMO_TENANTS, table.name
        loaded = _rows(small_demo.con, f"SELECT DISTINCT _loaded_at FROM raw.{table.name}")
        assert loaded == [(expected_loaded_at,)], table.name


@pytest.mark.parametrize("table", RAW_TABLES, ids=lambda t: t.name)
def test_keys_are_unique(small_demo: GeneratedDemo, table: object) -> None:
    from ingestion.raw_schema import RawTable

    assert isinstance(table, RawTable)
    keys = ", ".join(("tenant_id", *table.key))
    row = small_demo.con.execute(
        f"SELECT count(*), count(DISTINCT ({keys})) FROM raw.{table.name}"
    ).fetchone()
    assert row is not None and row[0] == row[1]


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("prohandel_branches", "branch_id"),
        ("prohandel_articles", "article_id"),
        ("prohandel_customers", "customer_id"),
        ("prohandel_receipts", "receipt_id"),
        ("klaviyo_campaign", "id"),
    ],
)
def test_ids_are_unique_across_tenants(small_demo: GeneratedDemo, table: str, column: str) -> None:
    row = small_demo.con.execute(
        f"SELECT count(*), count(DISTINCT {column}), count(DISTINCT tenant_id) FROM raw.{table}"
    ).fetchone()
    assert row is not None and row[0] == row[1] and row[2] == 3


EXPECTED_STORES = {
    "nordwind-fashion": (
        "Berlin Hamburg München Köln Frankfurt Stuttgart Düsseldorf Leipzig Dresden Hannover Nürnberg Bremen"
    ),
    "alpin-sport": "Innsbruck Salzburg Wien Graz Linz",
    "casa-living": "Zürich Basel Bern",
}
STORE_NAME_PREFIX = {
    "nordwind-fashion": "Nordwind",
    "alpin-sport": "Alpin Sport",
    "casa-living": "Casa Living",
}
EXPECTED_CATEGORIES = {
    "nordwind-fashion": {"Womenswear", "Menswear", "Kids", "Shoes", "Accessories"},
    "alpin-sport": {"Ski", "Hiking", "Running", "Cycling", "Apparel"},
    "casa-living": {"Furniture", "Lighting", "Textiles", "Kitchen", "Decor"},
}


@pytest.mark.parametrize("tenant_id", DEMO_TENANTS)
def test_stores_and_online_shop_are_as_specified(small_demo: GeneratedDemo, tenant_id: str) -> None:
    rows = _rows(
        small_demo.con,
        f"SELECT name, city, region, branch_type, sales_area_sqm, country FROM raw.prohandel_branches "
        f"WHERE tenant_id = '{tenant_id}'",
    )
    stores = [r for r in rows if r[3] == "store"]
    online = [r for r in rows if r[3] == "online"]
    assert {r[1] for r in stores} == set(EXPECTED_STORES[tenant_id].split())
    assert len(stores) == len(EXPECTED_STORES[tenant_id].split())
    brand = STORE_NAME_PREFIX[tenant_id]
    assert all(r[0] == f"{brand} {r[1]}" and r[2] and r[4] and r[4] > 0 for r in stores)
    assert len(online) == 1 and online[0][1:3] == (None, None) and online[0][4] is None
    assert {r[5] for r in rows} == {TENANT_PROFILES[tenant_id].country}


@pytest.mark.parametrize("tenant_id", DEMO_TENANTS)
def test_every_category_and_branch_sells(small_demo: GeneratedDemo, tenant_id: str) -> None:
    categories = _rows(
        small_demo.con,
        f"SELECT DISTINCT a.category FROM raw.prohandel_receipt_lines l "
        f"JOIN raw.prohandel_articles a USING (article_id) WHERE l.tenant_id = '{tenant_id}'",
    )
    assert {c[0] for c in categories} == EXPECTED_CATEGORIES[tenant_id]
    selling = _rows(
        small_demo.con,
        f"SELECT count(DISTINCT branch_id) FROM raw.prohandel_receipts WHERE tenant_id = '{tenant_id}'",
    )
    assert selling == [(len(TENANT_PROFILES[tenant_id].branches),)]


def test_nordwind_articles_look_like_fashion(small_demo: GeneratedDemo) -> None:
    rows = _rows(
        small_demo.con,
        "SELECT season, count(*), min(purchase_price / retail_price), max(purchase_price / retail_price) "
        "FROM raw.prohandel_articles WHERE tenant_id = 'nordwind-fashion' GROUP BY 1",
    )
    seasons = {str(r[0]) for r in rows}
    assert (
        "NOS" in seasons
        and any(s.startswith("FS") for s in seasons)
        and any(s.startswith("HW") for s in seasons)
    )
    assert all(float(r[2]) >= 0.3 and float(r[3]) <= 0.67 for r in rows)


@pytest.mark.parametrize("tenant_id", DEMO_TENANTS)
def test_returns_are_five_to_fifteen_percent_of_units(small_demo: GeneratedDemo, tenant_id: str) -> None:
    row = small_demo.con.execute(
        "SELECT sum(-l.quantity) FILTER (WHERE r.receipt_type = 'return'), "
        "sum(l.quantity) FILTER (WHERE r.receipt_type = 'sale') "
        "FROM raw.prohandel_receipt_lines l JOIN raw.prohandel_receipts r USING (receipt_id) "
        "WHERE l.tenant_id = ?",
        [tenant_id],
    ).fetchone()
    assert row is not None
    assert 0.05 <= row[0] / row[1] <= 0.15


def test_amounts_are_consistent_and_returns_negative(small_demo: GeneratedDemo) -> None:
    bad = _rows(
        small_demo.con,
        """
        SELECT count(*) FILTER (WHERE l.gross_amount <> l.quantity * l.unit_price),
               count(*) FILTER (WHERE l.net_amount <> l.gross_amount - l.discount_amount),
               count(*) FILTER (WHERE l.cost_amount <> l.quantity * a.purchase_price),
               count(*) FILTER (WHERE r.receipt_type = 'sale'
                                AND (l.quantity <= 0 OR l.discount_amount < 0 OR l.net_amount <= 0)),
               count(*) FILTER (WHERE r.receipt_type = 'return'
                                AND (l.quantity >= 0 OR l.gross_amount >= 0 OR l.discount_amount > 0
                                     OR l.net_amount >= 0 OR l.cost_amount >= 0)),
               count(*) FILTER (WHERE r.receipt_type NOT IN ('sale', 'return'))
        FROM raw.prohandel_receipt_lines l
        JOIN raw.prohandel_receipts r USING (receipt_id)
        JOIN raw.prohandel_articles a USING (article_id)
        """,
    )
    assert bad == [(0, 0, 0, 0, 0, 0)]
    discounted = _rows(
        small_demo.con, "SELECT count(*) FROM raw.prohandel_receipt_lines WHERE discount_amount > 0"
    )
    assert discounted[0][0] > 0


def test_every_receipt_has_lines_numbered_from_one(small_demo: GeneratedDemo) -> None:
    rows = _rows(
        small_demo.con,
        """
        SELECT count(*) FROM raw.prohandel_receipts r
        LEFT JOIN (SELECT receipt_id, min(line_number) AS lo, max(line_number) AS hi, count(*) AS n
                   FROM raw.prohandel_receipt_lines GROUP BY 1) l USING (receipt_id)
        WHERE l.n IS NULL OR l.lo <> 1 OR l.hi <> l.n
        """,
    )
    assert rows == [(0,)]


def test_stores_are_closed_on_sunday_and_online_sells_every_day(small_demo: GeneratedDemo) -> None:
    rows = _rows(
        small_demo.con,
        """
        SELECT b.branch_type, count(*) FILTER (WHERE dayofweek(r.booked_at) = 0), count(*)
        FROM raw.prohandel_receipts r JOIN raw.prohandel_branches b USING (branch_id) GROUP BY 1
        """,
    )
    by_type = {str(r[0]): (r[1], r[2]) for r in rows}
    assert by_type["store"][0] == 0 and by_type["store"][1] > 0
    assert by_type["online"][0] > 0


@pytest.mark.parametrize("tenant_id", DEMO_TENANTS)
def test_saturday_is_the_busiest_store_day(small_demo: GeneratedDemo, tenant_id: str) -> None:
    rows = _rows(
        small_demo.con,
        f"""
        SELECT dayname(r.booked_at) AS d, count(*) AS n
        FROM raw.prohandel_receipts r JOIN raw.prohandel_branches b USING (branch_id)
        WHERE b.branch_type = 'store' AND r.receipt_type = 'sale' AND r.tenant_id = '{tenant_id}'
        GROUP BY 1 ORDER BY n DESC
        """,
    )
    assert rows[0][0] == "Saturday"


def test_history_is_two_years_ending_on_end_date(small_demo: GeneratedDemo) -> None:
    rows = _rows(
        small_demo.con, "SELECT min(booked_at)::DATE, max(booked_at)::DATE FROM raw.prohandel_receipts"
    )
    first, last = rows[0]
    assert last == TEST_END_DATE
    assert first == TEST_END_DATE - dt.timedelta(days=729)


def test_customers_register_before_buying_and_online_always_identified(small_demo: GeneratedDemo) -> None:
    late = _rows(
        small_demo.con,
        """
        SELECT count(*) FROM raw.prohandel_customers c
        JOIN (SELECT customer_id, min(booked_at)::DATE AS first FROM raw.prohandel_receipts
              WHERE customer_id IS NOT NULL GROUP BY 1) f USING (customer_id)
        WHERE c.registered_on > f.first
        """,
    )
    assert late == [(0,)]
    shares = _rows(
        small_demo.con,
        """
        SELECT r.tenant_id, b.branch_type, avg((r.customer_id IS NOT NULL)::INT)
        FROM raw.prohandel_receipts r JOIN raw.prohandel_branches b USING (branch_id)
        WHERE r.receipt_type = 'sale' GROUP BY ALL
        """,
    )
    for _, branch_type, share in shares:
        if branch_type == "online":
            assert share == 1.0
        else:
            assert 0.4 <= share <= 0.6
    orphans = _rows(
        small_demo.con,
        "SELECT count(*) FROM raw.prohandel_receipts r "
        "LEFT JOIN raw.prohandel_customers c USING (customer_id) "
        "WHERE r.customer_id IS NOT NULL AND c.customer_id IS NULL",
    )
    assert orphans == [(0,)]


def test_customers_come_back_and_have_every_loyalty_tier(small_demo: GeneratedDemo) -> None:
    tiers = _rows(small_demo.con, "SELECT DISTINCT loyalty_tier FROM raw.prohandel_customers ORDER BY 1")
    assert [t[0] for t in tiers] == ["bronze", "gold", "platinum", "silver"]
    repeat = _rows(
        small_demo.con,
        """
        SELECT avg((n > 1)::INT) FROM (SELECT customer_id, count(*) AS n FROM raw.prohandel_receipts
        WHERE receipt_type = 'sale' AND customer_id IS NOT NULL GROUP BY 1)
        """,
    )
    assert 0.2 < repeat[0][0] < 0.95


def test_inventory_snapshots_are_sundays_within_history(small_demo: GeneratedDemo) -> None:
    rows = _rows(
        small_demo.con,
        """
        SELECT count(*) FILTER (WHERE dayofweek(snapshot_date) <> 0),
               count(*) FILTER (WHERE on_hand < 0 OR on_order < 0),
               count(DISTINCT branch_id), max(snapshot_date), count(*) FILTER (WHERE on_hand = 0)
        FROM raw.prohandel_inventory
        """,
    )
    not_sunday, negative, branches, last, empty = rows[0]
    assert not_sunday == 0 and negative == 0
    assert branches == sum(len(p.branches) for p in TENANT_PROFILES.values())
    assert last == dt.date(2026, 10, 25)  # the last Sunday on or before 2026-10-31
    assert empty > 0, "some articles run out"


def test_inventory_only_for_carried_articles_of_the_tenant(small_demo: GeneratedDemo) -> None:
    rows = _rows(
        small_demo.con,
        """
        SELECT count(*) FROM raw.prohandel_inventory i
        LEFT JOIN raw.prohandel_articles a ON a.article_id = i.article_id AND a.tenant_id = i.tenant_id
        LEFT JOIN raw.prohandel_branches b ON b.branch_id = i.branch_id AND b.tenant_id = i.tenant_id
        WHERE a.article_id IS NULL OR b.branch_id IS NULL OR i.snapshot_date < b.opening_date
        """,
    )
    assert rows == [(0,)]


def test_stock_falls_with_sales_and_is_replenished(anomaly_demo: GeneratedDemo) -> None:
    rows = _rows(
        anomaly_demo.con,
        """
        WITH s AS (
          SELECT branch_id, article_id, snapshot_date, on_hand,
                 lag(on_hand) OVER (PARTITION BY branch_id, article_id ORDER BY snapshot_date) AS prev
          FROM raw.prohandel_inventory WHERE tenant_id = 'nordwind-fashion')
        SELECT count(*) FILTER (WHERE on_hand < prev), count(*) FILTER (WHERE on_hand > prev) FROM s
        """,
    )
    falls, rises = rows[0]
    assert falls > 1000 and rises > 500


def test_ga4_agrees_with_online_sales(small_demo: GeneratedDemo) -> None:
    rows = _rows(
        small_demo.con,
        """
        WITH web AS (
          SELECT tenant_id, date, sum(transactions) AS tx, sum(purchase_revenue) AS revenue,
                 sum(sessions) AS s
          FROM raw.ga4_sessions_report GROUP BY 1, 2),
        shop AS (
          SELECT r.tenant_id, r.booked_at::DATE AS date, count(DISTINCT r.receipt_id) AS tx,
                 sum(l.net_amount) AS revenue
          FROM raw.prohandel_receipts r JOIN raw.prohandel_branches b USING (branch_id)
          JOIN raw.prohandel_receipt_lines l USING (receipt_id)
          WHERE b.branch_type = 'online' AND r.receipt_type = 'sale' GROUP BY 1, 2)
        SELECT count(*) FILTER (WHERE coalesce(shop.tx, 0) <> web.tx
                                OR coalesce(shop.revenue, 0) <> web.revenue),
               count(*) FILTER (WHERE web.date IS NULL),
               sum(web.tx) / sum(web.s)
        FROM web FULL JOIN shop USING (tenant_id, date)
        """,
    )
    mismatched, missing_days, conversion = rows[0]
    assert mismatched == 0 and missing_days == 0
    assert 0.01 <= conversion <= 0.03
    combos = _rows(
        small_demo.con,
        "SELECT count(DISTINCT session_source || '/' || session_medium), count(DISTINCT device_category), "
        "count(*) FILTER (WHERE engaged_sessions > sessions OR transactions > sessions "
        "OR add_to_carts < transactions) FROM raw.ga4_sessions_report",
    )
    assert combos[0][0] >= 5 and combos[0][1] == 3 and combos[0][2] == 0


def test_klaviyo_sends_about_one_campaign_a_week(small_demo: GeneratedDemo) -> None:
    rows = _rows(
        small_demo.con,
        """
        SELECT c.tenant_id,
               count(*) FILTER (WHERE c.status = 'sent' AND c.send_time IS NOT NULL),
               count(*) FILTER (WHERE c.status = 'draft' AND c.send_time IS NULL),
               count(*) FILTER (WHERE c.status <> 'sent' AND p.campaign_id IS NOT NULL),
               min(p.opens_unique / p.delivered), max(p.opens_unique / p.delivered),
               min(p.clicks_unique / p.delivered), max(p.clicks_unique / p.delivered),
               count(*) FILTER (WHERE c.status = 'sent' AND p.campaign_id IS NULL)
        FROM raw.klaviyo_campaign c LEFT JOIN raw.klaviyo_campaign_performance p ON p.campaign_id = c.id
        GROUP BY 1
        """,
    )
    assert len(rows) == 3
    for _, sent, drafts, stray, open_lo, open_hi, click_lo, click_hi, unmeasured in rows:
        assert 90 <= sent <= 110 and drafts >= 2 and stray == 0 and unmeasured == 0
        assert open_lo >= 0.2 and open_hi <= 0.45 and click_lo >= 0.01 and click_hi <= 0.05
    names = _rows(small_demo.con, "SELECT count(*) FROM raw.klaviyo_campaign WHERE name LIKE 'Black Friday%'")
    assert names[0][0] > 0


def test_receipts_scale_roughly_linearly(small_demo: GeneratedDemo, anomaly_demo: GeneratedDemo) -> None:
    small = small_demo.summary.table_total("prohandel_receipts")
    large = anomaly_demo.summary.table_total("prohandel_receipts")
    ratio = anomaly_demo.summary.scale / small_demo.summary.scale
    assert 0.8 * ratio <= large / small <= 1.2 * ratio


@pytest.mark.parametrize("tenant_id", DEMO_TENANTS)
def test_categories_move_differently_year_over_year(anomaly_demo: GeneratedDemo, tenant_id: str) -> None:
    """'Which categories lost margin vs last year' must have a real answer, not noise around zero."""
    rows = _rows(
        anomaly_demo.con,
        f"""
        SELECT a.category,
               1 - sum(l.cost_amount) FILTER (WHERE r.booked_at >= DATE '2025-11-01')
                   / sum(l.net_amount) FILTER (WHERE r.booked_at >= DATE '2025-11-01') AS this_year,
               1 - sum(l.cost_amount) FILTER (WHERE r.booked_at < DATE '2025-11-01')
                   / sum(l.net_amount) FILTER (WHERE r.booked_at < DATE '2025-11-01') AS last_year
        FROM raw.prohandel_receipt_lines l JOIN raw.prohandel_receipts r USING (receipt_id)
        JOIN raw.prohandel_articles a USING (article_id)
        WHERE l.tenant_id = '{tenant_id}' GROUP BY 1
        """,
    )
    changes = sorted(float(this - last) for _, this, last in rows)
    assert changes[0] < -0.01, "at least one category lost more than a point of margin"
    assert changes[-1] - changes[0] > 0.01


def test_december_is_the_peak_month(anomaly_demo: GeneratedDemo) -> None:
    rows = _rows(
        anomaly_demo.con,
        """
        SELECT l.tenant_id, month(r.booked_at) AS m, sum(l.net_amount) AS net
        FROM raw.prohandel_receipt_lines l JOIN raw.prohandel_receipts r USING (receipt_id)
        WHERE r.booked_at >= DATE '2025-01-01' AND r.booked_at < DATE '2026-01-01'
        GROUP BY 1, 2 QUALIFY row_number() OVER (PARTITION BY l.tenant_id ORDER BY net DESC) = 1
        """,
    )
    assert {(str(r[0]), r[1]) for r in rows} == {(t, 12) for t in DEMO_TENANTS}


def test_returns_follow_a_purchase_by_the_same_customer_within_30_days(small_demo: GeneratedDemo) -> None:
    rows = _rows(
        small_demo.con,
        """
        WITH ret AS (
          SELECT r.receipt_id, r.branch_id, r.customer_id, r.booked_at, l.article_id
          FROM raw.prohandel_receipts r JOIN raw.prohandel_receipt_lines l USING (receipt_id)
          WHERE r.receipt_type = 'return'),
        sale AS (
          SELECT r.branch_id, r.customer_id, r.booked_at, l.article_id
          FROM raw.prohandel_receipts r JOIN raw.prohandel_receipt_lines l USING (receipt_id)
          WHERE r.receipt_type = 'sale' AND r.customer_id IS NOT NULL)
        SELECT count(DISTINCT ret.receipt_id),
               count(DISTINCT ret.receipt_id) FILTER (WHERE NOT EXISTS (
                 SELECT 1 FROM sale s WHERE s.customer_id = ret.customer_id AND s.branch_id = ret.branch_id
                   AND s.article_id = ret.article_id
                   AND ret.booked_at::DATE - s.booked_at::DATE BETWEEN 1 AND 30))
        FROM ret WHERE ret.customer_id IS NOT NULL
        """,
    )
    identified_returns, unexplained = rows[0]
    assert identified_returns > 50 and unexplained == 0


def test_sale_periods_discount_more(anomaly_demo: GeneratedDemo) -> None:
    rows = _rows(
        anomaly_demo.con,
        """
        SELECT CASE WHEN month(r.booked_at) IN (1, 7) THEN 'sale' WHEN month(r.booked_at) IN (4, 10)
                    THEN 'regular' END AS period,
               sum(l.discount_amount) / sum(l.gross_amount)
        FROM raw.prohandel_receipt_lines l JOIN raw.prohandel_receipts r USING (receipt_id)
        WHERE r.receipt_type = 'sale' GROUP BY 1
        """,
    )
    rate = {r[0]: float(r[1]) for r in rows}
    assert rate["sale"] > 1.5 * rate["regular"]


def test_black_friday_week_beats_the_weeks_before_online(anomaly_demo: GeneratedDemo) -> None:
    rows = _rows(
        anomaly_demo.con,
        """
        SELECT r.booked_at::DATE BETWEEN DATE '2025-11-24' AND DATE '2025-11-30' AS black_week,
               count(*) / count(DISTINCT r.booked_at::DATE)
        FROM raw.prohandel_receipts r JOIN raw.prohandel_branches b USING (branch_id)
        WHERE b.branch_type = 'online' AND r.receipt_type = 'sale'
          AND r.booked_at::DATE BETWEEN DATE '2025-10-27' AND DATE '2025-11-30'
        GROUP BY 1
        """,
    )
    per_day = {bool(r[0]): float(r[1]) for r in rows}
    assert per_day[True] > 1.5 * per_day[False]


def test_alpin_sells_ski_in_winter_and_bikes_in_spring(anomaly_demo: GeneratedDemo) -> None:
    rows = _rows(
        anomaly_demo.con,
        """
        SELECT a.category,
               sum(l.quantity) FILTER (WHERE month(r.booked_at) IN (11, 12, 1, 2)) AS winter,
               sum(l.quantity) FILTER (WHERE month(r.booked_at) IN (4, 5, 6, 7)) AS summer
        FROM raw.prohandel_receipt_lines l JOIN raw.prohandel_receipts r USING (receipt_id)
        JOIN raw.prohandel_articles a USING (article_id)
        WHERE l.tenant_id = 'alpin-sport' AND r.receipt_type = 'sale' GROUP BY 1
        """,
    )
    units = {str(r[0]): (r[1], r[2]) for r in rows}
    assert units["Ski"][0] > 4 * units["Ski"][1]
    assert units["Cycling"][1] > 2 * units["Cycling"][0]
    assert units["Running"][1] > units["Running"][0]


def test_generating_again_replaces_the_tenants_rows() -> None:
    con = duckdb.connect()
    first = generate_demo(con, scale=TEST_SCALE, tenants=["casa-living", "alpin-sport"])
    before = _checksums(con)
    again = generate_demo(con, scale=TEST_SCALE, tenants=["casa-living"])
    assert _checksums(con) == before
    assert again.rows["casa-living"] == first.rows["casa-living"]
