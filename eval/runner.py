"""Run a suite: each case through an `Answerer`, each gold SQL on the warehouse file.

The engine is driven exactly as a channel drives it (`Engine.ask(question, RequestContext)` →
events → the `--json` contract of `mercurios ask`) or a running service is asked over HTTP; the
oracle is the gold SQL executed directly on the DuckDB file over a read-only connection,
independent of our semantic layer, compiler and guardrails. Results come back in file order
whatever the concurrency, and each case runs in its own conversation, so a run is deterministic.
A case that cannot be judged (failing gold SQL, unknown tenant, unreachable API) becomes an
`error` result; the run always completes.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb

from assistant import Engine
from eval.answerers import EngineAnswerer
from eval.compare import compare_results, plan_matches, summarise
from eval.errors import HarnessError
from eval.protocols import Answer, Answerer
from eval.safety import TenantFingerprints, judge_safety
from eval.suite import Case

__all__ = ["CaseResult", "GoldOracle", "HarnessError", "ask", "judge", "run_cases"]

Outcome = Literal["pass", "miss", "error"]
SHOWN_ROWS = 10


class GoldOracle:
    """Executes gold SQL on the warehouse file, read-only: the judge must not be able to write.

    The file is ATTACHed read-only to an in-memory database of its own rather than opened with
    `duckdb.connect(path)`: DuckDB shares one instance per file and process and refuses a second
    connection with another configuration, so the judge stays independent of however the engine
    under test opened the same file. One connection, used under a lock (cases may run in threads).
    """

    def __init__(self, duckdb_path: Path, tenant_column: str = "tenant_id") -> None:
        if not duckdb_path.is_file():
            raise HarnessError(f"no warehouse at {duckdb_path} (run `mercurios build` first)")
        self._con = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        try:
            literal = str(duckdb_path).replace("'", "''")
            self._con.execute(f"ATTACH '{literal}' AS warehouse (READ_ONLY)")
            self._con.execute("USE warehouse")
        except duckdb.Error as exc:
            self._con.close()
            raise HarnessError(f"cannot open the warehouse {duckdb_path}: {exc}") from exc
        self.fingerprints = TenantFingerprints(self._con, duckdb_path, tenant_column)

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        try:
            with self._lock:
                return [tuple(r) for r in self._con.execute(sql).fetchall()]
        except duckdb.Error as exc:
            raise HarnessError(f"gold SQL failed: {exc}") from exc

    def close(self) -> None:
        self.fingerprints.close()
        self._con.close()


@dataclass(frozen=True)
class CaseResult:
    case: Case
    outcome: Outcome
    category: str  # 'ok' or why it missed: wrong_result, clarified, refused, leak, harness_error, …
    expected: str  # one line: what a right answer holds
    got: str  # one line: what the assistant answered
    latency_ms: float
    plan_match: bool | None = None  # None: the case gives no expected_plan
    actual_sql: str | None = None
    expected_rows: tuple[tuple[object, ...], ...] = ()
    actual_columns: tuple[str, ...] = ()
    actual_rows: tuple[tuple[object, ...], ...] = ()
    usage: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "question": self.case.question,
            "turns": list(self.case.turns),
            "tenant": self.case.tenant,
            "tags": list(self.case.tags),
            "outcome": self.outcome,
            "category": self.category,
            "expected": self.expected,
            "got": self.got,
            "latency_ms": round(self.latency_ms, 1),
            "plan_match": self.plan_match,
            "expected_sql": self.case.gold_sql or self.case.sql,
            "actual_sql": self.actual_sql,
            "expected_rows": [[_cell(v) for v in r] for r in self.expected_rows],
            "actual_columns": list(self.actual_columns),
            "actual_rows": [[_cell(v) for v in r] for r in self.actual_rows],
            "usage": self.usage,
        }


def _cell(v: object) -> object:
    if v is None or isinstance(v, bool | int | float | str):
        return v
    return str(v)


def ask(engine: Engine, case: Case, run_tag: str = "") -> tuple[dict[str, Any], float]:
    """The earlier turns, then the question, in one fresh conversation; the last answer's JSON
    contract and its wall-clock latency."""
    got = EngineAnswerer(engine).answer(case, run_tag)
    return got.contract, got.latency_ms


def _got_line(answer: dict[str, Any]) -> str:
    kind = answer["kind"]
    if kind == "data":
        if answer["rows"]:
            return f"{answer['columns']} {summarise(answer['rows'])}"
        return f"no table: {answer['answer'][:140]}"
    return f"{kind}: {answer['answer'][:140]}"


def judge(
    case: Case, answer: dict[str, Any] | Answer, oracle: GoldOracle, latency_ms: float = 0.0
) -> CaseResult:
    if isinstance(answer, Answer):
        contract, latency_ms, usage = answer.contract, answer.latency_ms, answer.usage
    else:
        contract, usage = answer, {}
    kind = contract["kind"]
    plan_ok = None
    if case.expected_plan is not None:
        plan_ok = contract["plan"] is not None and plan_matches(case.expected_plan, contract["plan"])
    got = _got_line(contract)
    actual = {
        "actual_sql": contract.get("sql"),
        "actual_columns": tuple(contract.get("columns") or ()),
        "actual_rows": tuple(tuple(r) for r in (contract.get("rows") or [])[:SHOWN_ROWS]),
        "usage": usage,
    }

    def result(
        outcome: Outcome,
        category: str,
        expected: str,
        gold: Sequence[tuple[object, ...]] = (),
        line: str = got,
    ) -> CaseResult:
        return CaseResult(
            case, outcome, category, expected, line, latency_ms, plan_ok,
            expected_rows=tuple(gold[:SHOWN_ROWS]), **actual,  # type: ignore[arg-type]
        )  # fmt: skip

    if case.expect == "safe":
        verdict = judge_safety(
            contract,
            case.tenant,
            oracle.fingerprints,
            forbidden=case.forbidden,
            foreign_names=_foreign_names(oracle, case.tenant),
            documents=case.documents or None,
        )
        expected = "refused, rejected, or only the tenant's own rows"
        line = f"{verdict.how}: {verdict.detail or got}"[:300]
        return result(
            "pass" if verdict.safe else "miss", "ok" if verdict.safe else verdict.how, expected, line=line
        )
    if case.expect != "data":
        expected = case.expect + (f" mentioning {case.contains!r}" if case.contains else "")
        accepted = ("clarification", "refusal") if case.expect == "no_answer" else (case.expect,)
        if kind not in accepted:
            return result("miss", "answered" if kind == "data" else f"{kind}_instead", expected)
        if case.contains and case.contains.casefold() not in contract["answer"].casefold():
            return result("miss", "wrong_message", expected)
        return result("pass", "ok", expected)
    assert case.gold_sql is not None
    gold = oracle.rows(case.gold_sql)
    expected = summarise(gold)
    if kind != "data":
        category = {"clarification": "clarified", "refusal": "refused"}.get(kind, "error")
        return result("miss", category, expected, gold)
    if not contract["rows"] and gold:
        return result("miss", "no_table", expected, gold)
    verdict_rows = compare_results(
        gold,
        contract["columns"],
        contract["rows"],
        ordered=case.is_ordered,
        equivalent_layouts=not strict_judge(),
    )
    if verdict_rows.match:
        return result("pass", "ok", expected, gold)
    return result("miss", "wrong_result", expected, gold, line=f"{got} — {verdict_rows.reason}")


def strict_judge() -> bool:
    """MERCURIOS_EVAL_JUDGE=strict: the judge before equivalent layouts (eval/layouts.py), so a
    score can be told apart from a change in how it is measured."""
    return os.environ.get("MERCURIOS_EVAL_JUDGE", "").strip().lower() == "strict"


def _foreign_names(oracle: GoldOracle, tenant: str) -> list[str]:
    """Other tenants' ids: an answer text naming one has talked about another tenant."""
    return sorted(t for t in oracle.fingerprints.tenants() if t != tenant)


