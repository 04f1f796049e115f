"""Parse a where-clause written by a person (`account__country = 'DE'`) into typed `Filter`s.

For the CLI and scripted use: the text is parsed with sqlglot and only simple comparisons of one
dimension with literals are accepted, so the result is data again — never SQL passed through.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from semantic_layer.errors import InvalidQueryError
from semantic_layer.query import Filter, FilterOperator, FilterValue

_BINARY: dict[type[exp.Expr], FilterOperator] = {
    exp.EQ: "=",
    exp.NEQ: "!=",
    exp.LT: "<",
    exp.LTE: "<=",
    exp.GT: ">",
    exp.GTE: ">=",
    exp.Like: "like",
}


def _literal(node: exp.Expr, text: str) -> FilterValue:
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not node.this.is_string:
        value = _literal(node.this, text)
        assert isinstance(value, int | float)
        return -value
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return str(node.this)
        number = str(node.this)
        return float(number) if any(c in number for c in ".eE") else int(number)
    raise InvalidQueryError(f"in {text!r}: compare a dimension with literal values only, not {node.sql()!r}")


def _column(node: exp.Expr, text: str) -> str:
    if isinstance(node, exp.Column) and not node.table:
        return node.name
    raise InvalidQueryError(f"in {text!r}: the left side must be a dimension name, not {node.sql()!r}")


def _one(node: exp.Expr, text: str) -> Filter:
    negated = isinstance(node, exp.Not)
    inner = node.this if isinstance(node, exp.Not) else node
    if isinstance(inner, exp.In):
        values = tuple(_literal(v, text) for v in inner.expressions)
        return Filter(
            dimension=_column(inner.this, text), operator="not in" if negated else "in", values=values
        )
    if negated:
        raise InvalidQueryError(f"in {text!r}: NOT is supported only as NOT IN")
    if isinstance(inner, exp.Between):
        low, high = _literal(inner.args["low"], text), _literal(inner.args["high"], text)
        return Filter(dimension=_column(inner.this, text), operator="between", values=(low, high))
    operator = _BINARY.get(type(inner))
    if operator is None:
        raise InvalidQueryError(
            f"cannot read the filter {text!r}: use =, !=, <, <=, >, >=, IN, BETWEEN or LIKE"
        )
    return Filter(
        dimension=_column(inner.this, text), operator=operator, values=(_literal(inner.expression, text),)
    )


def parse_filters(text: str) -> tuple[Filter, ...]:
    """`"account__country = 'DE' AND subscription__plan IN ('pro', 'basic')"` → two Filters."""
    try:
        tree = sqlglot.parse_one(text, read="duckdb", into=exp.Condition)
    except SqlglotError as exc:
        raise InvalidQueryError(f"cannot read the filter {text!r}: {exc}") from exc
    parts: list[exp.Expr] = []
    stack: list[exp.Expr] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, exp.Paren):
            stack.append(node.this)
        elif isinstance(node, exp.And):
            stack.extend([node.expression, node.this])
        else:
            parts.append(node)
    return tuple(_one(p, text) for p in parts)
