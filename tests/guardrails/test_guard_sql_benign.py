"""Benign analytics SQL passes the guard and returns what the author meant, for the caller only.

"What the author meant" is the unguarded SQL run on the oracle warehouse that holds only the
caller's rows — the hand-filtered answer. The guarded SQL runs on the full three-tenant warehouse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guardrails.policies import default_retail_policy
from guardrails.sql import guard_sql
from tests.guardrails.guard_checks import as_multiset, run
from tests.guardrails.guard_warehouse import TENANTS, Warehouses

_NAME = re.compile(r"^-- (\w+)\s*$", re.MULTILINE)
POLICY = default_retail_policy("duckdb")


def load_queries() -> list[tuple[str, str]]:
    text = (Path(__file__).parent / "benign" / "metricflow_and_tpch.sql").read_text()
    parts = _NAME.split(text)[1:]
    return [(parts[i], parts[i + 1].strip()) for i in range(0, len(parts), 2)]


QUERIES = load_queries()


def test_there_are_enough_benign_queries() -> None:
    assert len(QUERIES) >= 15


@pytest.mark.parametrize(("name", "sql"), QUERIES, ids=[name for name, _ in QUERIES])
@pytest.mark.parametrize("tenant", TENANTS)
def test_benign_query_matches_the_hand_filtered_answer(
    name: str, sql: str, tenant: str, warehouses: Warehouses
) -> None:
    guarded = guard_sql(sql, tenant_id=tenant, policy=POLICY)
    expected = run(warehouses.oracles[tenant], sql)
    actual = run(warehouses.full, guarded.sql)
    assert expected, f"{name} returns nothing for {tenant}; the comparison would prove nothing"
    assert as_multiset(actual) == as_multiset(expected)
    assert guarded.rules_applied[-2:] == ("tenant_scope", "row_limit")
    assert guarded.original_sql == sql
