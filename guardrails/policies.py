"""Building guard policies: from a plain list of relations, and the default retail one.

The lead will build the production policy from the dbt manifest and `Settings`
(`tenant_column`, `tenant_neutral_relations`, `single_tenant`); `policy_from_relations` takes
exactly those inputs so that wiring is one call.
"""

from __future__ import annotations

from collections.abc import Iterable

from guardrails.errors import ConfigError
from guardrails.function_allowlist import DEFAULT_ALLOWED_FUNCTIONS
from guardrails.guard_policy import Dialect, GuardPolicy, RelationName, RelationPolicy

RETAIL_MARTS: tuple[str, ...] = (
    "dim_tenants",
    "dim_stores",
    "dim_products",
    "dim_customers",
    "fct_sales",
    "fct_inventory_snapshots",
    "fct_web_sessions",
    "fct_email_campaigns",
)
RETAIL_TENANT_NEUTRAL: tuple[str, ...] = ("metricflow_time_spine",)


def parse_relation_name(name: str, *, default_schema: str) -> RelationName:
    """`"marts.fct_sales"`, `"fct_sales"` or `"db.marts.fct_sales"` → canonical lower-case name."""
    parts = [p.strip().strip('"').lower() for p in name.split(".")]
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise ConfigError(f"relation name {name!r} is not [catalog.]schema.table or table")
    if len(parts) == 1:
        return RelationName(default_schema.lower(), parts[0])
    return RelationName(parts[-2], parts[-1])


def policy_from_relations(
    relations: Iterable[str],
    *,
    dialect: Dialect,
    tenant_column: str | None = "tenant_id",
    tenant_neutral: Iterable[str] = (),
    default_schema: str = "marts",
    accepted_catalogs: Iterable[str] = (),
    single_tenant: bool = False,
    max_rows: int = 10_000,
    max_joins: int = 12,
    allowed_functions: frozenset[str] = DEFAULT_ALLOWED_FUNCTIONS,
) -> GuardPolicy:
    """A policy over `relations`, each scoped by `tenant_column` unless it is named in `tenant_neutral`.

    A neutral name may be bare (`metricflow_time_spine`: neutral in any schema) or qualified. In a
    single-tenant project pass `single_tenant=True` (the tenant column is then ignored).
    """
    neutral_bare = {n.strip().lower() for n in tenant_neutral if "." not in n}
    neutral_qualified = {
        parse_relation_name(n, default_schema=default_schema) for n in tenant_neutral if "." in n
    }
    table: dict[RelationName, RelationPolicy] = {}
    for raw in relations:
        name = parse_relation_name(raw, default_schema=default_schema)
        is_neutral = single_tenant or name.table in neutral_bare or name in neutral_qualified
        table[name] = RelationPolicy(tenant_column=None if is_neutral else tenant_column)
    return GuardPolicy(
        dialect=dialect,
        relations=table,
        default_schema=default_schema,
        accepted_catalogs=frozenset(accepted_catalogs),
        single_tenant=single_tenant,
        max_rows=max_rows,
        max_joins=max_joins,
        allowed_functions=allowed_functions,
    )


def default_retail_policy(
    dialect: Dialect = "duckdb", *, accepted_catalogs: Iterable[str] = ("warehouse", "mercurios")
) -> GuardPolicy:
    """The data-contract marts of DESIGN.md in schema `marts`, scoped by `tenant_id`, plus the time spine.

    `warehouse` is the catalog name of the embedded DuckDB file (`warehouse.duckdb`), `mercurios`
    the default Snowflake database; a relation may be prefixed by either.
    """
    return policy_from_relations(
        [f"marts.{name}" for name in (*RETAIL_MARTS, *RETAIL_TENANT_NEUTRAL)],
        dialect=dialect,
        tenant_column="tenant_id",
        tenant_neutral=RETAIL_TENANT_NEUTRAL,
        accepted_catalogs=accepted_catalogs,
    )
