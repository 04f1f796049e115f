"""The Snowflake multi-tenant setup script: valid Snowflake SQL, runnable where fakesnow can emulate
it, policy bodies that isolate tenants (marts and data versions), an assistant role that can only
read, and a loader role that writes only RAW, INGEST and the data versions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import fakesnow
import pytest
import snowflake.connector
import sqlglot
from snowflake.connector.cursor import SnowflakeCursor
from sqlglot import exp

SETUP_SQL = Path(__file__).resolve().parents[2] / "dbt" / "snowflake" / "multi_tenant_setup.sql"
TENANT_MARTS = [
    *("DIM_TENANTS", "DIM_STORES", "DIM_PRODUCTS", "DIM_CUSTOMERS", "FCT_SALES", "FCT_INVENTORY_SNAPSHOTS"),
    *("FCT_WEB_SESSIONS", "FCT_EMAIL_CAMPAIGNS", "FCT_STORE_DAYS"),
]
TENANT_ROLES = {
    "TENANT_NORDWIND_FASHION": "nordwind-fashion",
    "TENANT_ALPIN_SPORT": "alpin-sport",
    "TENANT_CASA_LIVING": "casa-living",
}
# Snowflake statements sqlglot 30 has no AST for: it keeps them as exp.Command (still tokenized and
# checked for the statement keyword). Everything else must parse into a real expression.
COMMAND_PREFIXES = (
    "CREATE ROLE ",
    "CREATE USER ",
    "ALTER USER ",
    "ALTER TABLE ",  # ... ADD ROW ACCESS POLICY
    "GRANT ROLE ",
    "GRANT APPLY ON ROW ACCESS POLICY ",
    "GRANT SELECT ON FUTURE TABLES ",
    "GRANT SELECT ON ALL TABLES ",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON FUTURE TABLES ",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES ",
)
# sqlglot 30.22 reads `CREATE ROW ACCESS POLICY` as a table property and fails; checked separately.
POLICY_PREFIX = "CREATE ROW ACCESS POLICY "
# fakesnow emulates data, not access control: it has no warehouses, roles, grants or policies.
NOT_EMULATED_PREFIXES = (
    "CREATE WAREHOUSE ",
    "CREATE ROLE ",
    "CREATE USER ",
    "ALTER USER ",
    "GRANT ",
    POLICY_PREFIX,
    "ALTER TABLE ",
)


def statements() -> list[str]:
    """The script's statements, comments dropped (the script has no ';' inside literals)."""
    body = "\n".join(ln for ln in SETUP_SQL.read_text().splitlines() if not ln.lstrip().startswith("--"))
    return [" ".join(s.split()) for s in body.split(";") if s.strip()]


def test_every_statement_parses_as_snowflake_sql() -> None:
    parsed = 0
    for sql in statements():
        if sql.startswith(POLICY_PREFIX):
            continue
        tree = sqlglot.parse_one(sql, read="snowflake")
        if isinstance(tree, exp.Command):
            assert sql.startswith(COMMAND_PREFIXES), f"avoidable Command fallback: {sql}"
        else:
            parsed += 1
    assert parsed >= 50
    policies = [s for s in statements() if s.startswith(POLICY_PREFIX)]
    assert len(policies) == 2  # the marts' and the data versions'
    for policy in policies:
        assert sqlglot.tokenize(policy, read="snowflake")
        sqlglot.parse_one(policy_body(policy), read="snowflake")  # the predicate itself is valid SQL


def test_every_tenant_mart_gets_the_row_access_policy_and_a_secure_view() -> None:
    sql = statements()
    for mart in TENANT_MARTS:
        policy = "MERCURIOS.GOVERNANCE.TENANT_ISOLATION ON (TENANT_ID)"
        assert f"ALTER TABLE MERCURIOS.MARTS.{mart} ADD ROW ACCESS POLICY {policy}" in sql
        if mart != "FCT_STORE_DAYS":
            view = f"CREATE OR REPLACE SECURE VIEW MERCURIOS.SECURE.{mart}"
            assert f"{view} AS SELECT * FROM MERCURIOS.MARTS.{mart}" in sql
    created_roles = {s.removeprefix("CREATE ROLE IF NOT EXISTS ") for s in sql if s.startswith("CREATE ROLE")}
    assert set(TENANT_ROLES) <= created_roles


