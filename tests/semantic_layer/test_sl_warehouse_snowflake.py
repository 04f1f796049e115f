"""SnowflakeWarehouse through fakesnow (a local stand-in speaking the connector's API)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from guardrails.guarded_sql import GuardedSql
from guardrails.policies import policy_from_relations
from semantic_layer.errors import WarehouseMissingError, WarehouseQueryError
from semantic_layer.guarding import policy_guard
from semantic_layer.protocols import SqlGuard
from semantic_layer.warehouses import warehouse_from_settings

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")

fakesnow = pytest.importorskip("fakesnow", reason="fakesnow (dev dependency) is not installed")

from snowflake.connector.errors import ProgrammingError  # noqa: E402

from semantic_layer.warehouses.snowflake import SnowflakeWarehouse, tenant_role  # noqa: E402


class StandIn:
    """fakesnow as the Snowflake server, plus what fakesnow does not model: the role a session was
    opened with and `USE SECONDARY ROLES NONE` (fakesnow's parser lacks it; here it is recorded,
    or refused when `refuse_secondary` is set, as a server without the privilege would)."""

    def __init__(self, *, refuse_secondary: bool = False) -> None:
        self.refuse_secondary = refuse_secondary
        self.opened: list[str] = []  # roles, in the order sessions were opened
        self.statements: list[tuple[str, str]] = []  # (session role, SQL) of every statement
        self.closed: list[str] = []
        # Snowflake serves concurrent calls on one connection; fakesnow's single DuckDB connection
        # refuses them, so the stand-in takes one call at a time (execute … close of a cursor)
        self.busy = threading.Lock()

    def connect(self, **params: Any) -> Any:
        import snowflake.connector

        role = str(params["role"])
        self.opened.append(role)
        return _Session(snowflake.connector.connect(**params), role, self)


class _Session:
    def __init__(self, conn: Any, role: str, server: StandIn) -> None:
        self._conn, self.role, self._server = conn, role, server

    def cursor(self) -> Any:
        return _Cursor(self._conn.cursor(), self)

    def close(self) -> None:
        self._server.closed.append(self.role)
        self._conn.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class _Cursor:
    def __init__(self, cursor: Any, session: _Session) -> None:
        self._cursor, self._session = cursor, session
        self._holding = False

    def close(self) -> None:
        self._cursor.close()
        if self._holding:
            self._holding = False
            self._session._server.busy.release()

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        server = self._session._server
        if not self._holding:
            server.busy.acquire()
            self._holding = True
        server.statements.append((self._session.role, sql))
        if sql == "USE SECONDARY ROLES NONE":
            if server.refuse_secondary:
                raise ProgrammingError("Insufficient privileges to operate on secondary roles", errno=3001)
            return self
        return self._cursor.execute(sql, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


ACCOUNTS = "SELECT account_id FROM billing.dim_accounts"


def _warehouse(server: StandIn, **extra: Any) -> SnowflakeWarehouse:
    return SnowflakeWarehouse(
        account="acct",
        user="mercurios",
        password="pw",
        role="MERCURIOS_ASSISTANT",
        warehouse="WH",
        database="MERCURIOS",
        schema="BILLING",
        statement_timeout_s=12.5,
        connect=server.connect,
        **extra,
    )


@pytest.fixture
def server() -> Iterator[StandIn]:
    with fakesnow.patch(db_path=None):
        yield StandIn()


@pytest.fixture
def snowflake(server: StandIn) -> Iterator[SnowflakeWarehouse]:
    """The warehouse over a billing table of two tenants (created in the base role's session)."""
    wh = _warehouse(server)
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
    from assistant.runtime.settings import Settings

    wh = warehouse_from_settings(Settings(warehouse="snowflake", snowflake={"account": "acct", "user": "u"}))
    assert isinstance(wh, SnowflakeWarehouse) and wh.dialect == "snowflake"


def test_each_tenant_queries_in_its_own_role_with_secondary_roles_off(
    snowflake: SnowflakeWarehouse, server: StandIn
) -> None:
    guard = _guard()
    for tenant, expected in (("acme", ("a1", "DE")), ("globex", ("g1", "JP")), ("acme", ("a1", "DE"))):
        rows = snowflake.execute(
            guard("SELECT account_id, country FROM billing.dim_accounts", tenant_id=tenant),
            timeout_s=5,
            row_cap=10,
        ).rows
        assert rows == (expected,)
    assert server.opened == ["MERCURIOS_ASSISTANT", "TENANT_ACME", "TENANT_GLOBEX"]  # one session each
    for role in ("TENANT_ACME", "TENANT_GLOBEX"):
        mine = [sql for r, sql in server.statements if r == role]
        assert mine[0] == "USE SECONDARY ROLES NONE"  # before its first query
        assert all(f"'{role.removeprefix('TENANT_').lower()}'" in sql for sql in mine[1:])
    base = [sql for r, sql in server.statements if r == "MERCURIOS_ASSISTANT"]
    assert not any(sql.lstrip().upper().startswith("SELECT") for sql in base)  # the fixture's setup only


def test_concurrent_tenants_never_share_a_session(snowflake: SnowflakeWarehouse, server: StandIn) -> None:
    guard = _guard()
    queries = {t: guard(ACCOUNTS, tenant_id=t) for t in ("acme", "globex")}
    errors: list[BaseException] = []

    def ask(tenant: str) -> None:
        try:
            for _ in range(15):
                rows = snowflake.execute(queries[tenant], timeout_s=5, row_cap=10).rows
                assert rows == ((("a1",),) if tenant == "acme" else (("g1",),))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(t,)) for t in ("acme", "globex", "acme", "globex")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for role, sql in server.statements:
        if sql.upper().startswith("SELECT"):
            assert role == tenant_role("TENANT_{tenant}", "acme" if "'acme'" in sql else "globex")


def test_a_session_that_cannot_drop_secondary_roles_is_never_used(server: StandIn) -> None:
    server.refuse_secondary = True
    wh = _warehouse(server)
    guard = _guard()
    with pytest.raises(WarehouseMissingError, match="TENANT_ACME"):
        wh.execute(guard(ACCOUNTS, tenant_id="acme"), timeout_s=5, row_cap=10)
    assert not any("dim_accounts" in sql.lower() for _, sql in server.statements)
    assert "TENANT_ACME" in server.closed
    wh.close()


def test_role_names_match_the_setup_script_and_sessions_are_bounded(
    snowflake: SnowflakeWarehouse, server: StandIn
) -> None:
    from pathlib import Path

    setup = (Path(__file__).resolve().parents[2] / "dbt" / "snowflake" / "multi_tenant_setup.sql").read_text()
    for tenant in ("nordwind-fashion", "alpin-sport", "casa-living"):
        assert f"('{tenant_role('TENANT_{tenant}', tenant)}', '{tenant}')" in setup  # TENANT_ROLE_MAP row
    with pytest.raises(WarehouseQueryError, match="no valid Snowflake role"):
        tenant_role("tenant {tenant}", "acme")
    wh = _warehouse(server, max_connections=2)
    guard = _guard()
    for tenant in ("acme", "globex", "initech"):
        wh.execute(guard(ACCOUNTS, tenant_id=tenant), timeout_s=5, row_cap=1)
    assert server.closed == ["TENANT_ACME"]  # the least recently used session made room
    wh.close()
    single = _warehouse(server, tenant_role_template=None)
    single.execute(guard(ACCOUNTS, tenant_id="acme"), timeout_s=5, row_cap=1)
    assert server.opened[-1] == "MERCURIOS_ASSISTANT"
    single.close()
