"""Rule `relations`: every physical table is an allow-listed relation named by plain identifiers.

This refuses table functions (`read_csv(...)`, `range(...)`, `duckdb_tables()`, `glob(...)`),
quoted file paths (`FROM 'x.csv'`), system catalogs (information_schema, pg_catalog,
SNOWFLAKE.ACCOUNT_USAGE), other schemas and catalogs, and table modifiers that change what is
read (TABLESAMPLE, time travel AT/BEFORE/CHANGES, PIVOT). CTE references are not tables; the
physical tables inside CTE bodies are (see `guardrails.relation_refs`).
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import GuardRejection
from guardrails.identifiers import folded_name
from guardrails.relation_refs import physical_tables
from guardrails.rules.context import RuleContext

NAME = "relations"

_PLAIN_TABLE_ARGS = frozenset({"this", "db", "catalog", "alias"})


def apply(tree: exp.Expr, ctx: RuleContext) -> exp.Expr:
    policy = ctx.policy
    for source in tree.find_all(exp.From, exp.Join):
        _check_source(source.this, policy.dialect)
    for table in physical_tables(tree, policy.dialect):
        name, db, catalog = table.this, table.args.get("db"), table.args.get("catalog")
        if not isinstance(name, exp.Identifier):
            raise GuardRejection(
                NAME, f"{_shown(table, policy.dialect)} is not a table; table functions are not allowed"
            )
        if not all(part is None or isinstance(part, exp.Identifier) for part in (db, catalog)):
            raise GuardRejection(NAME, f"{_shown(table, policy.dialect)} is not a plain schema.table name")
        extra = sorted(
            k for k, v in table.args.items() if v not in (None, False, []) and k not in _PLAIN_TABLE_ARGS
        )
        if extra:
            raise GuardRejection(
                NAME, f"{_shown(table, policy.dialect)}: table modifiers ({', '.join(extra)}) are not allowed"
            )
        if isinstance(catalog, exp.Identifier) and folded_name(catalog) not in policy.accepted_catalogs:
            raise GuardRejection(
                NAME, f"{_shown(table, policy.dialect)}: catalog {catalog.name!r} is not allowed"
            )
        schema = folded_name(db) if isinstance(db, exp.Identifier) else None
        if policy.lookup(schema, folded_name(name)) is None:
            raise GuardRejection(NAME, f"{_shown(table, policy.dialect)} is not an allowed relation")
    return tree


def _check_source(source: exp.Expr, dialect: str) -> None:
    """FROM/JOIN items are tables, derived tables or LATERAL derived tables — never bare functions."""
    if isinstance(source, exp.Lateral):
        source = source.this
        if isinstance(source, exp.Subquery):
            return
    elif isinstance(source, exp.Table | exp.Subquery):
        return
    raise GuardRejection(
        NAME, f"{source.sql(dialect=dialect)[:80]} is not a table; table functions are not allowed"
    )


def _shown(table: exp.Table, dialect: str) -> str:
    """The reference as written, for messages only (rendering is too slow for the happy path)."""
    return table.sql(dialect=dialect)[:80]
