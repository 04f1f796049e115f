"""Figures a test measured (the short fuzz and fairness runs CI makes), shown together at the end of
the run, before pytest's closing line.

pytest hides what a passing test prints, so a figure printed by a test never reached CI's log. A
test hands its figures to `record` instead; `show` (called from tests/conftest.py's terminal summary)
writes them under a "figures" rule, passed or failed. The figures are printed for the README and for
reviews, never asserted: the machine is shared and its timings are noisy."""

from __future__ import annotations

from typing import Any

_RECORDED: list[tuple[str, str]] = []


def record(title: str, text: str) -> None:
    """Keep `text` (one or more lines) to be shown under `title` at the end of the run."""
    _RECORDED.append((title, text.strip("\n")))


def show(terminalreporter: Any) -> None:
    if not _RECORDED:
        return
    terminalreporter.write_sep("-", "figures (printed, not asserted)")
    for title, text in _RECORDED:
        terminalreporter.write_line(f"{title}:")
        for line in text.splitlines():
            terminalreporter.write_line(f"    {line}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """As a plugin of its own (`-p tests.figures`); tests/conftest.py calls `show` itself."""
    show(terminalreporter)
