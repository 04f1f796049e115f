"""`mercurios bench api --spawn`: the server runs as a separate process and the report has every
figure. Structure only — timings on a shared CI machine are not asserted."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from assistant.channels.cli.main import app
from assistant.runtime.settings import get_settings
from eval.bench.api_load import BenchmarkTargetError, Target, run_load_benchmark


def test_bench_api_spawns_a_server_and_prints_every_figure(demo_cli_env: None) -> None:
    result = CliRunner().invoke(
        app, ["bench", "api", "--spawn", "--seconds", "1", "--concurrency", "4"], catch_exceptions=False
    )
    get_settings.cache_clear()  # the next test reads its own environment
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    cached = next(line for line in lines if line.startswith("cached"))
    uncached = next(line for line in lines if line.startswith("uncached"))
    for line in (cached, uncached):
        assert "req/s" in line and "p50" in line and "p95" in line
        assert " 0 errors" in line, line
    assert " 0 cache hits" not in cached  # the repeated question is served from the cache
    assert " 0 cache hits" in uncached  # every (question, as_of) pair is new
    rss = next(line for line in lines if line.startswith("worker RSS"))
    assert "MB" in rss and "unknown" not in rss
    start = next(line for line in lines if line.startswith("start"))  # `mercurios serve` → first answer
    ready, first = (float(x) for x in re.findall(r"(\d+\.\d+) s\b", start)[:2])
    assert 0 < ready <= first, start
    assert re.search(r"worker RSS then \d+(, \d+)* MB", start), start


def test_bench_api_refuses_a_non_loopback_target() -> None:
    with pytest.raises(BenchmarkTargetError, match="loopback"):
        run_load_benchmark(Target("http://example.com:8000", "k", None), seconds=0.5)


def test_bench_api_needs_spawn_or_url() -> None:
    result = CliRunner().invoke(app, ["bench", "api"])
    assert result.exit_code != 0
