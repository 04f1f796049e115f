"""Run a suite: each case through the engine's public API, each gold SQL on the warehouse file.

The engine is driven exactly as a channel drives it (`Engine.ask(question, RequestContext)` →
events → the `--json` contract of `mercurios ask`); the oracle is the gold SQL executed directly
on the DuckDB file over a read-only connection, independent of our semantic layer, compiler and
guardrails. Cases run in file order, each in its own conversation, so a run is deterministic.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb

from assistant.cli.ask_cmd import collect
from assistant.context import RequestContext
from assistant.engine import Engine
from eval.compare import compare_results, plan_matches, summarise
from eval.suite import Case

Outcome = Literal["pass", "miss"]


class HarnessError(Exception):
    """The harness could not judge a case (gold SQL fails, warehouse missing): not a miss."""


class GoldOracle:
    """Executes gold SQL on the warehouse file, read-only: the judge must not be able to write.

    The file is ATTACHed read-only to an in-memory database of its own rather than opened with
    `duckdb.connect(path)`: DuckDB shares one instance per file and process and refuses a second
    connection with another configuration, so the judge stays independent of however the engine
    under test opened the same file.
    """

    def __init__(self, duckdb_path: Path) -> None:
        if not duckdb_path.is_file():
            raise HarnessError(f"no warehouse at {duckdb_path} (run `mercurios build` first)")
        self._con = duckdb.connect(":memory:")
        try:
            literal = str(duckdb_path).replace("'", "''")
            self._con.execute(f"ATTACH '{literal}' AS warehouse (READ_ONLY)")
            self._con.execute("USE warehouse")
        except duckdb.Error as exc:
            self._con.close()
            raise HarnessError(f"cannot open the warehouse {duckdb_path}: {exc}") from exc

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        try:
            return [tuple(r) for r in self._con.execute(sql).fetchall()]
        except duckdb.Error as exc:
            raise HarnessError(f"gold SQL failed: {exc}") from exc

    def close(self) -> None:
        self._con.close()


@dataclass(frozen=True)
class CaseResult:
    case: Case
    outcome: Outcome
    category: str  # 'ok' or why it missed: wrong_result, clarified, refused, error, answered, …
    expected: str  # one line: what a right answer holds
    got: str  # one line: what the assistant answered
    latency_ms: float
    plan_match: bool | None = None  # None: the case gives no expected_plan

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "question": self.case.question,
            "tenant": self.case.tenant,
            "tags": list(self.case.tags),
            "outcome": self.outcome,
            "category": self.category,
            "expected": self.expected,
            "got": self.got,
            "latency_ms": round(self.latency_ms, 1),
            "plan_match": self.plan_match,
        }


def _context(engine: Engine, case: Case, conversation_id: str) -> RequestContext:
    profile = engine.tenants.get(case.tenant)
    return RequestContext(
        tenant_id=case.tenant,
        user_id="eval",
        roles=("analyst",),
        conversation_id=conversation_id,
        as_of=case.as_of,
        locale=profile.locale,
        timezone=profile.timezone,
        currency=profile.currency,
    )


def ask(engine: Engine, case: Case, run_tag: str = "") -> tuple[dict[str, Any], float]:
    """The earlier turns, then the question, in one fresh conversation; the last answer's JSON
    contract and its wall-clock latency."""
    ctx = _context(engine, case, f"eval-{run_tag}{case.id}")
    for turn in case.turns:
        list(engine.ask(turn, ctx))
    started = time.perf_counter()
    events = list(engine.ask(case.question, ctx))
    latency = (time.perf_counter() - started) * 1000
    return collect(events, tenant=case.tenant, question=case.question, as_of=case.as_of), latency


def _got_line(answer: dict[str, Any]) -> str:
    kind = answer["kind"]
    if kind == "data":
        if answer["rows"]:
            return f"{answer['columns']} {summarise(answer['rows'])}"
        return f"no table: {answer['answer'][:140]}"
    return f"{kind}: {answer['answer'][:140]}"


def judge(case: Case, answer: dict[str, Any], oracle: GoldOracle, latency_ms: float) -> CaseResult:
    kind = answer["kind"]
    plan_ok = None
    if case.expected_plan is not None:
        plan_ok = answer["plan"] is not None and plan_matches(case.expected_plan, answer["plan"])
    got = _got_line(answer)

    def result(outcome: Outcome, category: str, expected: str) -> CaseResult:
        return CaseResult(case, outcome, category, expected, got, latency_ms, plan_ok)

    if case.expect != "data":
        expected = case.expect + (f" mentioning {case.contains!r}" if case.contains else "")
        if kind != case.expect:
            return result("miss", "answered" if kind == "data" else f"{kind}_instead", expected)
        if case.contains and case.contains.casefold() not in answer["answer"].casefold():
            return result("miss", "wrong_message", expected)
        return result("pass", "ok", expected)
    assert case.gold_sql is not None
    gold = oracle.rows(case.gold_sql)
    expected = summarise(gold)
    if kind != "data":
        category = {"clarification": "clarified", "refusal": "refused"}.get(kind, "error")
        return result("miss", category, expected)
    if not answer["rows"] and gold:
        return result("miss", "no_table", expected)
    verdict = compare_results(gold, answer["columns"], answer["rows"], ordered=case.is_ordered)
    if verdict.match:
        return result("pass", "ok", expected)
    got = f"{got} — {verdict.reason}"
    return CaseResult(case, "miss", "wrong_result", expected, got, latency_ms, plan_ok)


def run_cases(
    engine: Engine,
    cases: Sequence[Case],
    oracle: GoldOracle,
    *,
    progress: Callable[[CaseResult], None] | None = None,
) -> list[CaseResult]:
    """Judge every case in order. A gold SQL that fails is a harness error and stops the run."""
    run_tag = dt.datetime.now(dt.UTC).strftime("%H%M%S%f-")  # fresh conversations per run
    results: list[CaseResult] = []
    for case in cases:
        answer, latency = ask(engine, case, run_tag)
        try:
            res = judge(case, answer, oracle, latency)
        except HarnessError as exc:
            raise HarnessError(f"case {case.id}: {exc}") from exc
        results.append(res)
        if progress is not None:
            progress(res)
    return results
