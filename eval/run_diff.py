"""`mercurios eval compare RUN_A RUN_B`: what got better and what got worse between two runs.

Per suite the score moves, and the cases that changed outcome are named (fixed, broken, newly
erroring, added, removed) — a score that stayed at 94 % while five cases swapped is news too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SuiteDiff:
    suite: str
    before: float | None
    after: float | None
    fixed: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # any other outcome change (e.g. to error)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _score(report: Any) -> float | None:
    if not isinstance(report, dict):
        return None
    for key in ("accuracy", "metric_recall@5"):
        if isinstance(report.get(key), int | float):
            return float(report[key])
    return None


def diff_runs(a: dict[str, Any], b: dict[str, Any]) -> list[SuiteDiff]:
    sa, sb = a.get("suites", {}), b.get("suites", {})
    out: list[SuiteDiff] = []
    for name in [*sa, *(n for n in sb if n not in sa)]:
        ra, rb = sa.get(name) or {}, sb.get(name) or {}
        d = SuiteDiff(name, _score(ra), _score(rb))
        oa: dict[str, str] = ra.get("outcomes", {})
        ob: dict[str, str] = rb.get("outcomes", {})
        for case_id in [*oa, *(c for c in ob if c not in oa)]:
            before, after = oa.get(case_id), ob.get(case_id)
            if before == after:
                continue
            if before is None:
                d.added.append(case_id)
            elif after is None:
                d.removed.append(case_id)
            elif after == "pass":
                d.fixed.append(case_id)
            elif before == "pass":
                d.broken.append(case_id)
            else:
                d.changed.append(f"{case_id} ({before} → {after})")
        out.append(d)
    return out


def render_diff(diffs: list[SuiteDiff]) -> str:
    lines: list[str] = []
    for d in diffs:
        before = "—" if d.before is None else f"{d.before:.1%}"
        after = "—" if d.after is None else f"{d.after:.1%}"
        arrow = ""
        if d.before is not None and d.after is not None:
            delta = d.after - d.before
            arrow = "  (=)" if abs(delta) < 5e-5 else f"  ({'+' if delta > 0 else ''}{delta * 100:.1f} pts)"
        lines.append(f"{d.suite}: {before} → {after}{arrow}")
        for label, ids in (("better", d.fixed), ("worse", d.broken), ("changed", d.changed),
                           ("new", d.added), ("gone", d.removed)):  # fmt: skip
            if ids:
                lines.append(f"  {label} ({len(ids)}): " + ", ".join(ids))
    return "\n".join(lines)


def got_worse(diffs: list[SuiteDiff]) -> bool:
    return any(
        d.broken or (d.before is not None and d.after is not None and d.after < d.before) for d in diffs
    )
