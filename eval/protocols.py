"""The one seam of the harness: whatever turns a case into an answer in the `--json` contract.

The in-process engine (offline or LLM planner) and a running service over HTTP both satisfy it,
so judging, reports and gates never know which one produced the answers they score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from eval.suite import Case


@dataclass(frozen=True)
class Answer:
    """The last turn's answer (the contract of `mercurios ask --json`), its wall-clock latency, and
    what the LLM calls of the whole conversation cost (empty offline)."""

    contract: dict[str, Any]
    latency_ms: float
    usage: dict[str, float] = field(default_factory=dict)


class Answerer(Protocol):
    """Answers one case: its earlier turns, then its question, in one fresh conversation. Raises
    `HarnessError` when the case cannot be asked at all (unknown tenant, unreachable API)."""

    name: str

    def answer(self, case: Case, run_tag: str) -> Answer: ...
