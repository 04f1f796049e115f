"""SnowflakeWarehouse through fakesnow (a local stand-in speaking the connector's API)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from guardrails.guarded_sql import GuardedSql
from guardrails.policies import policy_from_relations
from semantic_layer.errors import WarehouseQueryError
from semantic_layer.guarding import policy_guard
from semantic_layer.protocols import SqlGuard
from semantic_layer.warehouses import warehouse_from_settings

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")

fakesnow = pytest.importorskip("fakesnow", reason="fakesnow (dev dependency) is not installed")

from semantic_layer.warehouses.snowflake import SnowflakeWarehouse  # noqa: E402


@pytest.fixture
def snowflake() -> Iterator[SnowflakeWarehouse]:
    with fakesnow.patch():
        wh = SnowflakeWarehouse(
            account="acct",
            user="mercurios",
            password="pw",
            role="MERCURIOS_ASSISTANT",
            warehouse="WH",
            database="MERCURIOS",
            schema="BILLING",
            statement_timeout_s=12.5,
        )
        cur = wh.connection().cursor()
        cur.execute("CREATE SCHEMA IF NOT EXISTS MERCURIOS.BILLING")
        cur.execute("CREATE TABLE BILLING.DIM_ACCOUNTS (ORG_ID VARCHAR, ACCOUNT_ID VARCHAR, COUNTRY VARCHAR)")
        cur.execute("INSERT INTO BILLING.DIM_ACCOUNTS VALUES ('acme', 'a1', 'DE'), ('globex', 'g1', 'JP')")
        cur.close()
        yield wh
        wh.close()


def _guard() -> SqlGuard:
    policy = policy_from_relations(
        ["billing.dim_accounts"], dialect="snowflake", tenant_column="org_id", default_schema="billing"
    )
    return policy_guard(policy)


def test_executes_guarded_select_scoped_to_the_tenant(snowflake: SnowflakeWarehouse) -> None:
    guard = _guard()
    guarded = guard("SELECT account_id, country FROM billing.dim_accounts", tenant_id="globex")
    assert isinstance(guarded, GuardedSql)
    result = snowflake.execute(guarded, timeout_s=5, row_cap=10)
    assert result.rows == (("g1", "JP"),)
    assert [c.name.lower() for c in result.columns] == ["account_id", "country"]
    assert result.columns[0].type == "TEXT"


def test_row_cap_and_type_check(snowflake: SnowflakeWarehouse) -> None:
    guard = _guard()
    with pytest.raises(TypeError):
        snowflake.execute("SELECT 1", timeout_s=5, row_cap=1)  # type: ignore[arg-type]
    result = snowflake.execute(
        guard("SELECT org_id FROM billing.dim_accounts", tenant_id="acme"), timeout_s=5, row_cap=0
    )
    assert result.rows == () and result.truncated


def test_statement_timeout_is_a_session_parameter(snowflake: SnowflakeWarehouse) -> None:
    assert snowflake.session_parameters["STATEMENT_TIMEOUT_IN_SECONDS"] == 13


def test_duckdb_sql_is_not_run_on_snowflake(snowflake: SnowflakeWarehouse) -> None:
    duck = policy_guard(
        policy_from_relations(["billing.dim_accounts"], dialect="duckdb", tenant_column="org_id")
    )
    with pytest.raises(WarehouseQueryError, match="guarded for duckdb"):
        snowflake.execute(
            duck("SELECT org_id FROM billing.dim_accounts", tenant_id="acme"), timeout_s=5, row_cap=1
        )


def test_factory_picks_snowflake_from_settings() -> None:
    from assistant.settings import Settings

    wh = warehouse_from_settings(
        Settings(warehouse="snowflake", snowflake_account="acct", snowflake_user="u")
    )
    assert isinstance(wh, SnowflakeWarehouse) and wh.dialect == "snowflake"
