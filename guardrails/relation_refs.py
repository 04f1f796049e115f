"""Find the physical table references of a query, telling them apart from CTE references.

A name in FROM/JOIN means a CTE when it is unqualified and a CTE of that name is visible at that
point: defined by a WITH on an enclosing query, earlier in the same WITH list. A CTE's own name
is not visible inside its body (RECURSIVE is refused earlier), so `WITH fct_sales AS (SELECT *
FROM fct_sales)` reads the physical table inside — and that inner reference gets the tenant
filter. Anything that is not provably a CTE reference counts as physical: wrapping a physical
table is always safe, skipping one never is.
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import GuardRejection
from guardrails.identifiers import folded_name, resolved_name


def physical_tables(tree: exp.Expr, dialect: str) -> list[exp.Table]:
    """Every `exp.Table` in `tree` that the warehouse would resolve to a stored relation."""
    found: list[exp.Table] = []
    _visit(tree, {}, dialect, found)
    return found


def _visit(node: exp.Expr, visible: dict[str, str], dialect: str, found: list[exp.Table]) -> None:
    """`visible` maps each visible CTE's resolved name to its folded name."""
    with_ = node.args.get("with_")
    if isinstance(with_, exp.With):
        visible = dict(visible)
        for cte in with_.expressions:
            if isinstance(cte.this, exp.Expr):
                _visit(cte.this, visible, dialect, found)
            alias = cte.args.get("alias")
            ident = alias.this if isinstance(alias, exp.TableAlias) else None
            if isinstance(ident, exp.Identifier):
                visible[resolved_name(ident, dialect)] = folded_name(ident)
    if isinstance(node, exp.Table):
        if _is_cte_reference(node, visible, dialect):
            return
        found.append(node)
    for child in node.iter_expressions():
        if child is with_:
            continue
        _visit(child, visible, dialect, found)


def _is_cte_reference(table: exp.Table, visible: dict[str, str], dialect: str) -> bool:
    ident = table.this
    if table.args.get("db") is not None or table.args.get("catalog") is not None:
        return False
    if not isinstance(ident, exp.Identifier) or not visible:
        return False
    if resolved_name(ident, dialect) in visible:
        return True
    if folded_name(ident) in visible.values():
        raise GuardRejection(
            "cte_shadowing",
            f"{ident.sql(dialect=dialect)} differs from a CTE name only by case or quoting; rename the CTE",
        )
    return False
