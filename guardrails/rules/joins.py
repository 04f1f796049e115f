"""Rule `joins`: a cap on joins, and no cartesian blow-ups.

A join without a condition multiplies row counts; over fact tables a few of them exhaust the
warehouse. A join counts as conditioned when it has USING, an ON that mentions a column
(`ON true` does not), is NATURAL or LATERAL, or (TPC-H style `FROM a, b WHERE a.k = b.k`) when a
top-level AND term of its SELECT's WHERE equates a column of the joined relation with a column
of another one. Joining a one-row aggregate (MetricFlow's CROSS JOIN of per-metric totals) is
harmless and does not count.
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import GuardRejection
from guardrails.rules.context import RuleContext

NAME = "joins"


def apply(tree: exp.Expr, ctx: RuleContext) -> exp.Expr:
    policy = ctx.policy
    joins = list(tree.find_all(exp.Join))
    if len(joins) > policy.max_joins:
        raise GuardRejection(NAME, f"{len(joins)} joins exceed the limit of {policy.max_joins}")
    unconditioned = [join for join in joins if _multiplies_rows(join)]
    if len(unconditioned) > policy.max_unconditioned_joins:
        names = ", ".join(join.this.alias_or_name or join.this.key for join in unconditioned)
        raise GuardRejection(
            NAME,
            f"{len(unconditioned)} joins without a join condition ({names}) would multiply rows; "
            f"at most {policy.max_unconditioned_joins} allowed — add ON conditions",
        )
    return tree


def _multiplies_rows(join: exp.Join) -> bool:
    on = join.args.get("on")
    if join.args.get("using") or (on is not None and on.find(exp.Column) is not None):
        return False
    if str(join.args.get("method") or "").upper() == "NATURAL" or isinstance(join.this, exp.Lateral):
        return False
    if _is_one_row_aggregate(join.this):
        return False
    select = join.parent
    alias = join.this.alias_or_name
    if isinstance(select, exp.Select) and alias:
        return not _where_equates(select, alias.lower())
    return True


def _is_one_row_aggregate(source: exp.Expr) -> bool:
    if not isinstance(source, exp.Subquery) or not isinstance(source.this, exp.Select):
        return False
    inner = source.this
    if inner.args.get("group") is not None:
        return False
    return bool(inner.expressions) and all(
        any(isinstance(n, exp.AggFunc) for n in projection.walk()) for projection in inner.expressions
    )


def _where_equates(select: exp.Select, alias: str) -> bool:
    where = select.args.get("where")
    if where is None:
        return False
    for eq in _conjuncts(where.this):
        if not isinstance(eq, exp.EQ):
            continue
        left, right = eq.this, eq.expression
        if not (isinstance(left, exp.Column) and isinstance(right, exp.Column)):
            continue
        tables = {left.table.lower(), right.table.lower()}
        if alias in tables and len(tables) == 2 and "" not in tables:
            return True
    return False


def _conjuncts(condition: exp.Expr) -> list[exp.Expr]:
    """Top-level AND terms only: an equality under OR does not make a join conditioned."""
    while isinstance(condition, exp.Paren):
        condition = condition.this
    if isinstance(condition, exp.And):
        return _conjuncts(condition.this) + _conjuncts(condition.expression)
    return [condition]
