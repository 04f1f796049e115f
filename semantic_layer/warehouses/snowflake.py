"""Snowflake behind the same `Warehouse` protocol: read-only roles, one per tenant.

Every guarded query runs in a session whose primary role is the query's tenant role
(`TENANT_<ID>` by default; `tenant_role_template`), with secondary roles switched off, so the
row access policies of dbt/snowflake/multi_tenant_setup.sql show that tenant's rows and no
others — a second fence behind the guard's `tenant_id = '…'` predicate, enforced by Snowflake.
Sessions are never switched between tenants: each tenant role has its own connection (a bounded
LRU), so two threads answering two tenants cannot race on `USE ROLE`. Queries without a tenant
(a single-tenant project) use the configured base role.

Two timeouts: `STATEMENT_TIMEOUT_IN_SECONDS` on the session (the server stops a runaway query
even if this process dies) and the connector's per-call `timeout` (it cancels the query server
side and raises here, so a request never waits longer than asked). Imported only when the
settings choose Snowflake.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import snowflake.connector
from snowflake.connector.constants import FIELD_ID_TO_NAME
from snowflake.connector.errors import DatabaseError, Error, ProgrammingError

from guardrails.guarded_sql import GuardedSql
from semantic_layer.errors import (
    QueryTimeoutError,
    WarehouseMissingError,
    WarehouseQueryError,
    WarehouseStatementError,
    error_kind,
)
from semantic_layer.protocols import CellValue, QueryResult, ResultColumn, require_guarded

_QUERY_CANCELLED = 604  # Snowflake's errno for a statement cancelled by timeout
_STATEMENT_TIMEOUT = 630
_ROLE = re.compile(r"^[A-Z_][A-Z0-9_$]{0,254}$")
DEFAULT_TENANT_ROLE_TEMPLATE = "TENANT_{tenant}"


def tenant_role(template: str, tenant_id: str) -> str:
    """`TENANT_{tenant}` + "nordwind-fashion" → TENANT_NORDWIND_FASHION (the setup script's names)."""
    role = template.format(tenant=re.sub(r"[^A-Za-z0-9]", "_", tenant_id).upper())
    if not _ROLE.fullmatch(role):
        raise WarehouseQueryError(f"no valid Snowflake role for tenant {tenant_id!r} (got {role!r})")
    return role


class SnowflakeWarehouse:
    """`Warehouse` over a Snowflake account; one connection, one cursor per query."""

    dialect = "snowflake"

    def __init__(
        self,
        *,
        account: str,
        user: str,
        password: str | None,
        role: str,
        warehouse: str,
        database: str,
        schema: str,
        statement_timeout_s: float = 60.0,
        tenant_role_template: str | None = DEFAULT_TENANT_ROLE_TEMPLATE,
        secondary_roles_none: bool = True,
        max_connections: int = 32,
        connect: Callable[..., Any] | None = None,
    ) -> None:
        """`tenant_role_template` None: every query runs as `role` (no per-tenant sessions).
        `connect` is the Snowflake connector's by default (a stand-in server's in tests)."""
        self._tenant_role_template = tenant_role_template
        self._secondary_roles_none = secondary_roles_none
        self._max_connections = max(1, max_connections)
        self._connect = connect or snowflake.connector.connect
        self._base_role = role
        self._params: dict[str, Any] = {
            "account": account,
            "user": user,
            "password": password,
            "role": role,
            "warehouse": warehouse,
            "database": database,
            "schema": schema,
            "session_parameters": {
                "STATEMENT_TIMEOUT_IN_SECONDS": max(1, math.ceil(statement_timeout_s)),
                "QUERY_TAG": "mercurios-assistant",
            },
        }
        self._identity = f"{account}/{database}.{schema}"
        self._lock = threading.Lock()
        self._connections: OrderedDict[str, Any] = OrderedDict()  # role -> connection, LRU

    def fingerprint(self) -> str:
        """Snowflake has no file to stat: the data version table is the only signal (see data_version)."""
        return self._identity

    def role_for(self, tenant_id: str | None) -> str:
        if tenant_id is None or not self._tenant_role_template:
            return self._base_role
        return tenant_role(self._tenant_role_template, tenant_id)

    def connection(self, role: str | None = None) -> Any:
        """The session of `role` (the base role by default), opened on first use."""
        role = role or self._base_role
        with self._lock:
            conn = self._connections.get(role)
            if conn is not None:
                self._connections.move_to_end(role)
                return conn
            conn = self._open(role)
            self._connections[role] = conn
            while len(self._connections) > self._max_connections:
                _, evicted = self._connections.popitem(last=False)
                evicted.close()
            return conn

    def _open(self, role: str) -> Any:
        try:
            conn = self._connect(**{**self._params, "role": role})
        except DatabaseError as exc:
            raise WarehouseMissingError(f"cannot connect to Snowflake {self._identity}: {exc.msg}") from exc
        if self._secondary_roles_none and role != self._base_role:
            # with the user's other tenant roles active as secondary roles, IS_ROLE_IN_SESSION
            # would open every tenant's rows: this session must hold its tenant role alone
            try:
                cursor = conn.cursor()
                cursor.execute("USE SECONDARY ROLES NONE")
                cursor.close()
            except Error as exc:
                conn.close()
                raise WarehouseMissingError(
                    f"cannot restrict the Snowflake session of {role} to that role: {exc}"
                ) from exc
        return conn

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        guarded = require_guarded(guarded)
        if guarded.dialect != self.dialect:
            raise WarehouseQueryError(f"SQL guarded for {guarded.dialect} cannot run on Snowflake")
        started = time.perf_counter()
        cursor = self.connection(self.role_for(guarded.tenant_id)).cursor()
        try:
            cursor.execute(guarded.sql, timeout=max(1, math.ceil(timeout_s)))
            description = cursor.description or []
            fetched = cursor.fetchmany(row_cap + 1)
        except ProgrammingError as exc:
            if exc.errno in (_QUERY_CANCELLED, _STATEMENT_TIMEOUT):
                raise QueryTimeoutError(f"the query ran longer than {timeout_s:g} s and was stopped") from exc
            raise WarehouseStatementError(
                f"Snowflake refused the query: {exc.msg}", kind=error_kind(str(exc.msg or ""))
            ) from exc
        except Error as exc:
            raise WarehouseQueryError(f"Snowflake failed: {exc}") from exc
        finally:
            cursor.close()
        elapsed_ms = (time.perf_counter() - started) * 1000
        columns = tuple(
            ResultColumn(str(d[0]), FIELD_ID_TO_NAME.get(int(d[1]), str(d[1])).upper()) for d in description
        )
        rows: tuple[tuple[CellValue, ...], ...] = tuple(tuple(r) for r in fetched[:row_cap])
        return QueryResult(
            columns=columns, rows=rows, truncated=len(fetched) > row_cap, elapsed_ms=elapsed_ms
        )

    @property
    def session_parameters(self) -> dict[str, object]:
        """The session parameters sent at connect (the statement timeout among them)."""
        return dict(self._params["session_parameters"])

    def close(self) -> None:
        with self._lock:
            for conn in self._connections.values():
                conn.close()
            self._connections.clear()
