"""A whole evaluation run: several suites through one answerer, plus retrieval, as one result.

`all` means every suite of eval/suites/ that the harness scores by asking questions, then the
retrieval suite (routed to eval/bench/retrieval_recall.py). A suite file that cannot be read becomes a
reported problem of that suite; the other suites still run — a run always completes and reports.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.protocols import Answerer
from eval.report import Report, build_report
from eval.retrieval_suite import RetrievalRun
from eval.runner import CaseResult, GoldOracle, run_cases
from eval.suite import SuiteError, SuiteProblem, load_suite

QUESTION_SUITES = ("retail", "followups", "refusals", "redteam-sql", "redteam-prompt")
ALL_SUITES = (*QUESTION_SUITES, "retrieval")


def expand(names: Sequence[str]) -> list[str]:
    """`all` → every suite, in a fixed order; duplicates dropped; other names kept as given."""
    out: list[str] = []
    for name in names:
        for n in ALL_SUITES if name == "all" else (name,):
            if n not in out:
                out.append(n)
    return out


@dataclass
class RunResult:
    meta: dict[str, Any]
    reports: list[Report] = field(default_factory=list)
    retrieval: RetrievalRun | None = None
    retrieval_error: str | None = None

    def as_json(self) -> dict[str, Any]:
        suites: dict[str, Any] = {r.suite: r.as_json() for r in self.reports}
        if self.retrieval is not None:
            suites["retrieval"] = self.retrieval.as_json()
        elif self.retrieval_error is not None:
            suites["retrieval"] = {"suite": "retrieval", "error": self.retrieval_error}
        usage: dict[str, float] = {}
        for r in self.reports:
            for k, v in r.usage().items():
                usage[k] = round(usage.get(k, 0.0) + v, 6)
        return {"meta": self.meta, "usage": usage, "suites": suites}


def run_suites(
    names: Sequence[str],
    answerer: Answerer,
    oracle: GoldOracle,
    *,
    needle: str | None = None,
    limit: int | None = None,
    workers: int = 1,
    retrieval: Callable[[], RetrievalRun] | None = None,
    progress: Callable[[str, int], Callable[[CaseResult], None] | None] | None = None,
) -> RunResult:
    """Each named suite in order. `progress(suite, n_cases)` may return a per-case callback."""
    started = time.perf_counter()
    result = RunResult(
        meta={
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "runner": answerer.name,
            "suites": list(names),
            "filter": needle,
            "limit": limit,
            "workers": workers,
        }
    )
    for name in names:
        if name == "retrieval":
            if retrieval is None:
                result.retrieval_error = "the retrieval suite runs in process only (not over --api)"
                continue
            try:
                result.retrieval = retrieval()
            except Exception as exc:  # the other suites' results must survive a broken index
                result.retrieval_error = f"{type(exc).__name__}: {exc}"
            continue
        try:
            suite = load_suite(name, strict=False)
        except SuiteError as exc:
            label = Path(name).stem if name.endswith((".yaml", ".yml")) else name
            result.reports.append(build_report(label, [], [SuiteProblem(f"<{label}>", str(exc))]))
            continue
        cases = suite.select(needle, limit)
        callback = progress(suite.name, len(cases)) if progress is not None else None
        results = run_cases(answerer, cases, oracle, workers=workers, progress=callback)
        result.reports.append(build_report(suite.name, results, suite.problems, frozen=suite.frozen))
    result.meta["elapsed_s"] = round(time.perf_counter() - started, 1)
    return result
