"""A pytest plugin (tests/conftest.py re-exports its hook): the run ends with a loud banner naming
every skipped test, grouped by reason, so a suite that did not run — no Chromium, no PostgreSQL —
is never mistaken for one that passed. `make test` shows it; CI fails those skips instead."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def _reason(report: Any) -> str:
    longrepr = report.longrepr
    reason = str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ").strip()


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if getattr(r, "nodeid", None)]
    if not skipped:
        terminalreporter.write_line("Skipped tests: none — every collected test ran.", green=True)
        return
    by_reason: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for report in skipped:
        by_reason[_reason(report)][_module(report.nodeid)] += 1
    noun = "test was" if len(skipped) == 1 else "tests were"
    terminalreporter.write_sep(
        "!", f"{len(skipped)} {noun} SKIPPED — this run did not test everything", red=True
    )
    for reason, modules in sorted(by_reason.items(), key=lambda item: -sum(item[1].values())):
        count = sum(modules.values())
        terminalreporter.write_line(f"{count} skipped: {reason}", red=True, bold=True)
        for module, n in sorted(modules.items()):
            terminalreporter.write_line(f"    {n:>3}  {module}")
    terminalreporter.write_line("README.md, 'Requirements', lists what the full suite needs.", red=True)
    terminalreporter.write_sep("!", red=True)
