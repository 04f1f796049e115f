"""A subscription's focus (metrics, stores, categories), checked against the tenant's own catalog.

Focus values are words a user typed, stored in a row anyone with database access could edit. So
they are checked twice: at subscribe time an unknown value is refused with a clear error, and at
run time values the tenant does not have are dropped (and noted) — a row edited to name another
tenant's store can never widen what the digest shows; it only narrows the tenant's own insights.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.insights.fetch import as_float
from assistant.core.insights.model import InsightReport
from assistant.core.insights.protocols import MetricSource
from assistant.core.insights.roles import insight_roles
from guardrails.errors import UserError
from semantic_layer.catalog import Catalog
from semantic_layer.query import SemanticQuery


class InvalidFocusError(UserError):
    code = "invalid_focus"


@dataclass(frozen=True)
class TenantValues:
    """What one tenant has: metric names of the catalog, its store names and product categories."""

    metrics: frozenset[str]
    stores: frozenset[str]
    categories: frozenset[str]


@dataclass(frozen=True)
class Focus:
    metrics: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.metrics or self.stores or self.categories)


def tenant_values(source: MetricSource, tenant_id: str, catalog: Catalog) -> TenantValues:
    """The tenant's stores and categories (the values of the project's `location` and product
    `group` dimensions, insights/roles.py), read through the tenant guard like any other query."""
    roles = insight_roles(catalog)
    metric = roles.activity

    def groups(dimension: str | None) -> frozenset[str]:
        if dimension is None or dimension not in metric.dimensions:
            return frozenset()
        query = SemanticQuery(metrics=(metric.name,), group_by=(dimension,))
        return frozenset(
            str(r[dimension])
            for r in source.query(query, tenant_id).records()
            if r[dimension] is not None and as_float(r[metric.name]) >= 0
        )

    return TenantValues(
        metrics=frozenset(m.name for m in catalog.metrics),
        stores=groups(roles.location.name if roles.location else None),
        categories=groups(roles.group.name if roles.group else None),
    )


def check_focus(focus: Focus, values: TenantValues) -> None:
    """Subscribe time: every focus value must be the tenant's own."""
    problems = [
        f"{kind} {v!r}"
        for kind, given, known in (
            ("metric", focus.metrics, values.metrics),
            ("store", focus.stores, values.stores),
            ("category", focus.categories, values.categories),
        )
        for v in given
        if v not in known
    ]
    if problems:
        raise InvalidFocusError(
            "unknown focus value(s) for this tenant: "
            + ", ".join(problems[:10])
            + " — use names from the catalog"
        )


def effective_focus(focus: Focus, values: TenantValues) -> tuple[Focus, tuple[str, ...]]:
    """Run time: the focus restricted to the tenant's own values, and what was ignored."""
    kept = Focus(
        metrics=tuple(m for m in focus.metrics if m in values.metrics),
        stores=tuple(s for s in focus.stores if s in values.stores),
        categories=tuple(c for c in focus.categories if c in values.categories),
    )
    ignored = tuple(
        v
        for given, known in (
            (focus.metrics, values.metrics),
            (focus.stores, values.stores),
            (focus.categories, values.categories),
        )
        for v in given
        if v not in known
    )
    return kept, ignored


def apply_focus(report: InsightReport, focus: Focus, values: TenantValues) -> InsightReport:
    """Keep the insights about the focus: a store/category insight only for a focus store/category
    (when any are set), and only insights on focus metrics (when any are set). Only ever removes."""
    if focus.empty:
        return report
    kept = []
    for insight in report.insights:
        if focus.metrics and not set(insight.query.metrics) & set(focus.metrics):
            continue
        if focus.stores and insight.subject in values.stores and insight.subject not in focus.stores:
            continue
        if (
            focus.categories
            and insight.subject in values.categories
            and insight.subject not in focus.categories
        ):
            continue
        kept.append(insight)
    return report.model_copy(update={"insights": tuple(kept)})
