"""`guard_sql`: turn SQL text into a `GuardedSql` — read-only, allow-listed, tenant-scoped, capped.

The only place a `GuardedSql` is minted. Pure: a function of the SQL text, the tenant and the
policy; no warehouse, no I/O. See `guardrails.rules` for the rules and their order.
"""

from __future__ import annotations

import re

from sqlglot.errors import SqlglotError

from guardrails.errors import GuardRejection
from guardrails.guard_policy import Dialect, GuardPolicy, RelationName, RelationPolicy
from guardrails.guarded_sql import GuardedSql, _mint
from guardrails.parsing import SINGLE_STATEMENT_RULE, parse_one_statement
from guardrails.rules import RULES, RuleContext

TENANT_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
TENANT_RULE = "tenant_id"

__all__ = [
    "Dialect",
    "GuardPolicy",
    "GuardRejection",
    "GuardedSql",
    "RelationName",
    "RelationPolicy",
    "guard_sql",
]


def guard_sql(sql: str, *, tenant_id: str | None, policy: GuardPolicy) -> GuardedSql:
    """Check `sql` against `policy` and rewrite it to read only `tenant_id`'s rows.

    Raises `GuardRejection` (a `UserError`) naming the rule that refused the query.
    `tenant_id` may be None only under an explicitly single-tenant policy.
    """
    _check_tenant(tenant_id, policy)
    tree = parse_one_statement(sql, policy.dialect)
    ctx = RuleContext(policy=policy, tenant_id=tenant_id)
    applied: list[str] = [SINGLE_STATEMENT_RULE]
    try:
        for rule in RULES:
            tree = rule.apply(tree, ctx)
            applied.append(rule.name)
        rendered = tree.sql(dialect=policy.dialect, comments=False)
    except RecursionError as exc:
        raise GuardRejection("parse", "the query is nested too deeply") from exc
    except SqlglotError as exc:
        raise GuardRejection("parse", f"the query cannot be rendered as {policy.dialect} SQL: {exc}") from exc
    return _mint(
        sql=rendered,
        tenant_id=tenant_id,
        dialect=policy.dialect,
        rules_applied=tuple(applied),
        original_sql=sql,
    )


def _check_tenant(tenant_id: str | None, policy: GuardPolicy) -> None:
    if tenant_id is None:
        if not policy.single_tenant:
            raise GuardRejection(TENANT_RULE, "a tenant is required: this project is not single-tenant")
        return
    if not TENANT_ID_PATTERN.fullmatch(tenant_id):
        raise GuardRejection(
            TENANT_RULE,
            "tenant id must be 1-63 characters of a-z, 0-9, '_' or '-', starting with a letter or digit",
        )
