"""The held-out sets (issue #17's method): written apart from the planner, split once into a dev
half to work from and a frozen test half whose runs show scores only — and the judge's two new
rules: `expect: no_answer` (a question back or a refusal passes, a number fails) and confidently
wrong answers counted apart from clarifications."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from eval.report import build_report, render_text
from eval.runner import GoldOracle, judge
from eval.suite import Case, load_suite
from tests.demo import DemoWarehouse


def _contract(kind: str, rows: list[list[Any]] | None = None) -> dict[str, Any]:
    return {"kind": kind, "plan": None, "answer": "…", "columns": ["v"] if rows else [], "rows": rows or []}


def test_the_held_out_halves_are_disjoint_and_only_the_test_half_is_frozen() -> None:
    dev, test = load_suite("heldout-retail-dev"), load_suite("heldout-retail-test")
    assert len(dev.cases) >= 100 and len(test.cases) >= 100
    assert not dev.frozen and test.frozen
    assert not {c.id for c in dev.cases} & {c.id for c in test.cases}
    assert not {c.question for c in dev.cases} & {c.question for c in test.cases}


def test_every_held_out_test_half_is_frozen_and_apart_from_its_dev_half() -> None:
    # set 6's test halves landed without `frozen: true` (session 32): their runs printed every miss
    halves = sorted(Path(__file__).resolve().parents[2].glob("eval/suites/heldout*-test.yaml"))
    assert len(halves) >= 21
    for path in halves:
        test = load_suite(str(path), strict=False)
        dev = load_suite(str(path).replace("-test.yaml", "-dev.yaml"), strict=False)
        assert test.frozen and not dev.frozen, path.name
        assert not {c.id for c in dev.cases} & {c.id for c in test.cases}, path.name


def test_no_answer_passes_a_question_back_or_a_refusal_and_fails_a_number(
    demo_warehouse: DemoWarehouse,
) -> None:
    oracle = GoldOracle(demo_warehouse.path)
    try:
        case = Case(id="c", question="Zalando's turnover?", tenant="alpin-sport", as_of=dt.date(2026, 10, 31),
                    expect="no_answer")  # fmt: skip
        assert judge(case, _contract("clarification"), oracle).outcome == "pass"
        assert judge(case, _contract("refusal"), oracle).outcome == "pass"
        answered = judge(case, _contract("data", [[42.0]]), oracle)
        assert (answered.outcome, answered.category) == ("miss", "answered")
        gold = "select 1.0 from marts.dim_tenants where tenant_id = 'alpin-sport'"
        day = dt.date(2026, 10, 31)
        data_case = Case(id="d", question="q", tenant="alpin-sport", as_of=day, gold_sql=gold)
        wrong = judge(data_case, _contract("data", [[2.0]]), oracle)
        clarified = judge(data_case, _contract("clarification"), oracle)
        report = build_report("s", [answered, wrong, clarified])
        assert [r.case.id for r in report.confidently_wrong] == ["c", "d"]
        text = render_text(report)
        assert "confidently wrong: 2 (66.7%); other misses (clarified, refused, error): 1" in text
    finally:
        oracle.close()


def test_a_frozen_report_shows_scores_but_no_case(demo_warehouse: DemoWarehouse) -> None:
    oracle = GoldOracle(demo_warehouse.path)
    try:
        case = Case(id="secret-case-17", question="a held-out question", tenant="alpin-sport",
                    as_of=dt.date(2026, 10, 31), expect="refusal")  # fmt: skip
        missed = judge(case, _contract("data", [[1.0]]), oracle)
        report = build_report("heldout-retail-test", [missed], frozen=True)
        text, blob = render_text(report), report.as_json()
        assert "0/1 correct" in text and "confidently wrong: 1" in text
        assert "secret-case-17" not in text and "a held-out question" not in text
        assert "secret-case-17" not in repr(blob) and blob["frozen"] is True
    finally:
        oracle.close()
