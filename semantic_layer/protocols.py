"""The seams of the semantic layer: the warehouse that runs guarded SQL, and the guard itself.

`Warehouse.execute` takes a `GuardedSql` and nothing else — implementations check it at run
time too, so an honest mistake (passing a `str`) fails loudly instead of running unguarded SQL.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from guardrails.guarded_sql import GuardedSql

CellValue = str | int | float | bool | decimal.Decimal | dt.date | dt.datetime | dt.time | bytes | None


@dataclass(frozen=True)
class ResultColumn:
    name: str
    type: str  # the warehouse's type name, upper-case (DATE, DECIMAL(18,2), VARCHAR, ...)


@dataclass(frozen=True)
class QueryResult:
    """Rows of one executed query; `truncated` when the row cap cut it short."""

    columns: tuple[ResultColumn, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    truncated: bool
    elapsed_ms: float

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def records(self) -> list[dict[str, CellValue]]:
        """Rows as column→value mappings (for tests and JSON output)."""
        names = self.column_names
        return [dict(zip(names, row, strict=True)) for row in self.rows]


@runtime_checkable
class Warehouse(Protocol):
    """Runs guarded SQL read-only, with a timeout and a row cap."""

    @property
    def dialect(self) -> str: ...

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult: ...

    def fingerprint(self) -> str:
        """Something that changes whenever the warehouse's data may have changed (see data_version)."""
        ...


class SqlGuard(Protocol):
    """Turns compiled SQL into `GuardedSql` for one tenant, or raises a UserError."""

    def __call__(self, sql: str, *, tenant_id: str | None) -> GuardedSql: ...


def require_guarded(guarded: object) -> GuardedSql:
    """Shared run-time check of every `Warehouse.execute` implementation."""
    if not isinstance(guarded, GuardedSql):
        raise TypeError(
            "a warehouse executes only GuardedSql (from guardrails.sql.guard_sql), "
            f"not {type(guarded).__name__}"
        )
    return guarded
