"""Rule `functions`: every function call is on the policy's allow-list (see `function_allowlist`).

Schema-qualified calls (`pg_catalog.current_setting(...)`, `system.foo()`) are refused outright:
a qualifier can reach a function other than the allow-listed one of the same name.
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import GuardRejection
from guardrails.rules.context import RuleContext
from guardrails.rules.syntax import ALLOWED_SYNTAX

NAME = "functions"


def function_names(node: exp.Func) -> frozenset[str]:
    """The lower-case names a call is known by: as written, or every SQL name of its node type."""
    if isinstance(node, exp.Anonymous):
        return frozenset({node.name.lower()})
    return frozenset(n.lower() for n in type(node).sql_names()) | {node.key.lower()}


def apply(tree: exp.Expr, ctx: RuleContext) -> exp.Expr:
    allowed = ctx.policy.allowed_functions
    for node in tree.find_all(exp.Func):
        if type(node) in ALLOWED_SYNTAX:
            continue  # operators sqlglot models as functions (AND, OR, ...) are syntax
        names = function_names(node)
        shown = node.name if isinstance(node, exp.Anonymous) else type(node).sql_names()[0]
        if isinstance(node.parent, exp.Dot) and node.parent.expression is node:
            raise GuardRejection(NAME, f"qualified function call {node.parent.sql()[:60]!r} is not allowed")
        if isinstance(node, exp.Anonymous) and not isinstance(node.this, str):
            raise GuardRejection(NAME, "computed function names are not allowed")
        if names.isdisjoint(allowed):
            raise GuardRejection(NAME, f"function {shown.upper()} is not allowed")
    return tree
