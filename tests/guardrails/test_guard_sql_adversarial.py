"""The adversarial suite: fixture files of attack cases, one file per attack class.

Each case is either rejected by the named rule, or rewritten so that — proven by executing it on
the three-tenant fixture warehouse for every tenant — it returns only the caller's rows.
Format: a `-- expect: reject <rule>` or `-- expect: scoped [may-error]` line, then the SQL up to
the next `-- expect:` line. `may-error` marks error side-channel probes: they may fail to run,
but their error message must not reveal another tenant's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from guardrails.errors import GuardRejection
from guardrails.policies import default_retail_policy
from guardrails.sql import guard_sql
from tests.guardrails.guard_checks import assert_every_reference_filtered, assert_scoped_by_execution
from tests.guardrails.guard_warehouse import TENANTS, Warehouses

FIXTURES = Path(__file__).parent / "fixtures" / "duckdb"
_EXPECT = re.compile(r"^-- expect: (reject (?P<rule>\w+)|scoped(?P<may_error> may-error)?)\s*$")


@dataclass(frozen=True)
class Case:
    case_id: str
    sql: str
    rule: str | None  # None: expected to be scoped
    may_error: bool


def load_cases(folder: Path) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(folder.glob("*.sql")):
        current: re.Match[str] | None = None
        lines: list[str] = []
        blocks: list[tuple[re.Match[str], str]] = []
        for line in path.read_text().splitlines():
            match = _EXPECT.match(line)
            if match:
                if current is not None:
                    blocks.append((current, "\n".join(lines).strip()))
                current, lines = match, []
            else:
                lines.append(line)
        if current is not None:
            blocks.append((current, "\n".join(lines).strip()))
        for n, (match, sql) in enumerate(blocks, start=1):
            cases.append(Case(f"{path.stem}-{n}", sql, match.group("rule"), bool(match.group("may_error"))))
    return cases


CASES = load_cases(FIXTURES)
POLICY = default_retail_policy("duckdb")


def test_the_suite_is_large_and_covers_every_attack_class() -> None:
    assert len(CASES) >= 150
    assert len({case.case_id.rsplit("-", 1)[0] for case in CASES}) >= 17
    assert sum(case.rule is None for case in CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[case.case_id for case in CASES])
def test_case_is_rejected_or_scoped(case: Case, warehouses: Warehouses) -> None:
    for tenant in TENANTS:
        if case.rule is not None:
            with pytest.raises(GuardRejection) as caught:
                guard_sql(case.sql, tenant_id=tenant, policy=POLICY)
            assert caught.value.rule == case.rule, caught.value.reason
            continue
        guarded = guard_sql(case.sql, tenant_id=tenant, policy=POLICY)
        assert_every_reference_filtered(guarded, POLICY)
        assert_scoped_by_execution(guarded, warehouses, may_error=case.may_error)