def grants_to(role: str) -> list[tuple[str, str]]:
    """(privileges, object) of every GRANT ... TO ROLE <role> in the script, parsed or not."""
    found = []
    for sql in statements():
        match = re.fullmatch(r"GRANT (.+?) (?:ON (.+) )?TO ROLE (\w+)", sql)
        if sql.startswith("GRANT") and re.fullmatch(r"GRANT ROLE \w+ TO USER \w+", sql) is None:
            assert match, f"unrecognised grant: {sql}"
        if match and match.group(3) == role:
            found.append((match.group(1), match.group(2) or ""))
    return found


def test_the_assistant_role_may_only_use_and_select() -> None:
    grants = grants_to("MERCURIOS_ASSISTANT")
    assert len(grants) >= 10
    for privileges, target in grants:
        assert {p.strip() for p in privileges.split(",")} <= {"USAGE", "SELECT"}, (privileges, target)
    assert not any(privileges.startswith("ROLE ") for privileges, _ in grants), "no role is granted to it"
    parsed = [
        sqlglot.parse_one(s, read="snowflake")
        for s in statements()
        if s.endswith("TO ROLE MERCURIOS_ASSISTANT") and not s.startswith(COMMAND_PREFIXES)
    ]
    assert all(isinstance(g, exp.Grant) for g in parsed)
    granted = {p.this.name.upper() for g in parsed for p in g.args["privileges"]}
    assert granted == {"USAGE", "SELECT"}
    principals = {p.name.upper() for g in parsed for p in g.args["principals"]}
    assert principals == {"MERCURIOS_ASSISTANT"}


def test_tenant_roles_get_nothing_but_the_assistants_read_access() -> None:
    for role in TENANT_ROLES:
        assert grants_to(role) == [("ROLE MERCURIOS_ASSISTANT", "")]


def test_the_service_user_holds_the_tenant_roles_without_secondary_roles() -> None:
    """It may switch to any tenant role, but a session must never hold two: the warehouse connects
    per tenant role and drops secondary roles, and the user's default says the same."""
    sql = statements()
    to_user = {
        m.group(1)
        for s in sql
        if (m := re.fullmatch(r"GRANT ROLE (\w+) TO USER MERCURIOS_SERVICE", s)) is not None
    }
    assert to_user == {"MERCURIOS_ASSISTANT", *TENANT_ROLES}
    assert any(s.startswith("CREATE USER IF NOT EXISTS MERCURIOS_SERVICE") and
               s.endswith("DEFAULT_SECONDARY_ROLES = ()") for s in sql)  # fmt: skip
    assert "ALTER USER MERCURIOS_SERVICE SET DEFAULT_SECONDARY_ROLES = ()" in sql
    from semantic_layer.warehouses.snowflake import DEFAULT_TENANT_ROLE_TEMPLATE, tenant_role

    for role, tenant in TENANT_ROLES.items():  # the names the warehouse connects with
        assert tenant_role(DEFAULT_TENANT_ROLE_TEMPLATE, tenant) == role


def policy_body(policy_sql: str) -> str:
    return policy_sql.split("->", 1)[1].strip()


@pytest.fixture()
def fake_snowflake() -> Iterator[tuple[SnowflakeCursor, int]]:
    """The setup script run against fakesnow, with the marts dbt would have built beforehand."""
    with fakesnow.patch():
        con = snowflake.connector.connect(database="MERCURIOS")
        cur = con.cursor()
        skipped = 0
        for sql in statements():
            if sql.startswith(NOT_EMULATED_PREFIXES):
                skipped += 1
                continue
            cur.execute(sql)
            if sql.startswith("CREATE SCHEMA IF NOT EXISTS MERCURIOS.MARTS"):
                for mart in TENANT_MARTS:
                    cur.execute(f"CREATE TABLE MERCURIOS.MARTS.{mart} (TENANT_ID VARCHAR, X INTEGER)")
                    cur.execute(
                        f"INSERT INTO MERCURIOS.MARTS.{mart} VALUES ('alpin-sport', 1), ('casa-living', 2)"
                    )
        yield cur, skipped
        con.close()


def test_the_data_statements_run_on_fakesnow(fake_snowflake: tuple[SnowflakeCursor, int]) -> None:
    cur, skipped = fake_snowflake
    # roles, the warehouse, grants, the policy and its 9 attachments are not emulated by fakesnow
    assert skipped == len([s for s in statements() if s.startswith(NOT_EMULATED_PREFIXES)]) >= 15
    cur.execute("SELECT ROLE_NAME, TENANT_ID FROM MERCURIOS.GOVERNANCE.TENANT_ROLE_MAP ORDER BY 1")
    assert dict(cur.fetchall()) == TENANT_ROLES
    cur.execute("SELECT count(*) FROM MERCURIOS.SECURE.FCT_SALES")
    assert cur.fetchone() == (2,)


