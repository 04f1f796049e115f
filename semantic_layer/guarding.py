"""From a dbt project and its tenancy configuration to the guard that scopes its SQL.

Tenancy is configuration: which column carries the tenant, which relations are tenant-neutral
(the time spine), or that the project is explicitly single-tenant. The guard itself lives in
`guardrails.sql`; this module only builds its policy from what the semantic manifest reads, plus
a separate policy for the internal metadata table `mercurios_meta.data_versions`.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from guardrails.guard_policy import Dialect, GuardPolicy, RelationName, RelationPolicy
from guardrails.guarded_sql import GuardedSql
from guardrails.policies import policy_from_relations
from semantic_layer.project import SemanticProject
from semantic_layer.protocols import SqlGuard

DATA_VERSIONS_RELATION = RelationName("mercurios_meta", "data_versions")


def policy_for_project(
    project: SemanticProject,
    *,
    dialect: Dialect,
    tenant_column: str = "tenant_id",
    tenant_neutral: Iterable[str] = ("metricflow_time_spine",),
    single_tenant: bool = False,
    max_rows: int = 10_000,
) -> GuardPolicy:
    """A policy that allows exactly the relations the project's semantic models and time spines read."""
    relations = project.relations()
    schemas = Counter(schema for schema, _ in relations)
    default_schema = schemas.most_common(1)[0][0] if schemas else "marts"
    neutral = {*tenant_neutral, *(f"{s}.{t}" for s, t in project.time_spine_relations())}
    return policy_from_relations(
        [f"{s}.{t}" for s, t in relations],
        dialect=dialect,
        tenant_column=None if single_tenant else tenant_column,
        tenant_neutral=neutral,
        default_schema=default_schema,
        single_tenant=single_tenant,
        max_rows=max_rows,
    )


def data_versions_policy(dialect: Dialect) -> GuardPolicy:
    """The policy for the one metadata read: `mercurios_meta.data_versions`, scoped by `tenant_id`.

    Kept apart from the project's policy so that user queries can never read metadata tables.
    """
    return GuardPolicy(
        dialect=dialect,
        relations={DATA_VERSIONS_RELATION: RelationPolicy("tenant_id")},
        default_schema=DATA_VERSIONS_RELATION.schema,
        max_rows=1,
    )


_GUARDED_CACHE_SIZE = 1024


@dataclass(frozen=True)
class PolicyGuard:
    """`SqlGuard` that calls `guardrails.sql.guard_sql` with a fixed policy.

    The guard is a pure function of (SQL, tenant, policy) that parses and re-generates the SQL
    (milliseconds for MetricFlow's nested queries), and compiled SQL repeats: the same question
    after a data load, digests, follow-ups. What it allowed is kept, bounded, per (SQL, tenant);
    a refusal is never kept (it is raised again, each time, by the guard itself).
    """

    policy: GuardPolicy
    _allowed: OrderedDict[tuple[str, str | None], GuardedSql] = field(
        default_factory=OrderedDict, compare=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def __call__(self, sql: str, *, tenant_id: str | None) -> GuardedSql:
        from guardrails.sql import guard_sql  # the guard module is optional at import time of this package

        key = (sql, tenant_id)
        with self._lock:
            cached = self._allowed.get(key)
            if cached is not None:
                self._allowed.move_to_end(key)
                return cached
        guarded: GuardedSql = guard_sql(sql, tenant_id=tenant_id, policy=self.policy)
        with self._lock:
            self._allowed[key] = guarded
            while len(self._allowed) > _GUARDED_CACHE_SIZE:
                self._allowed.popitem(last=False)
        return guarded


def policy_guard(policy: GuardPolicy) -> SqlGuard:
    return PolicyGuard(policy)
