"""The embedded warehouse: a DuckDB file opened read-only.

Defence in depth under the guard: the file is attached read-only (the only database left), the
connection cannot touch files or the network (`enable_external_access=false`), and cannot be
reconfigured by a statement (`lock_configuration=true`). Each thread gets its own cursor (DuckDB
cursors are not thread-safe); a timer interrupts a statement that runs past its timeout. When the
file is replaced (a rebuild swaps a new warehouse in), the next query reconnects.

The file is ATTACHed under a fixed catalog name rather than opened directly: opened directly, its
stem becomes the catalog name, and the compiled SQL names relations `schema.table` (the semantic
layer strips dbt's database, which changes with the file name) — so a schema named like the file
(`logistics.fct_x` in `logistics.duckdb`) would be ambiguous between catalog and schema, and every
query would fail. Under `CATALOG` (or a variant, should a schema be called that) it cannot be.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from guardrails.guarded_sql import GuardedSql
from semantic_layer.errors import (
    QueryTimeoutError,
    WarehouseMissingError,
    WarehouseQueryError,
    WarehouseStatementError,
    error_kind,
)
from semantic_layer.protocols import CellValue, QueryResult, ResultColumn, require_guarded

CATALOG = "mercurios_warehouse"


@dataclass(frozen=True)
class DuckDbSettings:
    """DuckDB's own knobs, when set: worker threads per query (default: one per core — with several
    server workers on few cores, fewer threads each can serve more at once) and its memory limit
    (default: 80 % of RAM, per process)."""

    threads: int | None = None
    memory_limit: str | None = None  # DuckDB's syntax: '2GB', '512MB'


@dataclass(frozen=True)
class _Connection:
    fingerprint: str
    connection: duckdb.DuckDBPyConnection
    catalog: str


def _open(path: Path, settings: DuckDbSettings) -> tuple[duckdb.DuckDBPyConnection, str]:
    """An in-memory DuckDB with only `path` attached read-only, under a catalog name that no schema
    of the file has, locked down (see the module docstring). Only the attached file's own schema
    names are read (`duckdb_schemas()`), not the information_schema views over every catalog."""
    con = duckdb.connect(":memory:")
    try:
        literal = str(path).replace("'", "''")
        catalog = CATALOG
        con.execute(f"ATTACH '{literal}' AS {catalog} (READ_ONLY)")
        schemas = {
            str(r[0]).lower()
            for r in con.execute(
                "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ?", [catalog]
            ).fetchall()
        }
        if catalog in schemas:  # a schema called like our catalog: attach under a free name instead
            free = next(
                f"{CATALOG}_{i}" for i in range(1, len(schemas) + 2) if f"{CATALOG}_{i}" not in schemas
            )
            con.execute(f"DETACH {catalog}")
            catalog = free
            con.execute(f"ATTACH '{literal}' AS {catalog} (READ_ONLY)")
        con.execute(f"USE {catalog}")
        con.execute("DETACH memory")  # nothing writable is left to write to
        if settings.threads is not None:
            con.execute(f"SET threads = {int(settings.threads)}")
        if settings.memory_limit is not None:
            con.execute("SET memory_limit = ?", [settings.memory_limit])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error:
        con.close()
        raise
    return con, catalog


class DuckDbWarehouse:
    """`Warehouse` over a DuckDB file (see module docstring)."""

    dialect = "duckdb"

    def __init__(self, path: Path, settings: DuckDbSettings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings or DuckDbSettings()
        self._lock = threading.Lock()
        self._shared: _Connection | None = None
        self._local = threading.local()

    def fingerprint(self) -> str:
        """mtime and size of the file: changes whenever the warehouse is rebuilt."""
        try:
            stat = self.path.stat()
        except FileNotFoundError as exc:
            raise WarehouseMissingError(
                f"the warehouse file {self.path} does not exist: build it first (`mercurios build`)"
            ) from exc
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def _connection(self) -> _Connection:
        fingerprint = self.fingerprint()
        with self._lock:
            if self._shared is None or self._shared.fingerprint != fingerprint:
                if self._shared is not None:
                    self._shared.connection.close()
                try:
                    con, catalog = _open(self.path, self.settings)
                except duckdb.Error as exc:
                    raise WarehouseMissingError(f"cannot open the warehouse {self.path}: {exc}") from exc
                self._shared = _Connection(fingerprint, con, catalog)
            return self._shared

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        shared = self._connection()
        local = self._local
        if getattr(local, "owner", None) is not shared:
            local.owner = shared
            local.cursor = shared.connection.cursor()
            local.cursor.execute(f"USE {shared.catalog}")  # a new cursor starts in the default catalog
        cursor: duckdb.DuckDBPyConnection = local.cursor
        return cursor

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        guarded = require_guarded(guarded)
        if guarded.dialect != self.dialect:
            raise WarehouseQueryError(f"SQL guarded for {guarded.dialect} cannot run on DuckDB")
        cursor = self._cursor()
        timer = threading.Timer(timeout_s, cursor.interrupt)
        started = time.perf_counter()
        timer.start()
        try:
            cursor.execute(guarded.sql)
            description = cursor.description or []
            fetched = cursor.fetchmany(row_cap + 1)
        except duckdb.InterruptException as exc:
            raise QueryTimeoutError(
                f"the query ran longer than {timeout_s:g} s and was stopped; "
                "narrow the time range or the breakdown"
            ) from exc
        except (duckdb.ProgrammingError, duckdb.DataError) as exc:  # the statement's own fault
            first = _first_line(exc)
            raise WarehouseStatementError(
                f"DuckDB refused the query: {first}", kind=error_kind(first)
            ) from exc
        except duckdb.Error as exc:
            raise WarehouseQueryError(f"DuckDB refused the query: {_first_line(exc)}") from exc
        finally:
            timer.cancel()
        elapsed_ms = (time.perf_counter() - started) * 1000
        columns = tuple(ResultColumn(str(d[0]), str(d[1]).upper()) for d in description)
        rows: tuple[tuple[CellValue, ...], ...] = tuple(tuple(r) for r in fetched[:row_cap])
        return QueryResult(
            columns=columns, rows=rows, truncated=len(fetched) > row_cap, elapsed_ms=elapsed_ms
        )

    def close(self) -> None:
        with self._lock:
            if self._shared is not None:
                self._shared.connection.close()
                self._shared = None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
