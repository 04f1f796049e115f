"""`make test` ends by naming every skipped test, grouped by reason, in a banner (tests/skip_summary.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.demo import REPO_ROOT

SAMPLE = """
import pytest

CHROMIUM = "!!! SKIPPING the browser tests: Chromium is not installed at /usr/bin/chromium !!!"

@pytest.fixture(scope="module")
def browser():
    pytest.skip(CHROMIUM)

def test_one(browser): pass
def test_two(browser): pass

@pytest.mark.skip(reason="PostgreSQL unreachable")
def test_on_postgres(): pass

def test_that_runs(): pass
"""


def _run(tmp_path: Path, source: str) -> str:
    (tmp_path / "test_sample.py").write_text(source)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", os.devnull, "--rootdir", str(tmp_path),
         "-p", "no:cacheprovider", "-p", "tests.skip_summary", "-q", str(tmp_path / "test_sample.py")],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_skipped_tests_are_listed_by_reason_in_a_banner(tmp_path: Path) -> None:
    out = _run(tmp_path, SAMPLE)
    banner = out[out.index("3 tests were SKIPPED") :]
    assert banner.startswith("3 tests were SKIPPED — this run did not test everything")
    lines = [line.strip() for line in banner.splitlines()]
    chromium = lines.index(
        "2 skipped: !!! SKIPPING the browser tests: Chromium is not installed at /usr/bin/chromium !!!"
    )
    assert lines[chromium + 1] == "2  test_sample.py"
    postgres = lines.index("1 skipped: PostgreSQL unreachable")
    assert lines[postgres + 1] == "1  test_sample.py" and chromium < postgres


def test_a_run_without_skips_says_so(tmp_path: Path) -> None:
    out = _run(tmp_path, "def test_runs(): pass\n")
    assert "Skipped tests: none — every collected test ran." in out and "SKIPPED" not in out
