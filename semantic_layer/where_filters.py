"""Render typed `Filter`s as MetricFlow where-filters, escaping every value.

MetricFlow where-filters are Jinja templates around SQL (`{{ Dimension('account__country') }} =
'DE'`). User values therefore meet two interpreters: Jinja (so template delimiters in a value
are refused) and the SQL dialect (so quotes are doubled, and Snowflake's backslash escapes are
doubled too). Numbers and booleans are rendered from their Python type, never from text.
"""

from __future__ import annotations

import datetime as dt
import math

from semantic_layer.errors import InvalidQueryError
from semantic_layer.query import Filter, FilterValue

_JINJA_DELIMITERS = ("{{", "}}", "{%", "%}", "{#", "#}")


def sql_literal(value: FilterValue, dialect: str) -> str:
    """A SQL literal for `value` in `dialect` (strings quoted and escaped, dates as DATE '…')."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidQueryError(f"filter value {value!r} is not a finite number")
        return repr(value)
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    text = str(value)
    if any(d in text for d in _JINJA_DELIMITERS):
        raise InvalidQueryError(f"filter value {text!r} contains template delimiters ({{{{, {{%, {{#)")
    if "\x00" in text:
        raise InvalidQueryError("filter values cannot contain NUL characters")
    if dialect == "snowflake":
        text = text.replace("\\", "\\\\")
    return "'" + text.replace("'", "''") + "'"


def dimension_template(name: str, *, is_time: bool, grain: str | None = None) -> str:
    """A filter names at most one entity in the dimension itself (`depot__region`); the entities
    before it on a multi-hop path (`lane__origin_depot__region`) go in `entity_path`."""
    parts = name.split("__")
    path = ""
    if len(parts) > 2:
        name = "__".join(parts[-2:])
        path = ", entity_path=[" + ", ".join(f"'{p}'" for p in parts[:-2]) + "]"
    if is_time:
        return f"{{{{ TimeDimension('{name}', '{grain or 'day'}'{path}) }}}}"
    return f"{{{{ Dimension('{name}'{path}) }}}}"


def render_filter(flt: Filter, *, dialect: str, is_time: bool, is_entity: bool = False) -> str:
    """One MetricFlow where-filter string for `flt` (the dimension name is validated upstream); an
    entity's ('customer' is not null: the facts with a known customer) reads the entity itself."""
    ref = (
        f"{{{{ Entity('{flt.dimension}') }}}}"
        if is_entity
        else dimension_template(flt.dimension, is_time=is_time)
    )
    values = [sql_literal(v, dialect) for v in flt.values]
    op = flt.operator
    if op in ("in", "not in"):
        return f"{ref} {op.upper()} ({', '.join(values)})"
    if op == "is not null":
        return f"{ref} IS NOT NULL"
    if op == "between":
        return f"{ref} BETWEEN {values[0]} AND {values[1]}"
    if op == "like":
        return f"{ref} LIKE {values[0]}"
    return f"{ref} {'<>' if op == '!=' else op} {values[0]}"
