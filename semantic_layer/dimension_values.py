"""Distinct values of categorical dimensions, per tenant, for retrieval ("Hamburg" → store__city).

Each list comes from a MetricFlow dimension-values query (group-by only, no metric), guarded with
the tenant and executed like any other query: nothing runs unguarded, and tenant A's values never
include tenant B's. A dimension with more than `cap` values is marked high-cardinality and keeps
only the first `cap` (sorted), which is what a retrieval index should hold.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from guardrails.errors import InternalError
from semantic_layer.catalog import Catalog
from semantic_layer.compiler import explain_mf_error
from semantic_layer.project import MF_LOCK, SemanticProject
from semantic_layer.protocols import SqlGuard, Warehouse


@dataclass(frozen=True)
class DimensionValues:
    dimension: str
    values: tuple[str, ...]
    truncated: bool  # more than `cap` distinct values: a high-cardinality dimension


def dimension_values_sql(project: SemanticProject, dimension: str, dialect: str) -> str:
    """Compiled SQL listing the distinct values of `dimension` (a categorical dimension name);
    compiled once per manifest (kept in the project's cache, on disk when it has one)."""
    inner = _values_sql(project, dimension, dialect)
    return f"SELECT v.{dimension} FROM (\n{inner}\n) AS v WHERE v.{dimension} IS NOT NULL ORDER BY 1"


def _values_sql(project: SemanticProject, dimension: str, dialect: str) -> str:
    def build() -> str:
        from metricflow_semantics.errors.error_classes import MetricFlowException

        engine = project.engine(dialect)
        try:
            with MF_LOCK:
                result = engine.explain_get_dimension_values(get_group_by_values=dimension)
        except MetricFlowException as exc:
            raise InternalError(
                f"cannot list values of {dimension}: {explain_mf_error(exc)}", code="compile_failed"
            ) from exc
        sql: str = result.sql_statement.sql
        return sql

    return project.cached_sql(("dimension_values", dimension, dialect), build)


def holds_empty_values(
    project: SemanticProject,
    warehouse: Warehouse,
    dimension: str,
    tenant_id: str | None,
    guard: SqlGuard,
    *,
    timeout_s: float = 30.0,
) -> bool:
    """Whether the table of `dimension` itself has rows where it is empty (a store with no region:
    the online shop), as `tenant_id` sees it. When it has none, an empty value of the dimension in a
    metric's result comes from facts with no partner in that table (a sale without a customer)."""
    inner = _values_sql(project, dimension, warehouse.dialect)
    sql = f"SELECT v.{dimension} FROM (\n{inner}\n) AS v WHERE v.{dimension} IS NULL LIMIT 1"
    result = warehouse.execute(guard(sql, tenant_id=tenant_id), timeout_s=timeout_s, row_cap=1)
    return bool(result.rows)


def load_dimension_values(
    project: SemanticProject,
    catalog: Catalog,
    warehouse: Warehouse,
    tenant_id: str | None,
    guard: SqlGuard,
    *,
    cap: int = 500,
    timeout_s: float = 30.0,
    only: Collection[str] | None = None,
) -> tuple[DimensionValues, ...]:
    """Values of every categorical dimension in the catalog (or of those in `only`), as `tenant_id`
    sees them."""
    out = []
    for dim in catalog.dimensions:
        if dim.type != "categorical" or dim.name.count("__") != 1:
            continue  # multi-hop names repeat a one-hop dimension and have no metric-free query
        if only is not None and dim.name not in only:
            continue
        sql = dimension_values_sql(project, dim.name, warehouse.dialect)
        result = warehouse.execute(guard(sql, tenant_id=tenant_id), timeout_s=timeout_s, row_cap=cap)
        values = tuple(str(row[0]) for row in result.rows)
        out.append(DimensionValues(dimension=dim.name, values=values, truncated=result.truncated))
    return tuple(out)
