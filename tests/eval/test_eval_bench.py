"""`mercurios eval bench` (structure only: timings are printed, never asserted — shared CI machines
make timed assertions flaky). What a reader relies on: every section is there, engine figures sit
beside the raw DuckDB time of the same SQL with a ratio, cache hits really are hits, and `--scale`
picks the warehouse under var/bench instead of the configured one."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.runtime.settings import get_settings
from eval.cli import app
from tests.demo import DemoWarehouse


@pytest.fixture
def bench_env(
    demo_warehouse: DemoWarehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Path]:
    monkeypatch.setenv("MERCURIOS_DUCKDB_PATH", str(demo_warehouse.path))
    monkeypatch.setenv("DBT_TARGET_PATH", str(demo_warehouse.dbt_target_path))
    monkeypatch.setenv("MERCURIOS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _row(output: str, name: str) -> list[str]:
    [line] = [ln for ln in output.splitlines() if ln.strip().startswith(name)]
    return line[len(line) - len(line.lstrip()) + len(name) :].split()


def test_bench_report_has_every_section_with_raw_ratios(bench_env: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "--repeat", "1", "--chunks", "20", "--sample", "4"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for section in ("[semantic layer]", "[ask]", "[cache]", "[retrieval]"):
        assert section in out, out
    for figure in ("ask end to end (computed)", "ask, cache hit", "execute guarded SQL"):
        p50, _p95, raw, ratio, *_ = _row(out, figure)
        assert float(p50) > 0 and float(raw) > 0, out
        assert re.fullmatch(r"\d+\.\dx", ratio), out  # printed beside the raw DuckDB time
    assert "NOT cache hits" not in out  # the cache line measures hits, not recomputations
    assert "search over 20 chunks" in out


def test_scale_picks_the_bench_warehouse(bench_env: Path, demo_warehouse: DemoWarehouse) -> None:
    folder = bench_env / "bench" / "scale-0.5"
    folder.mkdir(parents=True)
    shutil.copy(demo_warehouse.path, folder / "warehouse.duckdb")  # present: reused, not rebuilt
    shutil.copytree(demo_warehouse.dbt_target_path, folder / "dbt-target")
    result = CliRunner().invoke(
        app, ["bench", "--scale", "0.5", "--repeat", "1", "--sample", "2", "--no-retrieval"]
    )
    assert result.exit_code == 0, result.output
    assert f"warehouse {folder / 'warehouse.duckdb'} (scale 0.5)" in result.stdout
    assert "[retrieval]" not in result.stdout and "building" not in result.output


def test_unknown_tenant_is_a_clear_error(bench_env: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "--tenant", "nobody", "--no-retrieval"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_api_flag_adds_the_http_load_figures_of_a_spawned_server(bench_env: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["bench", "--repeat", "1", "--sample", "1", "--no-retrieval", "--api", "--api-seconds", "1"],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    head = next(line for line in lines if line.startswith("API load benchmark"))
    assert "2 worker(s)" in head and "127.0.0.1" in head
    for phase in ("cached", "uncached"):
        line = next(line for line in lines if line.startswith(phase + " "))
        assert "req/s" in line and " 0 errors" in line, line
    rss = next(line for line in lines if line.startswith("worker RSS"))
    assert "the largest of 2 workers" in rss
