"""Shared checks for the guard tests: run guarded SQL and prove it saw only one tenant's rows.

The proof is differential: a correctly scoped query returns exactly the same result on the full
three-tenant warehouse as on the oracle warehouse that holds only the caller's rows — any other
tenant's row that influenced a value, a count or a sum would make the two differ. On top of that
no returned value (or error message) may name another tenant.
"""

from __future__ import annotations

import datetime as dt
import decimal

import duckdb
from sqlglot import exp, parse_one

from guardrails.guard_policy import GuardPolicy
from guardrails.guarded_sql import GuardedSql
from tests.guardrails.guard_warehouse import TENANTS, Warehouses


def run(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return conn.execute(sql).fetchall()


def _normalise(value: object) -> object:
    if isinstance(value, float | decimal.Decimal):
        return round(float(value), 6)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return tuple(_normalise(v) for v in value)
    return value


def as_multiset(rows: list[tuple[object, ...]]) -> list[str]:
    """Rows in a comparable, order-free form (floats rounded: summation order may differ)."""
    return sorted(repr(tuple(_normalise(v) for v in row)) for row in rows)


def foreign_markers(text: str, tenant: str) -> list[str]:
    return [other for other in TENANTS if other != tenant and other in text]


def assert_scoped_by_execution(
    guarded: GuardedSql, warehouses: Warehouses, *, may_error: bool = False
) -> None:
    tenant = guarded.tenant_id
    assert tenant is not None
    try:
        full = run(warehouses.full, guarded.sql)
    except duckdb.Error as exc:
        assert may_error, f"guarded SQL failed to run: {exc}\n{guarded.sql}"
        assert not foreign_markers(str(exc), tenant), f"error message leaks another tenant: {exc}"
        return
    oracle = run(warehouses.oracles[tenant], guarded.sql)
    assert as_multiset(full) == as_multiset(oracle), f"result depends on other tenants' rows:\n{guarded.sql}"
    leaked = foreign_markers(repr(full), tenant)
    assert not leaked, f"rows name other tenants {leaked}:\n{guarded.sql}"


def assert_every_reference_filtered(guarded: GuardedSql, policy: GuardPolicy) -> None:
    """Structural check on the output SQL: each physical table sits alone in a tenant-filter subquery."""
    tree = parse_one(guarded.sql, read=policy.dialect)
    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        if not table.args.get("db"):
            assert table.name.lower() in cte_names, f"{table.sql()} is neither canonical nor a CTE"
            continue
        assert table.args.get("catalog") is None
        key = next(name for name in policy.relations if (name.schema, name.table) == (table.db, table.name))
        tenant_column = policy.relations[key].tenant_column
        if tenant_column is None:
            continue
        select = table.parent.parent if isinstance(table.parent, exp.From) else None
        assert isinstance(select, exp.Select), f"{table.sql()} is read outside a filter subquery"
        assert isinstance(select.parent, exp.Subquery)
        assert not select.args.get("joins")
        where = select.args["where"].this
        assert isinstance(where, exp.EQ)
        assert isinstance(where.this, exp.Column) and where.this.name == tenant_column
        assert isinstance(where.expression, exp.Literal) and where.expression.this == guarded.tenant_id
