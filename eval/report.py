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

# Misses where the assistant answered with a table that is not the answer (or a number where none
# was wanted): far worse than a question back, so counted apart from clarifications and refusals.
CONFIDENTLY_WRONG = frozenset({"wrong_result", "answered", "no_table"})
_CASE_LEVEL = ("per_tag", "errors", "outcomes", "latencies_ms", "misses", "plan_exact_match")


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
    frozen: bool = False  # a held-out test half: scores only, no case is shown

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
    def confidently_wrong(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.misses if r.category in CONFIDENTLY_WRONG)

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
        out: dict[str, Any] = {
            "suite": self.suite,
            "total": self.total,
            "passed": self.passed,
            "accuracy": round(self.accuracy, 4),
            "confidently_wrong": len(self.confidently_wrong),
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
        if self.frozen:  # scores only: which cases missed stays unseen
            out = {k: v for k, v in out.items() if k not in _CASE_LEVEL}
            out["frozen"] = True
            out["errors"] = len(self.errors) + len(self.problems)
        return out


def build_report(
    suite: str, results: Sequence[CaseResult], problems: Sequence[SuiteProblem] = (), *, frozen: bool = False
) -> Report:
    return Report(suite=suite, results=tuple(results), problems=tuple(problems), frozen=frozen)


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
    if not _is_redteam(report.suite) and report.total:
        wrong = len(report.confidently_wrong)
        held = len(report.misses) - wrong
        out.append(
            f"confidently wrong: {wrong} ({wrong / report.total:.1%}); "
            f"other misses (clarified, refused, error): {held}"
        )
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
    if report.frozen:
        errors = len(report.errors) + len(report.problems)
        out.append(f"not judged (harness errors): {errors}" if errors else "")
        out.append("(a frozen held-out suite: scores only; which cases missed is not shown)")
        return "\n".join(line for line in out if line)
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
