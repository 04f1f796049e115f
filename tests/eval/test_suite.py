"""The golden suite is data the harness trusts: its coverage is checked, and a malformed case is a
loud harness error rather than a case that silently passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.suite import SuiteError, load_suite
from tests.demo import CONTRACT_METRICS

TIME_CONVENTIONS = [
    "today", "yesterday", "this_week", "last_week", "this_month", "last_month", "this_quarter",
    "last_quarter", "this_year", "last_year", "ytd", "mtd", "last_n_days", "last_n_weeks", "last_n_months",
    "named_month", "named_quarter", "since", "between", "named_year", "none",
]  # fmt: skip
FEATURES = [
    "ranking", "comparison", "share", "filter", "follow-up", "german", "typo", "clarification", "refusal",
    "cross-tenant", "injection", "off-topic", "unknown-name",
]  # fmt: skip


def test_retail_suite_covers_the_contract() -> None:
    suite = load_suite("retail")
    tags = {t for c in suite.cases for t in c.tags}
    assert len(suite.cases) >= 120
    assert {c.tenant for c in suite.cases} == {"nordwind-fashion", "alpin-sport", "casa-living"}
    assert not [m for m in CONTRACT_METRICS if f"metric:{m}" not in tags]
    assert not [t for t in TIME_CONVENTIONS if f"time:{t}" not in tags]
    assert not [f for f in FEATURES if f not in tags]
    assert all(c.turns for c in suite.cases if "follow-up" in c.tags)


def test_select_filters_by_id_or_tag_in_file_order() -> None:
    suite = load_suite("retail")
    german = suite.select("german")
    assert german and all("german" in c.tags or "german" in c.id for c in german)
    ids = [c.id for c in suite.cases]
    assert [c.id for c in german] == sorted((c.id for c in german), key=ids.index)
    assert [c.id for c in suite.select(None, 3)] == ids[:3]


def _write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(body, encoding="utf-8")
    return str(path)


GOOD = """
defaults: {as_of: 2026-10-31, tenant: alpin-sport}
cases:
- id: a
  question: net sales
  gold_sql: select 1 where 'alpin-sport' = 'alpin-sport' and tenant_id = 'alpin-sport'
"""


def test_a_suite_file_path_with_defaults_loads(tmp_path: Path) -> None:
    suite = load_suite(_write(tmp_path, GOOD))
    assert suite.cases[0].tenant == "alpin-sport" and str(suite.cases[0].as_of) == "2026-10-31"


HEAD = "id: a, question: q, tenant: t, as_of: 2026-01-01"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f"cases:\n- {{{HEAD}}}", "needs gold_sql"),
        (f"cases:\n- {{{HEAD}, expect: refusal, gold_sql: x}}", "gold_sql"),
        (f"cases:\n- {{{HEAD}, gold_sql: select 1}}", "must filter"),
        (f"cases:\n- {{{HEAD}, expect: refusal, contain: x}}", "contain"),
        (f"cases:\n- {{{HEAD}, expect: refusal}}\n- {{{HEAD}, expect: refusal}}", "duplicate"),
        ("cases: [", "not valid YAML"),
    ],
)  # fmt: skip
def test_malformed_cases_are_harness_errors(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(SuiteError, match=message):
        load_suite(_write(tmp_path, body))


def test_an_unknown_suite_name_lists_the_known_ones() -> None:
    with pytest.raises(SuiteError, match=r"known: .*retail"):
        load_suite("nope")
