"""The marts a retailer reads, built by the real dbt project on the hand-written raw dataset."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.dbt.hand_written_raw import ALPHA, BETA, RAW_ROWS, BuiltWarehouse

# the retail data contract of DESIGN.md: mart -> columns it must carry
CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    mart: tuple(columns.split())
    for mart, columns in {
        "dim_tenants": "tenant_id tenant_name currency timezone country",
        "dim_stores": "tenant_id store_id store_name city region country store_type opened_on "
        "selling_area_sqm",
        "dim_products": "tenant_id product_id sku product_name category subcategory brand color season "
        "list_price unit_cost",
        "dim_customers": "tenant_id customer_id city loyalty_tier signup_date home_store_id rfm_segment",
        "fct_sales": "tenant_id sale_line_id receipt_id sold_at sale_date store_id product_id customer_id "
        "channel quantity gross_amount discount_amount net_amount cost_amount is_return",
        "fct_inventory_snapshots": "tenant_id snapshot_date store_id product_id on_hand_units on_order_units "
        "inventory_cost_value",
        "fct_web_sessions": "tenant_id session_date source medium device_category sessions engaged_sessions "
        "add_to_carts transactions purchase_revenue",
        "fct_email_campaigns": "tenant_id campaign_id campaign_name sent_at send_date recipients delivered "
        "opens clicks unsubscribes attributed_orders attributed_revenue",
    }.items()
}


def query(wh: BuiltWarehouse, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(wh.path), read_only=True) as con:
        return con.execute(sql).fetchall()


def latest_receipt_lines() -> list[tuple[object, ...]]:
    """The receipt lines as the retailer last delivered them (newest load per receipt and line)."""
    newest: dict[tuple[object, ...], tuple[object, ...]] = {}
    loaded: dict[tuple[object, ...], object] = {}
    for block in RAW_ROWS:
        if block.table != "prohandel_receipt_lines":
            continue
        for row in block.rows:
            key = (row[0], row[1], row[2])
            if key not in loaded or block.loaded_at > loaded[key]:  # type: ignore[operator]
                newest[key], loaded[key] = row, block.loaded_at
    return list(newest.values())


def test_every_dbt_test_passed(hand_built_warehouse: BuiltWarehouse) -> None:
    results = json.loads((hand_built_warehouse.target_path / "run_results.json").read_text())["results"]
    tests = [r for r in results if r["unique_id"].startswith("test.")]
    assert len(tests) >= 60
    assert {r["status"] for r in tests} == {"pass"}
    assert {r["status"] for r in results if not r["unique_id"].startswith("test.")} == {"success"}


def test_marts_have_the_contract_columns_in_schema_marts(hand_built_warehouse: BuiltWarehouse) -> None:
    rows = query(
        hand_built_warehouse,
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'marts'",
    )
    columns: dict[str, set[str]] = defaultdict(set)
    for table, column in rows:
        columns[str(table)].add(str(column))
    for mart, expected in CONTRACT_COLUMNS.items():
        assert set(expected) <= columns[mart], mart
        assert "tenant_id" in columns[mart]


def test_net_sales_per_tenant_equal_the_receipts_net_of_returns(hand_built_warehouse: BuiltWarehouse) -> None:
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for line in latest_receipt_lines():
        expected[str(line[0])] += line[8]  # type: ignore[operator]
    got = dict(
        query(hand_built_warehouse, "SELECT tenant_id, sum(net_amount) FROM marts.fct_sales GROUP BY 1")
    )
    assert got == expected
    assert got[ALPHA] == Decimal("301.00")  # 180 + 30 + 81 + 100 - 90, by hand


def test_a_redelivered_line_counts_once_with_its_newest_figures(hand_built_warehouse: BuiltWarehouse) -> None:
    rows = query(hand_built_warehouse, "SELECT net_amount FROM marts.fct_sales WHERE receipt_id = 'am-r2'")
    assert rows == [(Decimal("81.00"),)]


def test_returns_are_flagged_with_negative_quantity_and_amounts(hand_built_warehouse: BuiltWarehouse) -> None:
    rows = query(
        hand_built_warehouse,
        "SELECT receipt_id, quantity, net_amount, cost_amount FROM marts.fct_sales WHERE is_return",
    )
    assert rows == [("am-r4", -1, Decimal("-90.00"), Decimal("-40.00"))]
    assert query(
        hand_built_warehouse, "SELECT count(*) FROM marts.fct_sales WHERE NOT is_return AND quantity < 0"
    ) == [(0,)]


def test_online_shop_sales_are_channel_online(hand_built_warehouse: BuiltWarehouse) -> None:
    rows = query(
        hand_built_warehouse,
        "SELECT s.channel, d.store_type, count(*) FROM marts.fct_sales s "
        "JOIN marts.dim_stores d USING (tenant_id, store_id) GROUP BY 1, 2 ORDER BY 1, 2",
    )
    assert rows == [("online", "online", 1), ("store", "outlet", 1), ("store", "store", 4)]
    online = query(
        hand_built_warehouse,
        "SELECT is_online, selling_area_sqm FROM marts.dim_stores WHERE store_id = 'am-web'",
    )
    assert online == [(True, None)]


def test_anonymous_receipt_keeps_no_customer(hand_built_warehouse: BuiltWarehouse) -> None:
    rows = query(
        hand_built_warehouse, "SELECT DISTINCT customer_id FROM marts.fct_sales WHERE receipt_id = 'am-r2'"
    )
    assert rows == [(None,)]


def test_sale_line_ids_are_unique_across_tenants_and_dates_follow_the_timestamp(
    hand_built_warehouse: BuiltWarehouse,
) -> None:
    rows = query(hand_built_warehouse, "SELECT sale_line_id, sold_at, sale_date FROM marts.fct_sales")
    assert len({r[0] for r in rows}) == len(rows) == 6
    assert all(r[1].date() == r[2] for r in rows)


def test_every_customer_has_an_rfm_segment(hand_built_warehouse: BuiltWarehouse) -> None:
    segments = dict(query(hand_built_warehouse, "SELECT customer_id, rfm_segment FROM marts.dim_customers"))
    assert set(segments) == {"am-c1", "am-c2", "am-c3", "bs-c1"}
    assert all(segments.values())
    assert segments["am-c3"] == "lost"  # signed up in 2022 and never bought
    assert segments["am-c2"] == "new"  # joined this month, one recent purchase


def test_inventory_keeps_weekly_levels_and_the_4_week_sales_behind_them(
    hand_built_warehouse: BuiltWarehouse,
) -> None:
    rows = query(
        hand_built_warehouse,
        "SELECT snapshot_date, product_id, on_hand_units, inventory_cost_value, trailing_4_weeks_units_sold "
        "FROM marts.fct_inventory_snapshots WHERE store_id = 'am-b01' ORDER BY 1, 2",
    )
    assert rows == [
        (date(2026, 9, 6), "am-a1", 10, Decimal("400.00"), 2),  # two jackets sold on 5 Sep
        (date(2026, 9, 6), "am-a2", 5, Decimal("50.00"), 1),
        (date(2026, 9, 13), "am-a1", 9, Decimal("360.00"), 1),  # one of them came back on 12 Sep
        (date(2026, 9, 13), "am-a2", 4, Decimal("40.00"), 1),  # outlet sales are another store
    ]


def test_email_campaigns_are_the_sent_ones_on_the_local_send_date(
    hand_built_warehouse: BuiltWarehouse,
) -> None:
    rows = query(
        hand_built_warehouse,
        "SELECT campaign_id, send_date, delivered, attributed_revenue "
        "FROM marts.fct_email_campaigns ORDER BY 1",
    )
    # am-k1 left at 23:30 UTC on 1 Sep, which is 01:30 on 2 Sep in Berlin; the draft never left
    assert rows == [
        ("am-k1", date(2026, 9, 2), 980, Decimal("500.00")),
        ("bs-k1", date(2026, 9, 3), 400, Decimal("450.00")),
    ]


def test_web_sessions_keep_one_row_per_day_source_medium_device(hand_built_warehouse: BuiltWarehouse) -> None:
    rows = query(
        hand_built_warehouse,
        "SELECT tenant_id, sum(sessions), sum(transactions), sum(purchase_revenue) "
        "FROM marts.fct_web_sessions GROUP BY 1 ORDER BY 1",
    )
    assert rows == [(ALPHA, 150, 5, Decimal("360.00")), (BETA, 80, 1, Decimal("450.00"))]


# every id in the hand-written dataset starts with its tenant's prefix
ID_PREFIX = {ALPHA: "am-", BETA: "bs-"}


@pytest.mark.parametrize("mart", sorted(CONTRACT_COLUMNS))
def test_no_row_of_a_tenant_mentions_another_tenants_ids(
    hand_built_warehouse: BuiltWarehouse, mart: str
) -> None:
    with duckdb.connect(str(hand_built_warehouse.path), read_only=True) as con:
        id_columns = [
            str(c[0])
            for c in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' "
                "AND table_name = ? AND column_name LIKE '%\\_id' ESCAPE '\\' AND column_name <> 'tenant_id'",
                [mart],
            ).fetchall()
        ]
        rows = con.execute(
            f"SELECT tenant_id, {', '.join(id_columns) or 'NULL'} FROM marts.{mart}"
        ).fetchall()
    assert id_columns or mart in ("dim_tenants", "fct_web_sessions")
    assert {r[0] for r in rows} == {ALPHA, BETA}, f"{mart} should hold both tenants"
    for tenant, *ids in rows:
        strangers = [v for v in ids if v is not None and not str(v).startswith(ID_PREFIX[str(tenant)])]
        assert not strangers, f"{mart}: a row of {tenant} mentions {strangers}"


def test_every_mart_and_its_columns_are_described(hand_built_warehouse: BuiltWarehouse) -> None:
    manifest = json.loads((hand_built_warehouse.target_path / "manifest.json").read_text())
    marts = [
        n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["schema"] == "marts"
    ]
    assert {m["name"] for m in marts} >= set(CONTRACT_COLUMNS)
    for model in marts:
        assert len(model["description"]) > 20, model["name"]
        for name in CONTRACT_COLUMNS.get(model["name"], ()):
            assert model["columns"][name]["description"], f"{model['name']}.{name}"


def test_the_surrogate_key_tests_pass_and_catch_a_key_that_maps_to_two_ids(
    hand_built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    """fct_sales' receipt_key / customer_key (counted by the distinct-count measures) are checked
    one-to-one with their ids per tenant by `one_to_one_within`; the check must fail on a bad key."""
    manifest = json.loads((hand_built_warehouse.target_path / "manifest.json").read_text())
    checks = {
        n["column_name"]: n["compiled_code"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and (n.get("test_metadata") or {}).get("name") == "one_to_one_within"
    }
    assert set(checks) == {"receipt_key", "customer_key"}
    copy = tmp_path / hand_built_warehouse.path.name  # same file stem: the compiled SQL names the catalog
    shutil.copy(hand_built_warehouse.path, copy)
    with duckdb.connect(str(copy)) as con:
        for column, sql in checks.items():
            assert con.execute(sql).fetchall() == [], column
        # two receipts of one tenant under one key: both checks of the receipt key must now fail
        con.execute(
            "UPDATE marts.fct_sales SET receipt_key = 1 WHERE tenant_id = ? AND receipt_key = 2", [ALPHA]
        )
        failing = [column for column, sql in checks.items() if con.execute(sql).fetchall()]
    assert failing == ["receipt_key"]
