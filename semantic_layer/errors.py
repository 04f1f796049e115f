"""Errors of the semantic layer, each with a stable `code` the channels can show and test on.

They subclass the one hierarchy in `guardrails.errors`: the user's fault (an unknown metric, a
grain finer than the data, a query that ran too long) versus ours (a warehouse that died).
"""

from __future__ import annotations

import re

from guardrails.errors import ConfigError, InternalError, NotFoundError, UserError


class SemanticProjectError(ConfigError):
    """The dbt project is missing, broken, or its semantic manifest cannot be read."""

    code = "semantic_project"


class UnknownMetricError(NotFoundError):
    code = "unknown_metric"


class UnknownDimensionError(NotFoundError):
    code = "unknown_dimension"


class InvalidGrainError(UserError):
    code = "invalid_grain"


class UnreachableDimensionError(UserError):
    """The dimension exists but cannot be joined to (one of) the metrics asked for."""

    code = "unreachable_dimension"


class InvalidQueryError(UserError):
    """Anything else MetricFlow (or our validation) refuses, with its explanation."""

    code = "invalid_query"


class InvalidFilterValueError(UserError):
    """A filter value the warehouse cannot read as its dimension's type ('notabool' for a boolean,
    'soon' for a date): the caller's value, not our SQL — the only literals of a semantic query
    that come from outside are its filter values."""

    code = "invalid_filter_value"


def is_value_conversion(kind: str) -> bool:
    """Whether a warehouse error class (`WarehouseStatementError.kind`) is a failed conversion of a
    value: DuckDB's 'Conversion Error', or SQLSTATE class 22 (data exception) as Snowflake reports
    it ('100037 (22018)')."""
    return kind.startswith("Conversion Error") or "(22" in kind


class UnsupportedDialectError(ConfigError):
    code = "unsupported_dialect"


class WarehouseMissingError(ConfigError):
    """The warehouse (file, account) is not there: build it or fix the settings."""

    code = "warehouse_missing"


class WarehouseOutdatedError(ConfigError):
    """The warehouse lacks a column that the dbt project's semantic models read: it was built from
    an older version of the project (e.g. before a column was added to a mart) and must be rebuilt."""

    code = "warehouse_outdated"


# A column the statement names is not in the table: DuckDB's binder, Snowflake's compiler (000904).
_MISSING_COLUMN = re.compile(
    r"""Referenced column "(?P<duckdb>[^"]+)" not found"""
    r"""|invalid identifier '(?:[^'.]+\.)?(?P<snowflake>[^'.]+)'""",
    re.IGNORECASE,
)


def missing_column(message: str) -> str | None:
    """The column a warehouse error says the statement named but the table lacks, if that is the error."""
    found = _MISSING_COLUMN.search(message)
    if found is None:
        return None
    return found.group("duckdb") or found.group("snowflake")


class QueryTimeoutError(UserError):
    """The query ran longer than allowed; narrow it (time range, fewer dimensions)."""

    code = "query_timeout"


class WarehouseQueryError(InternalError):
    """The warehouse refused or failed a guarded query: that is a bug of ours or a dead service."""

    code = "warehouse_error"


class WarehouseStatementError(WarehouseQueryError):
    """The warehouse refused the statement itself — binding, types, a failed cast, a scalar subquery
    of many rows — not the service. For SQL MetricFlow compiled that is still our bug (hence an
    internal error); for SQL a planner wrote (the guarded fallback) it is that statement's fault,
    and the engine reports it to the user as such. `kind` is the warehouse's class of error
    ("Binder Error", "SQL compilation error"), safe to show; the full message stays in logs."""

    code = "warehouse_statement_error"

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def error_kind(message: str, default: str = "statement error") -> str:
    """'Binder Error: Cannot compare …' → 'Binder Error' (the warehouse's class, without values)."""
    head, sep, _ = message.strip().partition(":")
    return head.strip() if sep and 0 < len(head.strip()) <= 40 else default