def visible_tenants(
    cur: SnowflakeCursor, session_roles: tuple[str, ...], policy_name: str = "TENANT_ISOLATION"
) -> set[str]:
    """Evaluate the policy predicate for each tenant, with the given roles in the session.

    fakesnow has no roles, so IS_ROLE_IN_SESSION(x) becomes `x IN (<session roles>)` and
    CURRENT_ROLE() the first of them; the mapping-table lookup runs for real.
    """
    policy = next(
        s
        for s in statements()
        if s.startswith(f"{POLICY_PREFIX}IF NOT EXISTS MERCURIOS.GOVERNANCE.{policy_name} ")
    )
    predicate = sqlglot.parse_one(policy_body(policy), read="snowflake")
    roles = [exp.Literal.string(r) for r in session_roles]

    def emulate(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Anonymous) and node.name.upper() == "IS_ROLE_IN_SESSION":
            return exp.In(this=node.expressions[0], expressions=roles)
        if isinstance(node, exp.CurrentRole) or (
            isinstance(node, exp.Anonymous) and node.name.upper() == "CURRENT_ROLE"
        ):
            return roles[0]
        return node

    where = predicate.transform(emulate).sql(dialect="snowflake")
    tenants = ", ".join(f"('{t}')" for t in TENANT_ROLES.values())
    cur.execute(f"SELECT ROW_TENANT_ID FROM (VALUES {tenants}) AS T(ROW_TENANT_ID) WHERE {where}")
    return {str(r[0]) for r in cur.fetchall()}


def test_the_policy_shows_a_tenant_role_only_its_own_rows(
    fake_snowflake: tuple[SnowflakeCursor, int],
) -> None:
    cur, _ = fake_snowflake
    for role, tenant in TENANT_ROLES.items():
        assert visible_tenants(cur, (role, "MERCURIOS_ASSISTANT")) == {tenant}
    assert visible_tenants(cur, ("MERCURIOS_ASSISTANT",)) == set(), "without a tenant role: nothing"
    assert visible_tenants(cur, ("MERCURIOS_TRANSFORMER",)) == set(TENANT_ROLES.values())


LOADER_SCHEMAS = ("MERCURIOS.RAW", "MERCURIOS.INGEST")
DATA_VERSIONS = "MERCURIOS.MERCURIOS_META.DATA_VERSIONS"


def privileges(granted: str) -> set[str]:
    return {p.strip() for p in granted.split(",")}


def test_the_loader_writes_raw_ingest_and_the_data_versions_and_nothing_else() -> None:
    grants = grants_to("MERCURIOS_LOADER")
    allowed: dict[str, set[str]] = {
        "WAREHOUSE MERCURIOS_WH": {"USAGE"},
        "DATABASE MERCURIOS": {"USAGE"},  # no CREATE SCHEMA: the schemas exist before it runs
        "SCHEMA MERCURIOS.RAW": {"USAGE", "CREATE TABLE"},
        "SCHEMA MERCURIOS.INGEST": {"USAGE", "CREATE TABLE", "CREATE STAGE"},
        "SCHEMA MERCURIOS.MERCURIOS_META": {"USAGE"},  # no CREATE TABLE: the table is made here
        f"TABLE {DATA_VERSIONS}": {"SELECT", "INSERT", "UPDATE"},  # never DELETE another's version
        **{
            f"{scope} TABLES IN SCHEMA {schema}": {"SELECT", "INSERT", "UPDATE", "DELETE"}
            for scope in ("ALL", "FUTURE")
            for schema in LOADER_SCHEMAS
        },
    }
    seen: dict[str, set[str]] = {}
    for granted, target in grants:
        assert target in allowed, f"the loader must not get anything on {target or granted}"
        assert privileges(granted) <= allowed[target], (granted, target)
        seen.setdefault(target, set()).update(privileges(granted))
    # and it does get what the sink needs: write its tables, create its staging tables and stage
    assert seen == allowed
    # no role hierarchy gives it more, and no tenant or assistant role inherits it
    assert not any(sql.startswith("GRANT ROLE MERCURIOS_LOADER") for sql in statements())
    parsed = [
        sqlglot.parse_one(s, read="snowflake")
        for s in statements()
        if s.endswith("TO ROLE MERCURIOS_LOADER") and not s.startswith(COMMAND_PREFIXES)
    ]
    assert len(parsed) >= 6 and all(isinstance(g, exp.Grant) for g in parsed)


