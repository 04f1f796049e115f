"""How the engine reports what goes wrong: the user's (or the planner's) fault as an error event
with a stable code and a log line without a traceback; ours as a generic message and a traceback.

Planner-written SQL (the LLM fallback, and the red team's hostile statements) can pass the guard —
it is scoped and read-only — and still be refused by the warehouse (a string compared with a
number, a failed cast): that statement is the planner's fault, not an internal error.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest

from assistant.core.context import RequestContext
from assistant.core.engine import Engine
from assistant.core.events import ErrorEvent, Event
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from eval.hostile_sql import HostileSqlPlanner
from guardrails.guarded_sql import GuardedSql
from semantic_layer.errors import WarehouseQueryError
from semantic_layer.facade import SemanticLayer
from semantic_layer.protocols import QueryResult, Warehouse
from tests.demo import DemoWarehouse

NORDWIND = "nordwind-fashion"
CTX = RequestContext(tenant_id=NORDWIND, as_of=date(2026, 10, 31))


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.fixture(scope="module")
def sql_engine(layer: SemanticLayer) -> tuple[Engine, HostileSqlPlanner]:
    planner = HostileSqlPlanner()
    return Engine(layer, WarehouseTenantDirectory(layer.warehouse), planner=planner), planner


def _error(events: list[Event]) -> ErrorEvent:
    errors = [e for e in events if isinstance(e, ErrorEvent)]
    assert errors, [e.type for e in events]
    return errors[0]


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    "sql",
    [
        "select * from marts.dim_stores where store_id > 0",  # VARCHAR vs INTEGER: a binder error
        "select cast(store_name as int) from marts.dim_stores",  # a failed cast at run time
        "select (select store_id from marts.dim_stores) as s",  # a scalar subquery of many rows
    ],
)
def test_generated_sql_the_warehouse_refuses_is_a_user_facing_error_without_a_traceback(
    sql_engine: tuple[Engine, HostileSqlPlanner], sql: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine, planner = sql_engine
    planner.use(sql)
    with caplog.at_level(logging.INFO):
        error = _error(list(engine.ask("anything", CTX)))
    assert error.code == "generated_sql_failed", error
    assert "on our side" not in error.message and "rephras" in error.message
    assert _tracebacks(caplog) == [], [r.getMessage() for r in caplog.records]
    assert any("generated_sql_failed" in r.getMessage() for r in caplog.records)


def test_a_guard_rejection_keeps_its_code_and_is_logged_without_a_traceback(
    sql_engine: tuple[Engine, HostileSqlPlanner], caplog: pytest.LogCaptureFixture
) -> None:
    engine, planner = sql_engine
    planner.use("delete from marts.fct_sales where is_return")
    with caplog.at_level(logging.INFO):
        error = _error(list(engine.ask("clean up returns", CTX)))
    assert error.code == "guard_rejected"
    assert _tracebacks(caplog) == []
    assert any("guard_rejected" in r.getMessage() for r in caplog.records)


class _DeadWarehouse:
    """A warehouse that dies once armed: every query but the data version's then fails with our
    (internal) error."""

    def __init__(self, inner: Warehouse) -> None:
        self.inner = inner
        self.armed = False

    @property
    def dialect(self) -> str:
        return self.inner.dialect

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        if not self.armed or "data_versions" in guarded.sql:
            return self.inner.execute(guarded, timeout_s=timeout_s, row_cap=row_cap)
        raise WarehouseQueryError("the warehouse connection was lost")

    def fingerprint(self) -> str:
        return self.inner.fingerprint()


def test_a_real_internal_error_still_logs_a_traceback(
    demo_warehouse: DemoWarehouse, caplog: pytest.LogCaptureFixture
) -> None:
    dead_layer = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    dead = _DeadWarehouse(dead_layer.warehouse)
    dead_layer.warehouse = dead
    planner = HostileSqlPlanner()
    planner.use("select count(*) from marts.dim_stores")
    engine = Engine(dead_layer, WarehouseTenantDirectory(dead), planner=planner)
    engine.knowledge.for_tenant(NORDWIND)  # the tenant's words are loaded; then the warehouse dies
    dead.armed = True
    with caplog.at_level(logging.INFO):
        error = _error(list(engine.ask("how many stores", CTX)))
    assert error.code == "warehouse_error" and "on our side" in error.message
    assert [r for r in _tracebacks(caplog) if "internal error answering" in r.getMessage()]
    # the verified road: a warehouse failing MetricFlow's own SQL is ours as well
    caplog.clear()
    verified = Engine(dead_layer, WarehouseTenantDirectory(dead), knowledge=engine.knowledge)
    with caplog.at_level(logging.INFO):
        error = _error(list(verified.ask("net sales last month", CTX)))
    assert error.code == "warehouse_error" and _tracebacks(caplog)
