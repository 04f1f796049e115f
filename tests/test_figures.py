"""Figures a test records (tests/figures.py) reach the end of the run's output — CI's log — whether the
test passed or failed; pytest alone hides a passing test's prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.demo import REPO_ROOT

SAMPLE = """
from tests import figures

def test_passes():
    print("a print pytest hides")
    figures.record("fuzz (sqlite)", "700 requests, by status {200: 600, 422: 100}")

def test_fails():
    figures.record("fairness", "B quiet p95 120.0 ms\\nB flood p95 300.0 ms")
    assert False
"""


def test_recorded_figures_are_shown_at_the_end_passed_or_failed(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", os.devnull, "--rootdir", str(tmp_path),
         "-p", "no:cacheprovider", "-p", "tests.figures", "-q", str(tmp_path / "test_sample.py")],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr  # one test failed
    out = proc.stdout
    shown = out[out.index("figures (printed, not asserted)") :]
    lines = [line.rstrip() for line in shown.splitlines()]
    assert lines[1:6] == [
        "fuzz (sqlite):",
        "    700 requests, by status {200: 600, 422: 100}",
        "fairness:",
        "    B quiet p95 120.0 ms",
        "    B flood p95 300.0 ms",
    ]
    assert "a print pytest hides" not in out
    assert "1 failed, 1 passed" in lines[-1]  # pytest's closing line stays the last