def test_the_assistant_reads_the_data_versions_but_no_raw_or_ingest_data() -> None:
    targets = [target for _, target in grants_to("MERCURIOS_ASSISTANT")]
    assert f"TABLE {DATA_VERSIONS}" in targets
    assert "SCHEMA MERCURIOS.MERCURIOS_META" in targets
    meta = [t for t in targets if "MERCURIOS_META" in t]
    assert sorted(meta) == ["SCHEMA MERCURIOS.MERCURIOS_META", f"TABLE {DATA_VERSIONS}"]
    for schema in ("RAW", "INGEST", "STAGING", "GOVERNANCE"):
        assert not any(f"MERCURIOS.{schema}" in t for t in targets), schema
    # the transformer (dbt) reads raw data but gets nothing in INGEST or MERCURIOS_META
    transformer = [target for _, target in grants_to("MERCURIOS_TRANSFORMER")]
    assert "FUTURE TABLES IN SCHEMA MERCURIOS.RAW" in transformer
    assert not any("INGEST" in t or "MERCURIOS_META" in t for t in transformer)


def test_the_data_versions_table_carries_its_own_policy() -> None:
    sql = statements()
    attach = f"ALTER TABLE {DATA_VERSIONS} ADD ROW ACCESS POLICY MERCURIOS.GOVERNANCE.DATA_VERSION_ISOLATION"
    assert f"{attach} ON (TENANT_ID)" in sql
    # created, with its policy, before anyone is granted SELECT on it
    first_grant = min(i for i, s in enumerate(sql) if s.startswith("GRANT") and DATA_VERSIONS in s)
    assert sql.index(f"{attach} ON (TENANT_ID)") < first_grant
    assert next(
        i for i, s in enumerate(sql) if s.startswith(f"CREATE TABLE IF NOT EXISTS {DATA_VERSIONS}")
    ) < (sql.index(f"{attach} ON (TENANT_ID)"))


def test_the_setup_makes_the_loaders_schemas_and_the_sinks_data_versions_table(
    fake_snowflake: tuple[SnowflakeCursor, int],
) -> None:
    from ingestion.landing.snowflake_sink import DATA_VERSIONS_DDL

    cur, _ = fake_snowflake
    cur.execute("SELECT schema_name FROM information_schema.schemata")
    assert {"RAW", "INGEST", "MERCURIOS_META"} <= {str(r[0]) for r in cur.fetchall()}
    cur.execute(
        "SELECT lower(column_name), data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'MERCURIOS_META' AND table_name = 'DATA_VERSIONS' ORDER BY ordinal_position"
    )
    setup_columns = cur.fetchall()
    # the sink's own DDL, run in another database, gives the same columns (names, types, nullability)
    cur.execute("CREATE DATABASE IF NOT EXISTS SINK_DDL")
    cur.execute("USE DATABASE SINK_DDL")
    for ddl in DATA_VERSIONS_DDL:
        cur.execute(ddl)
    cur.execute(
        "SELECT lower(column_name), data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'MERCURIOS_META' AND table_name = 'DATA_VERSIONS' ORDER BY ordinal_position"
    )
    assert cur.fetchall() == setup_columns
    assert [c[0] for c in setup_columns] == [
        "tenant_id",
        "data_version",
        "loaded_at",
        "first_data_date",
        "last_data_date",
    ]


def test_a_tenant_role_sees_only_its_own_data_version(fake_snowflake: tuple[SnowflakeCursor, int]) -> None:
    cur, _ = fake_snowflake
    for role, tenant in TENANT_ROLES.items():
        assert visible_tenants(cur, (role, "MERCURIOS_ASSISTANT"), "DATA_VERSION_ISOLATION") == {tenant}
        # another tenant's role in the mapping table does not open this tenant's row
        others = set(TENANT_ROLES.values()) - {tenant}
        assert not visible_tenants(cur, (role,), "DATA_VERSION_ISOLATION") & others
    assert visible_tenants(cur, ("MERCURIOS_ASSISTANT",), "DATA_VERSION_ISOLATION") == set()
    assert visible_tenants(cur, ("MERCURIOS_TRANSFORMER",), "DATA_VERSION_ISOLATION") == set()
    # the loader bumps any tenant's version, so it sees every row (it has no grant on the marts)
    assert visible_tenants(cur, ("MERCURIOS_LOADER",), "DATA_VERSION_ISOLATION") == set(TENANT_ROLES.values())
    assert visible_tenants(cur, ("MERCURIOS_LOADER",)) == set(), "the marts' policy does not let it in"
