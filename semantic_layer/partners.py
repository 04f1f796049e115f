"""Whether a metric counts facts that have no partner in an entity (a room-night with no reservation).

A dimension reached through an entity join (`reservation__channel_group` from the room-nights) is
empty on the facts whose foreign key is empty: filtering or grouping by it keeps only the facts with
a partner. For a sum that is what was asked (the room revenue of OTA bookings); for a ratio whose
denominator counts the partnerless facts and whose numerator does not (occupancy: available
room-nights, mostly vacant, over occupied ones, each with its stay), it is not: the denominator
shrinks to the numerator's facts and every such rate reads 100 %. The question is answered from the
data, as the tenant sees it: the metric with the entity's key empty, one guarded query.
"""

from __future__ import annotations

import decimal

from guardrails.errors import InternalError
from semantic_layer.compiler import explain_mf_error
from semantic_layer.project import MF_LOCK, SemanticProject
from semantic_layer.protocols import SqlGuard, Warehouse


def partnerless_sql(project: SemanticProject, metric: str, entity: str, dialect: str) -> str:
    """Compiled SQL of `metric` over the facts whose `entity` key is empty (compiled once per
    manifest, kept in the project's cache)."""

    def build() -> str:
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest
        from metricflow_semantics.errors.error_classes import MetricFlowException

        request = MetricFlowQueryRequest.create(
            metric_names=[metric], where_constraints=[f"{{{{ Entity('{entity}') }}}} IS NULL"]
        )
        try:
            with MF_LOCK:
                result = project.engine(dialect).explain(request)
        except MetricFlowException as exc:
            raise InternalError(
                f"cannot compile {metric} without {entity}: {explain_mf_error(exc)}", code="compile_failed"
            ) from exc
        sql: str = result.sql_statement.sql
        return sql

    return project.cached_sql(("partnerless", metric, entity, dialect), build)


def counts_partnerless_facts(
    project: SemanticProject,
    warehouse: Warehouse,
    metric: str,
    entity: str,
    tenant_id: str | None,
    guard: SqlGuard,
    *,
    timeout_s: float = 30.0,
) -> bool:
    """Whether `metric` has a value other than zero over the facts with no `entity` (as `tenant_id`
    sees them). False when the metric cannot be asked so (the entity is not one of its models')."""
    try:
        sql = partnerless_sql(project, metric, entity, warehouse.dialect)
    except InternalError:
        return False
    result = warehouse.execute(guard(sql, tenant_id=tenant_id), timeout_s=timeout_s, row_cap=1)
    if not result.rows:
        return False
    value = result.rows[0][-1]
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        return False
    return value != 0
