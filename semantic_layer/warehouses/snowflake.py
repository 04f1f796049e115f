"""Snowflake behind the same `Warehouse` protocol, with the read-only role.

Two timeouts: `STATEMENT_TIMEOUT_IN_SECONDS` on the session (the server stops a runaway query
even if this process dies) and the connector's per-call `timeout` (it cancels the query server
side and raises here, so a request never waits longer than asked). Imported only when the
settings choose Snowflake.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

import snowflake.connector
from snowflake.connector.constants import FIELD_ID_TO_NAME
from snowflake.connector.errors import DatabaseError, Error, ProgrammingError

from guardrails.guarded_sql import GuardedSql
from semantic_layer.errors import QueryTimeoutError, WarehouseMissingError, WarehouseQueryError
from semantic_layer.protocols import CellValue, QueryResult, ResultColumn, require_guarded

_QUERY_CANCELLED = 604  # Snowflake's errno for a statement cancelled by timeout
_STATEMENT_TIMEOUT = 630


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
    ) -> None:
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
        self._connection: Any = None

    def fingerprint(self) -> str:
        """Snowflake has no file to stat: the data version table is the only signal (see data_version)."""
        return self._identity

    def connection(self) -> Any:
        with self._lock:
            if self._connection is None:
                try:
                    self._connection = snowflake.connector.connect(**self._params)
                except DatabaseError as exc:
                    raise WarehouseMissingError(
                        f"cannot connect to Snowflake {self._identity}: {exc.msg}"
                    ) from exc
            return self._connection

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        guarded = require_guarded(guarded)
        if guarded.dialect != self.dialect:
            raise WarehouseQueryError(f"SQL guarded for {guarded.dialect} cannot run on Snowflake")
        started = time.perf_counter()
        cursor = self.connection().cursor()
        try:
            cursor.execute(guarded.sql, timeout=max(1, math.ceil(timeout_s)))
            description = cursor.description or []
            fetched = cursor.fetchmany(row_cap + 1)
        except ProgrammingError as exc:
            if exc.errno in (_QUERY_CANCELLED, _STATEMENT_TIMEOUT):
                raise QueryTimeoutError(f"the query ran longer than {timeout_s:g} s and was stopped") from exc
            raise WarehouseQueryError(f"Snowflake refused the query: {exc.msg}") from exc
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
            if self._connection is not None:
                self._connection.close()
                self._connection = None
