"""Rule `tenant_scope`: every physical table reference reads only the caller's tenant's rows.

Each reference — in CTE bodies, subqueries (correlated, scalar, EXISTS/IN), LATERAL, joins and
every set-operation branch — is replaced by a derived table that filters its relation on the
tenant column, keeping the original alias (or the table name when unaliased) so column
references still resolve:

    marts.fct_sales AS s  →  (SELECT * FROM marts.fct_sales WHERE tenant_id = 'nordwind') AS s

Filtering at the reference, not in the outer WHERE, is what makes OR-precedence tricks, outer
joins and unions unable to widen the scope. Tenant-neutral relations are only renamed to their
canonical `schema.table`. Runs after `relations`, which has vetted every reference.
"""

from __future__ import annotations

from sqlglot import exp

from guardrails.errors import InternalError
from guardrails.guard_policy import RelationName
from guardrails.identifiers import folded_name
from guardrails.relation_refs import physical_tables
from guardrails.rules.context import RuleContext

NAME = "tenant_scope"


def apply(tree: exp.Expr, ctx: RuleContext) -> exp.Expr:
    policy = ctx.policy
    unaliased: set[tuple[str, str]] = set()
    for table in physical_tables(tree, policy.dialect):
        db = table.args.get("db")
        relation = policy.lookup(
            folded_name(db) if isinstance(db, exp.Identifier) else None, table.name.lower()
        )
        if relation is None:
            raise InternalError(f"tenant_scope reached an unvetted relation {table.sql()!r}")
        alias = table.args.get("alias")
        if alias is None:
            unaliased.add((relation.schema, relation.table))
        tenant_column = policy.relations[relation].tenant_column
        if tenant_column is None or policy.single_tenant:
            table.replace(_canonical_table(relation, alias.copy() if alias else None))
            continue
        if ctx.tenant_id is None:
            raise InternalError("a multi-tenant policy reached tenant_scope without a tenant")
        scoped = (
            exp.select(exp.Star())
            .from_(_canonical_table(relation, None))
            .where(exp.column(tenant_column).eq(exp.Literal.string(ctx.tenant_id)))
        )
        new_alias = alias.copy() if alias else exp.TableAlias(this=table.this.copy())
        table.replace(exp.Subquery(this=scoped, alias=new_alias))
    if unaliased:
        _drop_schema_qualifiers(tree, unaliased)
    return tree


def _canonical_table(relation: RelationName, alias: exp.Expr | None) -> exp.Table:
    return exp.Table(
        this=exp.to_identifier(relation.table), db=exp.to_identifier(relation.schema), alias=alias
    )


def _drop_schema_qualifiers(tree: exp.Expr, relations: set[tuple[str, str]]) -> None:
    """`marts.fct_sales.net_amount` → `fct_sales.net_amount`: the derived table is named `fct_sales`."""
    for column in tree.find_all(exp.Column):
        db = column.args.get("db")
        if isinstance(db, exp.Identifier) and (db.name.lower(), column.table.lower()) in relations:
            column.set("db", None)
            column.set("catalog", None)
