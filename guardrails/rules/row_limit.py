"""Rule `row_limit`: the outermost query returns at most `policy.max_rows` rows.

A missing LIMIT is added, a larger one lowered; FETCH FIRST / TOP are normalised to LIMIT.
LIMIT/OFFSET must be integer literals (no percent, no WITH TIES, no expressions), so the cap
is visible in the SQL that runs and cannot be computed around.
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import GuardRejection
from guardrails.rules.context import RuleContext

NAME = "row_limit"


def apply(tree: exp.Expr, ctx: RuleContext) -> exp.Expr:
    max_rows = ctx.policy.max_rows
    current = tree.args.get("limit")
    offset = tree.args.get("offset")
    if isinstance(offset, exp.Offset) and _int_literal(offset.expression) is None:
        raise GuardRejection(NAME, "OFFSET must be a non-negative integer literal")
    requested: int | None = None
    if isinstance(current, exp.Limit | exp.Fetch):
        options = current.args.get("limit_options")
        if isinstance(options, exp.LimitOptions) and (
            options.args.get("percent") or options.args.get("with_ties")
        ):
            raise GuardRejection(NAME, "LIMIT ... PERCENT and WITH TIES are not allowed; use a row count")
        value = (
            current.args.get("expression") if isinstance(current, exp.Limit) else current.args.get("count")
        )
        requested = _int_literal(value) if value is not None else None
        if requested is None:
            raise GuardRejection(NAME, "LIMIT must be a non-negative integer literal")
    elif current is not None:
        raise GuardRejection(NAME, f"unsupported row limit {current.sql()[:40]!r}")
    rows = max_rows if requested is None else min(requested, max_rows)
    tree.set("limit", exp.Limit(expression=exp.Literal.number(rows)))
    return tree


def _int_literal(node: object) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        return int(node.this)
    return None
