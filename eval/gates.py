"""`mercurios eval gate`: thresholds from configuration (eval/gates.yaml), checked on a run.

Thresholds are data so that raising the bar is a one-line reviewed change, not a code change, and
so that CI and a developer's laptop check the very same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eval.errors import HarnessError

GATES_FILE = Path(__file__).resolve().parent / "gates.yaml"


@dataclass(frozen=True)
class Gates:
    suites: dict[str, float]
    retrieval: dict[str, float]

    @property
    def suite_names(self) -> list[str]:
        return [*self.suites, *(["retrieval"] if self.retrieval else [])]


@dataclass(frozen=True)
class GateCheck:
    name: str
    value: float | None  # None: the suite did not run or could not be scored
    threshold: float

    @property
    def ok(self) -> bool:
        return self.value is not None and self.value >= self.threshold

    def line(self) -> str:
        shown = "not run" if self.value is None else f"{self.value:.1%}"
        return f"{'PASS' if self.ok else 'FAIL'}  {self.name:<28} {shown:>8}  (min {self.threshold:.0%})"


def _thresholds(raw: object, where: str) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, int | float) and 0 <= v <= 1 for v in raw.values()):
        raise HarnessError(f"{where}: expected a mapping of names to thresholds between 0 and 1")
    return {str(k): float(v) for k, v in raw.items()}


def load_gates(path: Path = GATES_FILE) -> Gates:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise HarnessError(f"cannot read gates {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise HarnessError(f"{path}: expected 'suites' and 'retrieval' mappings")
    return Gates(
        _thresholds(raw.get("suites"), f"{path} suites"),
        _thresholds(raw.get("retrieval"), f"{path} retrieval"),
    )


def check(gates: Gates, run: dict[str, Any]) -> list[GateCheck]:
    """One check per threshold, on a run's JSON (`RunResult.as_json()`)."""
    suites = run.get("suites", {})
    checks: list[GateCheck] = []
    for name, threshold in gates.suites.items():
        report = suites.get(name)
        value = report.get("accuracy") if isinstance(report, dict) else None
        checks.append(GateCheck(name, value if isinstance(value, int | float) else None, threshold))
    retrieval = suites.get("retrieval") or {}
    for metric, threshold in gates.retrieval.items():
        value = retrieval.get(metric)
        checks.append(
            GateCheck(f"retrieval {metric}", value if isinstance(value, int | float) else None, threshold)
        )
    return checks
