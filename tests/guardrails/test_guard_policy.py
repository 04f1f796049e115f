"""Policy construction: easy from a list of relations, and refusing configurations that would leak."""

from __future__ import annotations

import pytest

from guardrails.errors import ConfigError, GuardRejection
from guardrails.guard_policy import RelationName, RelationPolicy
from guardrails.policies import RETAIL_MARTS, default_retail_policy, policy_from_relations
from guardrails.sql import guard_sql


def test_default_retail_policy_scopes_every_contract_mart_and_not_the_time_spine() -> None:
    policy = default_retail_policy("duckdb")
    for mart in RETAIL_MARTS:
        assert policy.relations[RelationName("marts", mart)] == RelationPolicy("tenant_id")
    assert policy.relations[RelationName("marts", "metricflow_time_spine")] == RelationPolicy(None)
    assert not policy.single_tenant


def test_policy_from_relations_matches_the_settings_shape() -> None:
    policy = policy_from_relations(
        ["analytics.orders", "ANALYTICS.Dim_Dates", "customers"],
        dialect="snowflake",
        tenant_column="account_id",
        tenant_neutral=("dim_dates",),
        default_schema="analytics",
    )
    assert policy.relations == {
        RelationName("analytics", "orders"): RelationPolicy("account_id"),
        RelationName("analytics", "dim_dates"): RelationPolicy(None),
        RelationName("analytics", "customers"): RelationPolicy("account_id"),
    }
    sql = guard_sql(
        "SELECT * FROM orders JOIN dim_dates d ON orders.order_date = d.date_day",
        tenant_id="acme",
        policy=policy,
    ).sql
    assert "FROM analytics.orders WHERE account_id = 'acme'" in sql
    assert "JOIN analytics.dim_dates AS d" in sql


def test_a_policy_without_any_tenant_column_must_be_declared_single_tenant() -> None:
    with pytest.raises(ConfigError, match="single-tenant"):
        policy_from_relations(["marts.orders"], dialect="duckdb", tenant_column=None)


def test_single_tenant_policy_runs_unfiltered_without_a_tenant() -> None:
    policy = policy_from_relations(["marts.orders"], dialect="duckdb", single_tenant=True)
    guarded = guard_sql("SELECT count(*) FROM marts.orders", tenant_id=None, policy=policy)
    assert guarded.sql == "SELECT COUNT(*) FROM marts.orders LIMIT 10000"
    assert guarded.tenant_id is None


def test_multi_tenant_policy_refuses_a_missing_tenant() -> None:
    with pytest.raises(GuardRejection) as caught:
        guard_sql("SELECT 1", tenant_id=None, policy=default_retail_policy())
    assert caught.value.rule == "tenant_id"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"dialect": "postgres"},
        {"max_rows": 0},
        {"tenant_column": "tenant id; drop"},
    ],
)
def test_malformed_policies_fail_at_construction(kwargs: dict[str, object]) -> None:
    arguments: dict[str, object] = {"dialect": "duckdb", **kwargs}
    with pytest.raises(ConfigError):
        policy_from_relations(["marts.orders"], **arguments)  # type: ignore[arg-type]


def test_policy_is_immutable() -> None:
    policy = default_retail_policy()
    with pytest.raises(AttributeError):
        policy.max_rows = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        policy.relations[RelationName("marts", "x")] = RelationPolicy(None)  # type: ignore[index]
