"""The semantic-layer benchmark runs end to end on the demo warehouse (structure, never timings)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant.core.tenants import UnknownTenantError
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from eval.bench.cli import app
from eval.bench.semantic_layer import (
    BenchmarkReport,
    Stat,
    format_report,
    representative_queries,
    run_benchmark,
)
from semantic_layer.facade import SemanticLayer
from tests.demo import DemoWarehouse


@pytest.fixture(scope="module")
def layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.fixture(scope="module")
def report(layer: SemanticLayer) -> BenchmarkReport:
    return run_benchmark(layer, "casa-living", repeat=1)


def test_stat_median_and_p95() -> None:
    stat = Stat.of([float(v) for v in range(1, 101)])
    assert (stat.median_ms, stat.p95_ms, stat.samples) == (50.5, 95.0, 100)
    assert Stat.of([3.0]) == Stat(3.0, 3.0, 1)
    with pytest.raises(ValueError):
        Stat.of([])


def test_every_representative_query_is_timed(report: BenchmarkReport, demo_warehouse: DemoWarehouse) -> None:
    assert report.as_of == demo_warehouse.end_date  # dated from the tenant's data, not today
    expected = representative_queries(report.as_of)
    assert len(expected) >= 20
    assert any(b.compare for b in expected) and any(b.share for b in expected)
    assert [q.name for q in report.queries] == [b.name for b in expected]
    for q in report.queries:
        assert q.compile_ms.samples == q.guard_ms.samples == 1
        assert q.guarded_exec_ms is not None and q.raw_exec_ms is not None
        assert q.raw_all_tenants_exec_ms is not None
        assert q.exec_ratio is not None and q.exec_ratio > 0
        assert q.compile_guard_ms > 0
        # the fair baseline computes the same answer: guarded SQL == raw SQL over the tenant's rows
        assert q.same_result, q.name
    assert sum(1 for q in report.queries if q.rows) >= len(report.queries) - 2, "the queries return data"


def test_the_report_prints_every_query_and_the_targets(report: BenchmarkReport) -> None:
    text = format_report(report)
    for q in report.queries:
        assert q.name[:46] in text
    assert f"compile + guard, median over queries: {report.compile_guard_median_ms:.2f} ms" in text
    assert "target <= 15 ms" in text and "target <= 1.1x" in text
    assert "(results differ!)" not in text


def test_bench_sl_command(demo_warehouse: DemoWarehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", str(demo_warehouse.dbt_target_path))
    runner = CliRunner()
    args = ["sl", "--warehouse", str(demo_warehouse.path), "--repeat", "1"]
    result = runner.invoke(app, [*args, "--tenant", "alpin-sport"])
    assert result.exit_code == 0, result.output
    assert "tenant alpin-sport" in result.output
    assert "guarded / raw execution" in result.output
    unknown = runner.invoke(app, [*args, "--tenant", "no-such-retailer"])
    assert isinstance(unknown.exception, UnknownTenantError)
