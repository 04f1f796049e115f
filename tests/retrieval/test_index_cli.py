"""`mercurios index` as a user runs it: index the demo warehouse, search, evaluate, bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.demo import DemoWarehouse

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], demo: DemoWarehouse, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MERCURIOS_DATA_DIR": str(data_dir),
        "MERCURIOS_DUCKDB_PATH": str(demo.path),
        "MERCURIOS_DBT_TARGET_PATH": str(demo.dbt_target_path),
    }
    code = "from assistant.channels.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_index_search_and_eval_on_the_demo(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    data = tmp_path / "var"
    first = _run(["index"], demo_warehouse, data)
    assert first.returncode == 0, first.stderr
    assert "nordwind-fashion     documents" in first.stdout and "_catalog" in first.stdout
    found = _run(["index", "search", "--tenant", "nordwind-fashion", "sales in Munich"], demo_warehouse, data)
    assert found.returncode == 0, found.stderr
    assert "store__city=München" in found.stdout and "net_sales" in found.stdout
    docs = _run(
        ["index", "search", "--documents", "--tenant", "casa-living", "return policy"], demo_warehouse, data
    )
    assert "answerable: True" in docs.stdout and "return-policy.md" in docs.stdout
    scored = _run(
        ["index", "eval", "--min-metric-recall", "0.95", "--min-value-recall", "0.9"], demo_warehouse, data
    )
    assert scored.returncode == 0, scored.stdout + scored.stderr
    assert "retrieval recall@5" in scored.stdout


def test_bad_documents_fail_with_one_clear_line(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.md").write_text("  \n", encoding="utf-8")
    result = _run(["index", "docs", str(folder), "--tenant", "alpin-sport"], demo_warehouse, tmp_path / "var")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {folder / 'empty.md'}: the document has no text to index"
    ]
    bad_tenant = _run(
        ["index", "docs", str(folder), "--tenant", "Alpin Sport"], demo_warehouse, tmp_path / "v"
    )
    assert bad_tenant.returncode == 2 and "invalid tenant id" in bad_tenant.stderr
    unknown = _run(["index", "--tenant", "no-such-retailer"], demo_warehouse, tmp_path / "var")
    assert unknown.returncode == 2 and "unknown tenant" in unknown.stderr
