"""Recall@k of the retriever on a labelled suite (eval/suites/retrieval.yaml).

A case lists the metrics, dimensions and `dimension=value` pairs a question is about; recall@k is
the share of those expected items found in the retriever's top k of the same kind, pooled over
all cases. The suite is checked against the tenants' real values first: an expected value that
does not exist is a broken suite, not a miss.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guardrails.errors import ConfigError
from retrieval.retriever import Retriever

SUITE = Path(__file__).resolve().parents[2] / "eval" / "suites" / "retrieval.yaml"


@dataclass(frozen=True)
class RetrievalCase:
    id: str
    tenant: str
    question: str
    metrics: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Miss:
    case: str
    kind: str
    expected: str
    got: tuple[str, ...]


@dataclass
class Tally:
    expected: int = 0
    found: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


@dataclass
class RecallReport:
    k: int
    cases: int
    metrics: Tally = field(default_factory=Tally)
    dimensions: Tally = field(default_factory=Tally)
    values: Tally = field(default_factory=Tally)
    misses: list[Miss] = field(default_factory=list)
    extra_values: int = 0  # values proposed that the case did not expect (a precision signal)

    def render(self) -> str:
        m, d, v = self.metrics, self.dimensions, self.values
        lines = [
            f"retrieval recall@{self.k} over {self.cases} cases",
            f"  metrics     {m.recall:6.1%}  ({m.found}/{m.expected})",
            f"  dimensions  {d.recall:6.1%}  ({d.found}/{d.expected})",
            f"  values      {v.recall:6.1%}  ({v.found}/{v.expected}); "
            f"{self.extra_values / max(self.cases, 1):.2f} unexpected values proposed per case",
        ]
        for miss in self.misses:
            got = ", ".join(miss.got) or "-"
            lines.append(f"  miss {miss.case} {miss.kind} {miss.expected!r}; top: {got}")
        return "\n".join(lines)


def _pair(text: str, where: str) -> tuple[str, str]:
    dim, sep, value = str(text).partition("=")
    if not sep or not dim or not value:
        raise ConfigError(f"{where}: value {text!r} must be 'dimension=value'")
    return dim.strip(), value.strip()


def load_suite(path: Path = SUITE) -> tuple[int, list[RetrievalCase]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read retrieval suite {path}: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("kind") != "retrieval" or not isinstance(raw.get("cases"), list):
        raise ConfigError(f"{path}: expected 'kind: retrieval' and a list of cases")
    cases = []
    for entry in raw["cases"]:
        where = f"{path.name} case {entry.get('id', '?')}"
        cases.append(
            RetrievalCase(
                id=str(entry["id"]),
                tenant=str(entry["tenant"]),
                question=str(entry["question"]),
                metrics=tuple(entry.get("metrics", ())),
                dimensions=tuple(entry.get("dimensions", ())),
                values=tuple(_pair(v, where) for v in entry.get("values", ())),
            )
        )
    return int(raw.get("k", 5)), cases


def check_suite(cases: Sequence[RetrievalCase], values: Mapping[str, Mapping[str, Sequence[str]]]) -> None:
    """Every expected value must exist for its tenant (else the suite, not retrieval, is wrong)."""
    bad = [
        f"{c.id}: {d}={v}" for c in cases for d, v in c.values if v not in values.get(c.tenant, {}).get(d, ())
    ]
    if bad:
        raise ConfigError("retrieval suite names values that do not exist: " + "; ".join(bad))


def evaluate(retriever: Retriever, cases: Sequence[RetrievalCase], k: int = 5) -> RecallReport:
    report = RecallReport(k=k, cases=len(cases))
    for case in cases:
        ctx = retriever.context(case.tenant, case.question, k=k)
        got_metrics = tuple(c.name for c in ctx.metrics)
        got_dims = tuple(c.name for c in ctx.dimensions)
        got_values = tuple(f"{v.dimension}={v.value}" for v in ctx.values)
        wanted = {f"{d}={v}" for d, v in case.values}
        report.extra_values += sum(1 for v in got_values if v not in wanted)
        for kind, tally, expected, got in (
            ("metric", report.metrics, case.metrics, got_metrics),
            ("dimension", report.dimensions, case.dimensions, got_dims),
            ("value", report.values, tuple(f"{d}={v}" for d, v in case.values), got_values),
        ):
            for item in expected:
                tally.expected += 1
                if item in got:
                    tally.found += 1
                else:
                    report.misses.append(Miss(case.id, kind, item, got))
    return report
