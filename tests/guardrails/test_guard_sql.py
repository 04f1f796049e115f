"""`guard_sql` behaviours a caller relies on beyond the fixture suite."""

from __future__ import annotations

import pytest

from guardrails.errors import GuardRejection, UserError
from guardrails.guarded_sql import GuardedSql
from guardrails.policies import default_retail_policy
from guardrails.sql import guard_sql

POLICY = default_retail_policy("duckdb")


def test_result_is_a_guarded_sql_with_tenant_rules_and_original() -> None:
    sql = "SELECT store_id, SUM(net_amount) AS net FROM fct_sales s GROUP BY 1"
    guarded = guard_sql(sql, tenant_id="nordwind-fashion", policy=POLICY)
    assert isinstance(guarded, GuardedSql)
    assert guarded.sql == (
        "SELECT store_id, SUM(net_amount) AS net FROM (SELECT * FROM marts.fct_sales "
        "WHERE tenant_id = 'nordwind-fashion') AS s GROUP BY 1 LIMIT 10000"
    )
    assert guarded.tenant_id == "nordwind-fashion" and guarded.original_sql == sql
    assert guarded.rules_applied == (
        "single_statement",
        "read_only",
        "syntax",
        "recursive_cte",
        "relations",
        "functions",
        "joins",
        "join_conditions",
        "tenant_scope",
        "row_limit",
    )
    with pytest.raises(AttributeError):
        guarded.sql = "DROP TABLE x"


@pytest.mark.parametrize(
    ("sql", "limit"),
    [
        ("SELECT * FROM dim_stores", "LIMIT 10000"),
        ("SELECT * FROM dim_stores LIMIT 7", "LIMIT 7"),
        ("SELECT * FROM dim_stores LIMIT 999999", "LIMIT 10000"),
        ("SELECT * FROM dim_stores LIMIT 5 OFFSET 3", "LIMIT 5 OFFSET 3"),
        ("SELECT store_id FROM dim_stores UNION SELECT store_id FROM fct_sales LIMIT 20000", "LIMIT 10000"),
    ],
)
def test_row_cap_is_added_or_lowered(sql: str, limit: str) -> None:
    assert guard_sql(sql, tenant_id="acme", policy=POLICY).sql.endswith(limit)


@pytest.mark.parametrize(
    "tenant", ["", "Acme", "acme'; --", "-acme", "a" * 64, "acme corp", "acme\n", "ácme", "acme/../x"]
)
def test_malformed_tenant_ids_are_rejected(tenant: str) -> None:
    with pytest.raises(GuardRejection) as caught:
        guard_sql("SELECT 1", tenant_id=tenant, policy=POLICY)
    assert caught.value.rule == "tenant_id"


def test_comments_never_reach_the_output() -> None:
    sql = "SELECT /* x */ 1 AS one FROM dim_tenants -- */ DROP TABLE x"
    assert "/*" not in guard_sql(sql, tenant_id="acme", policy=POLICY).sql


def test_unparsable_sql_is_a_user_error_naming_the_parse_rule() -> None:
    with pytest.raises(GuardRejection) as caught:
        guard_sql("SELECT FROM WHERE (", tenant_id="acme", policy=POLICY)
    assert caught.value.rule == "parse"
    assert isinstance(caught.value, UserError)
    assert "rule 'parse'" in str(caught.value)


def test_deeply_nested_sql_is_rejected_not_crashing() -> None:
    sql = "SELECT " + "(" * 3000 + "1" + ")" * 3000
    with pytest.raises(GuardRejection):
        guard_sql(sql, tenant_id="acme", policy=POLICY)


def test_tenant_neutral_relation_is_canonicalised_but_not_filtered() -> None:
    guarded = guard_sql(
        "SELECT * FROM warehouse.MARTS.metricflow_time_spine", tenant_id="acme", policy=POLICY
    )
    assert guarded.sql == "SELECT * FROM marts.metricflow_time_spine LIMIT 10000"


def test_guarding_guarded_sql_again_stays_scoped() -> None:
    once = guard_sql(
        "SELECT * FROM fct_sales f JOIN dim_stores USING (store_id)", tenant_id="acme", policy=POLICY
    )
    twice = guard_sql(once.sql, tenant_id="acme", policy=POLICY)
    assert "tenant_id = 'acme'" in twice.sql
    assert twice.sql.count("WHERE tenant_id = 'acme'") == 2 * once.sql.count("WHERE tenant_id = 'acme'")
