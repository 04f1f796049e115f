"""Rule `recursive_cte`: no WITH RECURSIVE.

A recursive CTE can generate unbounded rows from nothing (a CPU and memory bomb) and makes a CTE
name visible inside its own body, which would blur which references read physical tables.
Analytics over the marts never needs it; the time spine covers date series.
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import GuardRejection
from guardrails.rules.context import RuleContext

NAME = "recursive_cte"


def apply(tree: exp.Expr, ctx: RuleContext) -> exp.Expr:
    for with_ in tree.find_all(exp.With):
        if with_.args.get("recursive"):
            raise GuardRejection(NAME, "WITH RECURSIVE is not allowed; use the time spine for date series")
    return tree
