"""Errors of the semantic layer, each with a stable `code` the channels can show and test on.

They subclass the one hierarchy in `guardrails.errors`: the user's fault (an unknown metric, a
grain finer than the data, a query that ran too long) versus ours (a warehouse that died).
"""

from __future__ import annotations

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


class UnsupportedDialectError(ConfigError):
    code = "unsupported_dialect"


class WarehouseMissingError(ConfigError):
    """The warehouse (file, account) is not there: build it or fix the settings."""

    code = "warehouse_missing"


class QueryTimeoutError(UserError):
    """The query ran longer than allowed; narrow it (time range, fewer dimensions)."""

    code = "query_timeout"


class WarehouseQueryError(InternalError):
    """The warehouse refused or failed a guarded query: that is a bug of ours or a dead service."""

    code = "warehouse_error"
