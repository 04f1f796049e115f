from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from guardrails.guarded_sql import _mint
from semantic_layer.errors import QueryTimeoutError, WarehouseMissingError, WarehouseQueryError
from semantic_layer.protocols import SqlGuard, Warehouse
from semantic_layer.warehouses import warehouse_from_settings
from semantic_layer.warehouses.duckdb import DuckDbWarehouse
from tests.semantic_layer.subscription_fixture import BuiltFixture


def test_is_a_warehouse(warehouse: DuckDbWarehouse) -> None:
    assert isinstance(warehouse, Warehouse)


def test_rejects_anything_but_guarded_sql(warehouse: DuckDbWarehouse) -> None:
    with pytest.raises(TypeError, match="only GuardedSql"):
        warehouse.execute("SELECT 1", timeout_s=1, row_cap=10)  # type: ignore[arg-type]


def test_runs_guarded_sql_scoped_to_the_tenant(warehouse: DuckDbWarehouse, guard: SqlGuard) -> None:
    guarded = guard("SELECT DISTINCT org_id FROM billing.dim_accounts", tenant_id="globex")
    result = warehouse.execute(guarded, timeout_s=5, row_cap=100)
    assert result.rows == (("globex",),)
    assert result.columns[0].name == "org_id" and result.columns[0].type == "VARCHAR"
    assert not result.truncated


def test_the_connection_refuses_writes_even_when_guarded(warehouse: DuckDbWarehouse) -> None:
    # Only a test may mint GuardedSql by hand: this proves the second line of defence.
    for sql in (
        "INSERT INTO billing.dim_accounts VALUES ('acme', 'x', 'x', 'DE', DATE '2024-01-01')",
        "CREATE TABLE billing.evil AS SELECT 1 AS x",
        "COPY billing.dim_accounts TO '/tmp/leak.csv'",
        "SET enable_external_access = true",
    ):
        forged = _mint(sql=sql, tenant_id="acme", dialect="duckdb", rules_applied=(), original_sql=sql)
        with pytest.raises(WarehouseQueryError):
            warehouse.execute(forged, timeout_s=5, row_cap=10)


def test_external_access_is_off(warehouse: DuckDbWarehouse) -> None:
    sql = "SELECT * FROM read_csv('/etc/passwd')"
    forged = _mint(sql=sql, tenant_id="acme", dialect="duckdb", rules_applied=(), original_sql=sql)
    with pytest.raises(WarehouseQueryError, match=r"disabled|external"):
        warehouse.execute(forged, timeout_s=5, row_cap=10)


@pytest.mark.timed_waits  # the statement timeout is a threading.Timer
def test_a_slow_query_is_interrupted(warehouse: DuckDbWarehouse, guard: SqlGuard) -> None:
    sql = (
        "SELECT COUNT(*) AS n FROM billing.fct_invoices a CROSS JOIN billing.fct_invoices b "
        "CROSS JOIN billing.fct_invoices c CROSS JOIN billing.fct_invoices d "
        "CROSS JOIN billing.fct_invoices e"
    )
    forged = _mint(sql=sql, tenant_id="acme", dialect="duckdb", rules_applied=(), original_sql=sql)
    with pytest.raises(QueryTimeoutError) as info:
        warehouse.execute(forged, timeout_s=0.2, row_cap=10)
    assert info.value.code == "query_timeout"
    # The cursor is usable afterwards.
    ok = warehouse.execute(
        guard("SELECT COUNT(*) AS n FROM billing.dim_accounts", tenant_id="acme"), timeout_s=5, row_cap=1
    )
    assert ok.rows[0][0] > 0


def test_row_cap_truncates(warehouse: DuckDbWarehouse, guard: SqlGuard) -> None:
    guarded = guard("SELECT invoice_id FROM billing.fct_invoices", tenant_id="acme")
    capped = warehouse.execute(guarded, timeout_s=5, row_cap=3)
    full = warehouse.execute(guarded, timeout_s=5, row_cap=10_000)
    assert len(capped.rows) == 3 and capped.truncated
    assert len(full.rows) > 3 and not full.truncated


def test_a_missing_file_is_a_clear_error(tmp_path: Path, guard: SqlGuard) -> None:
    wh = DuckDbWarehouse(tmp_path / "gone.duckdb")
    with pytest.raises(WarehouseMissingError, match="does not exist"):
        wh.execute(guard("SELECT 1 AS x FROM billing.dim_accounts", tenant_id="acme"), timeout_s=1, row_cap=1)