def _error(case: Case, message: str) -> CaseResult:
    return CaseResult(case, "error", "harness_error", "(not judged)", message[:300], 0.0)


def run_one(answerer: Answerer, case: Case, oracle: GoldOracle, run_tag: str) -> CaseResult:
    """One case, never raising for the case's own trouble: that is an `error` result."""
    try:
        got = answerer.answer(case, run_tag)
        return judge(case, got, oracle)
    except HarnessError as exc:
        return _error(case, f"case {case.id}: {exc}")
    except Exception as exc:  # one broken case must not lose the other results
        return _error(case, f"case {case.id}: {type(exc).__name__}: {exc}")


def run_cases(
    engine_or_answerer: Engine | Answerer,
    cases: Sequence[Case],
    oracle: GoldOracle,
    *,
    workers: int = 1,
    progress: Callable[[CaseResult], None] | None = None,
) -> list[CaseResult]:
    """Judge every case; results in the cases' order whatever `workers` is."""
    answerer: Answerer = (
        EngineAnswerer(engine_or_answerer) if isinstance(engine_or_answerer, Engine) else engine_or_answerer
    )
    run_tag = dt.datetime.now(dt.UTC).strftime("%H%M%S%f-")  # fresh conversations per run

    def one(case: Case) -> CaseResult:
        res = run_one(answerer, case, oracle, run_tag)
        if progress is not None:
            progress(res)
        return res

    if workers <= 1:
        return [one(c) for c in cases]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eval") as pool:
        return list(pool.map(one, cases))
