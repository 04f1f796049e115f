"""`mercurios ask`: the JSON contract of DESIGN.md, follow-ups by conversation id, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.demo import DemoWarehouse

CONTRACT_KEYS = {
    "tenant", "question", "as_of", "kind", "plan", "sql", "columns", "rows", "answer", "chart", "followups",
    "cached", "timings_ms",
}  # fmt: skip


def mercurios(demo: DemoWarehouse, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MERCURIOS_DUCKDB_PATH": str(demo.path),
        "DBT_TARGET_PATH": str(demo.dbt_target_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli.main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_ask_json_follows_the_contract(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    proc = mercurios(
        demo_warehouse,
        "ask",
        "top 3 stores by net sales last month",
        "--tenant",
        "nordwind-fashion",
        "--as-of",
        "2026-10-31",
        "--json",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) >= CONTRACT_KEYS
    assert out["kind"] == "data" and out["tenant"] == "nordwind-fashion" and out["as_of"] == "2026-10-31"
    assert out["plan"]["query"]["metrics"] == ["net_sales"] and out["plan"]["query"]["limit"] == 3
    assert "tenant_id = 'nordwind-fashion'" in out["sql"]
    assert out["columns"] == ["store__store_name", "net_sales"] and len(out["rows"]) == 3
    values = [row[1] for row in out["rows"]]
    assert values == sorted(values, reverse=True)
    assert out["rows"][0][0] in out["answer"] and out["chart"]["mark"] == "bar"
    assert out["timings_ms"]["total"] > 0


def test_ask_refusal_and_clarification_kinds(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    refusal = mercurios(demo_warehouse, "ask", "write me a poem", "-t", "alpin-sport", "--json", cwd=tmp_path)
    assert refusal.returncode == 0 and json.loads(refusal.stdout)["kind"] == "refusal"
    unclear = mercurios(
        demo_warehouse, "ask", "how are we doing?", "-t", "alpin-sport", "--json", cwd=tmp_path
    )
    body = json.loads(unclear.stdout)
    assert body["kind"] == "clarification" and body["sql"] is None and body["followups"]


def test_ask_errors_are_one_line(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    unknown = mercurios(demo_warehouse, "ask", "net sales", "-t", "acme", cwd=tmp_path)
    assert unknown.returncode == 2 and unknown.stderr.strip() == "error: unknown tenant 'acme'"
    bad_date = mercurios(
        demo_warehouse, "ask", "net sales", "-t", "alpin-sport", "--as-of", "31.10.", cwd=tmp_path
    )
    assert bad_date.returncode == 2 and "malformed --as-of" in bad_date.stderr
    assert len(bad_date.stderr.strip().splitlines()) == 1


def test_demo_shows_the_tenants_and_answers_sample_questions(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    proc = mercurios(demo_warehouse, "demo", "--no-serve", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Using the existing warehouse" in out
    for tenant in ("nordwind-fashion", "alpin-sport", "casa-living"):
        assert tenant in out
    answers = [line for line in out.splitlines() if line.strip().startswith("→")]
    assert len(answers) == 4 and all("error" not in a.lower() for a in answers)
    assert "CHF" in out and "€" in out