def test_reconnects_when_the_file_is_swapped(tmp_path: Path, built: BuiltFixture, guard: SqlGuard) -> None:
    path = tmp_path / "w.duckdb"
    shutil.copy(built.warehouse_without_meta, path)
    wh = DuckDbWarehouse(path)
    count = guard("SELECT COUNT(*) AS n FROM billing.dim_accounts", tenant_id="acme")
    before = wh.execute(count, timeout_s=5, row_cap=1).rows[0][0]
    wh.close()
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(built.warehouse_without_meta, rebuilt)
    con = duckdb.connect(str(rebuilt))
    con.execute("DELETE FROM billing.dim_accounts WHERE org_id = 'acme' AND account_id = 'acme-a1'")
    con.close()
    wh2 = DuckDbWarehouse(path)
    assert wh2.execute(count, timeout_s=5, row_cap=1).rows[0][0] == before
    rebuilt.replace(path)  # what a rebuild does: swap a new file in
    assert wh2.execute(count, timeout_s=5, row_cap=1).rows[0][0] == before - 1


def test_factory_picks_duckdb_from_settings(built: BuiltFixture) -> None:
    from assistant.runtime.settings import Settings

    wh = warehouse_from_settings(Settings(duckdb_path=built.warehouse_path, warehouse="duckdb"))
    assert isinstance(wh, DuckDbWarehouse) and wh.path == built.warehouse_path


def test_threads_get_their_own_cursors(warehouse: DuckDbWarehouse, guard: SqlGuard) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def count(tenant: str) -> object:
        guarded = guard("SELECT COUNT(*) AS n FROM billing.fct_invoices", tenant_id=tenant)
        return warehouse.execute(guarded, timeout_s=5, row_cap=1).rows[0][0]

    tenants = ["acme", "globex", "initech"] * 4
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(count, tenants))
    assert results == [count(t) for t in tenants]
    assert len(set(results)) == 3


def test_a_file_named_like_its_schema_is_not_ambiguous(
    tmp_path: Path, built: BuiltFixture, guard: SqlGuard
) -> None:
    """`billing.duckdb` holding schema `billing`: opened directly, DuckDB's catalog (the file's stem)
    and the schema share a name, and the `schema.table` the semantic layer compiles is ambiguous."""
    path = tmp_path / "billing.duckdb"
    shutil.copy(built.warehouse_without_meta, path)
    with duckdb.connect(str(path), read_only=True) as direct, pytest.raises(duckdb.BinderException):
        direct.execute("SELECT COUNT(*) FROM billing.dim_accounts")  # the trap itself
    wh = DuckDbWarehouse(path)
    count = guard("SELECT COUNT(*) AS n FROM billing.dim_accounts", tenant_id="acme")
    assert wh.execute(count, timeout_s=5, row_cap=1).rows[0][0] > 0
    wh.close()


def test_a_schema_named_like_the_attached_catalog_still_resolves(tmp_path: Path) -> None:
    from semantic_layer.warehouses.duckdb import CATALOG

    path = tmp_path / "odd.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE SCHEMA {CATALOG}")
        con.execute(f"CREATE TABLE {CATALOG}.t AS SELECT 42 AS x")
    wh = DuckDbWarehouse(path)
    sql = f"SELECT x FROM {CATALOG}.t"
    forged = _mint(sql=sql, tenant_id=None, dialect="duckdb", rules_applied=(), original_sql=sql)
    assert wh.execute(forged, timeout_s=5, row_cap=1).rows == ((42,),)
    for write in (f"CREATE TABLE {CATALOG}.u AS SELECT 1 AS x", "CREATE TABLE memory.main.u AS SELECT 1"):
        forged = _mint(sql=write, tenant_id=None, dialect="duckdb", rules_applied=(), original_sql=write)
        with pytest.raises(WarehouseQueryError):
            wh.execute(forged, timeout_s=5, row_cap=1)
    wh.close()


def test_duckdb_threads_and_memory_come_from_the_settings_and_stay_locked(built: BuiltFixture) -> None:
    from assistant.runtime.settings import Settings

    wh = warehouse_from_settings(
        Settings(duckdb_path=built.warehouse_path, duckdb={"threads": 1, "memory_limit": "512MB"})
    )
    sql = "SELECT current_setting('threads'), current_setting('memory_limit')"
    forged = _mint(sql=sql, tenant_id="acme", dialect="duckdb", rules_applied=(), original_sql=sql)
    threads, memory = wh.execute(forged, timeout_s=5, row_cap=1).rows[0]
    assert threads == 1 and memory in ("488.2 MiB", "512.0 MiB", "488.2MiB")
    reset = "SET threads = 8"
    forged = _mint(sql=reset, tenant_id="acme", dialect="duckdb", rules_applied=(), original_sql=reset)
    with pytest.raises(WarehouseQueryError):
        wh.execute(forged, timeout_s=5, row_cap=1)


def test_a_malformed_memory_limit_is_refused_when_settings_are_read() -> None:
    from assistant.runtime.settings import Settings
    from guardrails.errors import ConfigError

    with pytest.raises(ConfigError, match="MERCURIOS_DUCKDB_MEMORY_LIMIT"):
        Settings(duckdb={"memory_limit": "lots'; DROP"})
