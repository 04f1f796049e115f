"""How a dialect resolves an identifier's case, so name comparisons match the warehouse's.

DuckDB resolves every identifier case-insensitively, quoted or not. Snowflake upper-cases
unquoted identifiers and keeps quoted ones as written. Comparing names any other way could make
the guard believe a reference means a CTE while the warehouse reads a table (or the reverse).
"""

from __future__ import annotations

from sqlglot import exp


def resolved_name(identifier: exp.Identifier, dialect: str) -> str:
    """The name the warehouse resolves `identifier` to."""
    name = identifier.this if isinstance(identifier.this, str) else identifier.name
    if dialect == "snowflake":
        return name if identifier.quoted else name.upper()
    return name.lower()


def folded_name(identifier: exp.Identifier) -> str:
    """A case-folded name, for loose matching (allow-list lookup, ambiguity detection)."""
    return identifier.name.lower()
