"""Rule `syntax`: every node of the tree is a construct on the allow-list.

A positive list of the query syntax analytics needs — projections, joins, filters, grouping,
windows, set operations, CTEs, subqueries, casts and literals. Function calls are judged by the
`functions` rule and tables by `relations`; everything else that is not listed here (SELECT INTO,
FOR UPDATE, placeholders, session variables, hints, VALUES, PIVOT, lambdas, nested statements,
unparsed fragments) is refused, so new sqlglot node types are closed by default.
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import GuardRejection
from guardrails.rules.context import RuleContext

NAME = "syntax"

_ALLOWED: tuple[type[exp.Expr], ...] = (
    # query structure
    exp.Select,
    exp.Union,
    exp.Intersect,
    exp.Except,
    exp.Subquery,
    exp.From,
    exp.Join,
    exp.Where,
    exp.Group,
    exp.Having,
    exp.Qualify,
    exp.Order,
    exp.Ordered,
    exp.Limit,
    exp.Fetch,
    exp.LimitOptions,
    exp.Offset,
    exp.With,
    exp.CTE,
    exp.Table,
    exp.TableAlias,
    exp.Lateral,
    exp.Distinct,
    exp.Cube,
    exp.Rollup,
    exp.GroupingSets,
    # values and names
    exp.Column,
    exp.Identifier,
    exp.Star,
    exp.Alias,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Var,
    exp.Paren,
    exp.Tuple,
    exp.DataType,
    exp.DataTypeParam,
    exp.Interval,
    exp.Bracket,
    exp.Slice,
    exp.Dot,
    # operators
    exp.And,
    exp.Or,
    exp.Xor,
    exp.Not,
    exp.Neg,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.NullSafeEQ,
    exp.NullSafeNEQ,
    exp.Is,
    exp.Between,
    exp.In,
    exp.Like,
    exp.ILike,
    exp.Escape,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.IntDiv,
    exp.Mod,
    exp.DPipe,
    exp.Any,
    exp.All,
    # aggregates and windows
    exp.Window,
    exp.WindowSpec,
    exp.Filter,
    exp.WithinGroup,
    exp.IgnoreNulls,
    exp.RespectNulls,
)

ALLOWED_SYNTAX: frozenset[type[exp.Expr]] = frozenset(_ALLOWED)


def apply(tree: exp.Expr, ctx: RuleContext) -> exp.Expr:
    for node in tree.walk():
        if type(node) in ALLOWED_SYNTAX:
            continue
        if not isinstance(node, exp.Func):  # function calls are judged by the `functions` rule
            raise GuardRejection(NAME, f"{_describe(node)} is not allowed in a guarded query")
    return tree


def _describe(node: exp.Expr) -> str:
    if isinstance(node, exp.Command):
        return f"the statement {str(node.this).upper()!r}"
    return f"the construct {node.key.upper()}"
