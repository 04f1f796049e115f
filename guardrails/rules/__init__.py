"""The guard rules, in the order they run (like sqlglot's optimizer `RULES`).

Checks come first, cheapest and most fundamental first; the two rewrites (`tenant_scope`,
`row_limit`) run last, on a tree every check has accepted.
"""

from __future__ import annotations

from guardrails.rules import (
    functions,
    join_conditions,
    joins,
    read_only,
    recursive_ctes,
    relations,
    row_limit,
    syntax,
    tenant_scope,
)
from guardrails.rules.context import GuardRule, RuleContext

RULES: tuple[GuardRule, ...] = (
    GuardRule(read_only.NAME, read_only.apply),
    GuardRule(syntax.NAME, syntax.apply),
    GuardRule(recursive_ctes.NAME, recursive_ctes.apply),
    GuardRule(relations.NAME, relations.apply),
    GuardRule(functions.NAME, functions.apply),
    GuardRule(joins.NAME, joins.apply),
    GuardRule(join_conditions.NAME, join_conditions.apply),
    GuardRule(tenant_scope.NAME, tenant_scope.apply),
    GuardRule(row_limit.NAME, row_limit.apply),
)

__all__ = ["RULES", "GuardRule", "RuleContext"]
