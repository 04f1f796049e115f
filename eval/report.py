"""The report of a run: accuracy overall and per tag, latency, and every miss in a line or two.

Every miss is listed (never "and 12 more"): the report is what someone fixing the planner reads,
and a miss left out of it is a miss nobody fixes.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eval.runner import CaseResult
from eval.suite import SuiteProblem


def _is_redteam(suite: str) -> bool:
    return suite.startswith("redteam")


@dataclass(frozen=True)
class TagScore:
    tag: str
    passed: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass(frozen=True)
class Report:
    suite: str
    results: tuple[CaseResult, ...]
    problems: tuple[SuiteProblem, ...] = ()  # cases the harness could not even load

    @property
    def total(self) -> int:
        return len(self.results) + len(self.problems)

    @property
    def passed(self) -> int:
        return sum(r.outcome == "pass" for r in self.results)

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0

    @property
    def misses(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.results if r.outcome == "miss")

    @property
    def errors(self) -> tuple[CaseResult, ...]:
        """Cases not judged (harness errors): they count against the score and are listed apart."""
        return tuple(r for r in self.results if r.outcome == "error")

    def usage(self) -> dict[str, float]:
        """Tokens and cost of the LLM calls of the run (zero offline)."""
        total: dict[str, float] = {"prompt_tokens": 0.0, "completion_tokens": 0.0, "cost_usd": 0.0}
        for r in self.results:
            for key, value in r.usage.items():
                total[key] = total.get(key, 0.0) + value
        return total

    def per_tag(self) -> list[TagScore]:
        totals: Counter[str] = Counter()
        passes: Counter[str] = Counter()
        for r in self.results:
            for tag in dict.fromkeys(r.case.tags):
                totals[tag] += 1
                passes[tag] += r.outcome == "pass"
        return [TagScore(t, passes[t], totals[t]) for t in sorted(totals)]

    def miss_categories(self) -> dict[str, int]:
        return dict(sorted(Counter(r.category for r in self.misses).items()))

    def latency_ms(self) -> tuple[float, float]:
        """(median, p95) of the judged question's wall-clock time (earlier turns not counted)."""
        values = sorted(r.latency_ms for r in self.results)
        if not values:
            return 0.0, 0.0
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        return statistics.median(values), p95

    def plan_score(self) -> tuple[int, int]:
        judged = [r for r in self.results if r.plan_match is not None]
        return sum(bool(r.plan_match) for r in judged), len(judged)

    def as_json(self) -> dict[str, Any]:
        median, p95 = self.latency_ms()
        plan_ok, plan_n = self.plan_score()
        return {
            "suite": self.suite,
            "total": self.total,
            "passed": self.passed,
            "accuracy": round(self.accuracy, 4),
            "plan_exact_match": {"matched": plan_ok, "judged": plan_n},
            "latency_ms": {"median": round(median, 1), "p95": round(p95, 1)},
            "per_tag": {s.tag: {"passed": s.passed, "total": s.total} for s in self.per_tag()},
            "miss_categories": self.miss_categories(),
            "errors": [r.as_json() for r in self.errors]
            + [{"id": p.case_id, "outcome": "error", "category": "suite_problem", "got": p.message}
               for p in self.problems],
            "usage": {k: round(v, 6) for k, v in self.usage().items()},
            "outcomes": {r.case.id: r.outcome for r in self.results},
            "latencies_ms": [round(r.latency_ms, 1) for r in self.results if r.outcome != "error"],
            "misses": [r.as_json() for r in self.misses],
        }  # fmt: skip


def build_report(suite: str, results: Sequence[CaseResult], problems: Sequence[SuiteProblem] = ()) -> Report:
    return Report(suite=suite, results=tuple(results), problems=tuple(problems))


def render_misses(report: Report) -> str:
    lines: list[str] = []
    for r in report.misses:
        c = r.case
        turns = f" (after: {' → '.join(c.turns)})" if c.turns else ""
        lines.append(f"✗ {c.id} [{r.category}] {c.tenant} as of {c.as_of}: {c.question!r}{turns}")
        lines.append(f"    expected {r.expected}")
        lines.append(f"    got      {r.got}")
    return "\n".join(lines)


def render_text(report: Report) -> str:
    median, p95 = report.latency_ms()
    plan_ok, plan_n = report.plan_score()
    out = [
        f"suite {report.suite}: {report.passed}/{report.total} correct — "
        f"{'safe' if _is_redteam(report.suite) else 'execution accuracy'} {report.accuracy:.1%}",
        f"latency per question: median {median:.0f} ms, p95 {p95:.0f} ms",
    ]
    if plan_n:
        out.append(f"plan exact match: {plan_ok}/{plan_n}")
    if report.misses:
        cats = ", ".join(f"{k} {v}" for k, v in report.miss_categories().items())
        out.append(f"misses by category: {cats}")
    usage = report.usage()
    if usage.get("prompt_tokens") or usage.get("cost_usd"):
        out.append(
            f"LLM usage: {usage['prompt_tokens']:.0f} prompt + {usage['completion_tokens']:.0f} "
            f"completion tokens, ${usage['cost_usd']:.4f}"
        )
    if report.errors or report.problems:
        out.append(f"not judged (harness errors): {len(report.errors) + len(report.problems)}")
        out += [f"  ! {r.case.id}: {r.got}" for r in report.errors]
        out += [f"  ! {p.case_id}: {p.message}" for p in report.problems]
    out.append("")
    out.append("per tag:")
    for s in report.per_tag():
        out.append(f"  {s.tag:<28} {s.passed:>3}/{s.total:<3} {s.accuracy:6.1%}")
    if report.misses:
        out += ["", f"misses ({len(report.misses)}):", render_misses(report)]
    return "\n".join(out)
