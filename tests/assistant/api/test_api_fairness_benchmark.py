"""`mercurios bench fairness` in CI's short settings: the spawned server (2 workers, loopback) serves
tenant B while tenant A floods it, and the report prints every figure. Structure and correctness
only — B answered with no error, /healthz never failed, A's flood was served or queued, not
crashed; the timings themselves are printed for the README, not asserted on a shared machine."""

from __future__ import annotations

import ast
import re

from typer.testing import CliRunner

from assistant.channels.cli.main import app
from assistant.runtime.settings import get_settings
from tests import figures


def test_bench_fairness_prints_b_quiet_and_under_flood_and_healthz(demo_cli_env: None) -> None:
    result = CliRunner().invoke(
        app,
        ["bench", "fairness", "--seconds", "4", "--flood-clients", "6", "--b-rate", "3"],
        catch_exceptions=False,
    )
    get_settings.cache_clear()
    figures.record("mercurios bench fairness --seconds 4 --flood-clients 6 --b-rate 3", result.output)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    quiet = next(line for line in lines if line.startswith("B quiet"))
    flood = next(line for line in lines if line.startswith("B flood"))
    for line in (quiet, flood):
        statuses = re.search(r"statuses (\{.*\})", line)
        assert statuses and set(ast.literal_eval(statuses.group(1))) == {200}, line  # every question answered
        assert int(re.search(r"(\d+) answers", line).group(1)) >= 3, line  # type: ignore[union-attr]
    assert any(line.startswith("B p95 under flood / quiet:") for line in lines)
    healthz = next(line for line in lines if line.startswith("/healthz p99"))
    assert "10000.0" not in healthz  # no probe failed
    flood_a = next(line for line in lines if line.startswith("A during the flood"))
    a_statuses = ast.literal_eval(re.search(r"statuses (\{.*\})", flood_a).group(1))  # type: ignore[union-attr]
    assert a_statuses.get(200, 0) > 0 and set(a_statuses) <= {200, 429}, flood_a  # served or told to wait
