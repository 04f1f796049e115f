"""The same rules in Snowflake SQL: parse with `read="snowflake"`, reject or rewrite, render Snowflake.

No Snowflake here, so scoped cases are proven structurally: the output re-parses as Snowflake SQL
and every physical table reference sits alone in a subquery filtered on the caller's tenant.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlglot import exp, parse_one

from guardrails.errors import GuardRejection
from guardrails.policies import default_retail_policy
from guardrails.sql import guard_sql
from tests.guardrails.guard_checks import assert_every_reference_filtered
from tests.guardrails.test_guard_sql_adversarial import Case, load_cases

POLICY = default_retail_policy("snowflake")
CASES = load_cases(Path(__file__).parent / "fixtures" / "snowflake")
TENANT = "nordwind-fashion"


def test_snowflake_suite_has_both_outcomes() -> None:
    assert len(CASES) >= 30
    assert any(case.rule is None for case in CASES) and any(case.rule for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.case_id for case in CASES])
def test_snowflake_case_is_rejected_or_scoped(case: Case) -> None:
    if case.rule is not None:
        with pytest.raises(GuardRejection) as caught:
            guard_sql(case.sql, tenant_id=TENANT, policy=POLICY)
        assert caught.value.rule == case.rule, caught.value.reason
        return
    guarded = guard_sql(case.sql, tenant_id=TENANT, policy=POLICY)
    assert guarded.dialect == "snowflake"
    assert_every_reference_filtered(guarded, POLICY)
    limit = parse_one(guarded.sql, read="snowflake").args["limit"]
    assert isinstance(limit, exp.Limit) and int(limit.expression.this) <= POLICY.max_rows


def test_top_is_rendered_as_snowflake_limit() -> None:
    guarded = guard_sql("SELECT TOP 5 store_id FROM MARTS.DIM_STORES", tenant_id=TENANT, policy=POLICY)
    assert guarded.sql == (
        "SELECT store_id FROM (SELECT * FROM marts.dim_stores WHERE tenant_id = 'nordwind-fashion') "
        "AS DIM_STORES LIMIT 5"
    )
