"""Rule `read_only`: the statement is a query — SELECT, or UNION / INTERSECT / EXCEPT of queries.

Everything else (DML, DDL, ATTACH, COPY, PRAGMA, SET, INSTALL/LOAD, and every statement sqlglot
could only keep as an unparsed `Command`) is refused by kind, before any other rule looks at it.
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import GuardRejection
from guardrails.rules.context import RuleContext

NAME = "read_only"


def apply(tree: exp.Expr, ctx: RuleContext) -> exp.Expr:
    if isinstance(tree, exp.Command):
        raise GuardRejection(
            NAME, f"{str(tree.this).upper()} statements are not allowed; only SELECT queries"
        )
    if not isinstance(tree, exp.Select | exp.Union | exp.Intersect | exp.Except):
        raise GuardRejection(NAME, f"{tree.key.upper()} statements are not allowed; only SELECT queries")
    return tree
