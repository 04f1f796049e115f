"""fct_sales' integer surrogate keys (receipt_key, customer_key), which the distinct-count measures
count instead of the string ids: one-to-one with the ids within a tenant, numbered per tenant,
scoped by the guard like every other column — and a warehouse built before they existed fails
with a message that says to rebuild it, not with an internal error."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from semantic_layer.errors import WarehouseOutdatedError, missing_column
from semantic_layer.facade import SemanticLayer
from semantic_layer.query import SemanticQuery
from tests.demo import DEMO_TENANTS, DemoWarehouse

KEYS = {"receipt_key": "receipt_id", "customer_key": "customer_id"}


@pytest.fixture(scope="module")
def oracle(
    demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> duckdb.DuckDBPyConnection:
    copy = tmp_path_factory.mktemp("keys-oracle") / "oracle.duckdb"
    shutil.copy(demo_warehouse.path, copy)
    return duckdb.connect(str(copy), read_only=True)


@pytest.mark.parametrize(("key", "id_column"), sorted(KEYS.items()))
def test_a_key_is_one_to_one_with_its_id_and_numbered_from_1_in_every_tenant(
    oracle: duckdb.DuckDBPyConnection, key: str, id_column: str
) -> None:
    rows = oracle.execute(
        f"SELECT tenant_id, count(DISTINCT {id_column}), count(DISTINCT {key}), "
        f"count(DISTINCT CASE WHEN {id_column} IS NOT NULL THEN ({id_column}, {key}) END), "
        f"min({key}), max({key}), "
        f"count(*) FILTER (WHERE ({id_column} IS NULL) <> ({key} IS NULL)) "
        "FROM marts.fct_sales GROUP BY tenant_id ORDER BY tenant_id"
    ).fetchall()
    assert [r[0] for r in rows] == sorted(DEMO_TENANTS)
    for tenant, ids, keys, pairs, lowest, highest, mismatched_nulls in rows:
        assert ids > 1, tenant
        assert ids == keys == pairs, f"{tenant}: {key} is not one-to-one with {id_column}"
        # dense per tenant: a key says nothing about another tenant's number of receipts/customers
        assert (lowest, highest) == (1, ids), tenant
        assert mismatched_nulls == 0, tenant
    # hence the keys repeat across tenants: only the tenant scope keeps a distinct count right
    (all_keys,) = oracle.execute(f"SELECT count(DISTINCT {key}) FROM marts.fct_sales").fetchone() or (0,)
    assert all_keys < sum(r[1] for r in rows)


@pytest.mark.parametrize(
    ("metric", "counted"),
    [
        ("orders", "DISTINCT CASE WHEN NOT is_return THEN receipt_id END"),
        ("active_customers", "DISTINCT CASE WHEN NOT is_return THEN customer_id END"),
    ],
)
def test_distinct_counts_over_the_keys_equal_the_tenants_own_ids(
    layer: SemanticLayer, oracle: duckdb.DuckDBPyConnection, metric: str, counted: str
) -> None:
    query = SemanticQuery(metrics=(metric,), group_by=("sale_line__channel",))
    sql = layer.compile(query).sql
    assert ("receipt_key" if metric == "orders" else "customer_key") in sql  # the key is counted
    for tenant in DEMO_TENANTS:
        got = {str(r[0]): int(r[1]) for r in layer.run(query, tenant).result.rows}
        expected = {
            str(r[0]): int(r[1])
            for r in oracle.execute(
                f"SELECT channel, count({counted}) FROM marts.fct_sales WHERE tenant_id = ? GROUP BY 1",
                [tenant],
            ).fetchall()
        }
        assert got == expected, tenant


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


def test_a_warehouse_built_before_the_keys_says_to_rebuild_it(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    old = tmp_path / "old.duckdb"
    shutil.copy(demo_warehouse.path, old)
    with duckdb.connect(str(old)) as con:
        con.execute("ALTER TABLE marts.fct_sales DROP COLUMN receipt_key")
    layer = build_semantic_layer(Settings(duckdb_path=old), dbt_target_path=demo_warehouse.dbt_target_path)
    with pytest.raises(WarehouseOutdatedError) as caught:
        layer.run(SemanticQuery(metrics=("orders",)), DEMO_TENANTS[0])
    assert caught.value.code == "warehouse_outdated"
    assert '"receipt_key"' in caught.value.message and "mercurios build" in caught.value.message
    # metrics that do not read the missing column still answer
    assert layer.run(SemanticQuery(metrics=("net_sales",)), DEMO_TENANTS[0]).result.rows


@pytest.mark.parametrize(
    ("message", "column"),
    [
        (
            "DuckDB refused the query: Binder Error: "
            'Referenced column "receipt_key" not found in FROM clause!',
            "receipt_key",
        ),
        (
            "Snowflake refused the query: SQL compilation error: error line 1 at position 88\n"
            "invalid identifier 'SALES_SRC_10000.RECEIPT_KEY'",
            "RECEIPT_KEY",
        ),
        (
            "Snowflake refused the query: SQL compilation error:\ninvalid identifier 'CUSTOMER_KEY'",
            "CUSTOMER_KEY",
        ),
        ("DuckDB refused the query: Conversion Error: Could not convert string 'x' to INT32", None),
        ("Snowflake refused the query: SQL compilation error: Object 'MARTS.FCT_SALES' does not exist", None),
    ],
)
def test_missing_column_reads_both_warehouses_messages(message: str, column: str | None) -> None:
    assert missing_column(message) == column
