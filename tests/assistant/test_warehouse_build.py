"""The warehouse build: deterministic, atomic, and clear about bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from assistant.runtime.warehouse_build import MART_TABLES, build_warehouse, mart_stats
from guardrails.errors import ConfigError, InternalError, UserError
from tests.demo import DBT_PROJECT_DIR, DEMO_TENANTS, TEST_END_DATE, DemoWarehouse, open_read_only

MERCURIOS = [sys.executable, "-m", "assistant.channels.cli.main"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MERCURIOS, *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def test_every_contract_mart_is_built_for_every_tenant(demo_warehouse: DemoWarehouse) -> None:
    with open_read_only(demo_warehouse.path) as con:
        for table in MART_TABLES:
            tenants = {r[0] for r in con.execute(f"SELECT DISTINCT tenant_id FROM marts.{table}").fetchall()}
            assert tenants == set(DEMO_TENANTS), table
        versions = con.execute(
            "SELECT tenant_id, data_version, last_data_date FROM mercurios_meta.data_versions ORDER BY 1"
        ).fetchall()
    assert tuple(v[0] for v in versions) == DEMO_TENANTS
    assert len({v[1] for v in versions}) == 3, "each tenant has its own data version"
    assert all(str(v[2]) == demo_warehouse.end_date.isoformat() for v in versions)


def test_build_is_deterministic(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    again = build_warehouse(
        tmp_path / "again.duckdb",
        end_date=demo_warehouse.end_date,
        scale=demo_warehouse.scale,
        dbt_project_dir=DBT_PROJECT_DIR,
        dbt_target_path=tmp_path / "target",
    )
    with open_read_only(demo_warehouse.path) as con:
        first = mart_stats(con)
    assert again.marts == first
    assert all(m.rows > 0 for m in first)


def test_failed_dbt_build_keeps_the_previous_warehouse(tmp_path: Path) -> None:
    broken = tmp_path / "dbt-broken"
    shutil.copytree(DBT_PROJECT_DIR, broken, ignore=shutil.ignore_patterns("target", "logs"))
    model = next((broken / "models").rglob("fct_sales.sql"))
    model.write_text("select * from this_relation_does_not_exist\n")
    previous = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(previous)) as con:
        con.execute("CREATE TABLE answers AS SELECT 42 AS x")
    with pytest.raises(InternalError) as err:
        build_warehouse(
            previous,
            end_date=TEST_END_DATE,
            scale=0.005,
            tenants=["casa-living"],
            dbt_project_dir=broken,
            dbt_target_path=tmp_path / "target",
        )
    assert "dbt build failed" in str(err.value)
    assert "fct_sales" in str(err.value) or "this_relation_does_not_exist" in str(err.value)
    with duckdb.connect(str(previous), read_only=True) as con:
        assert con.execute("SELECT x FROM answers").fetchone() == (42,)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".build-")] == []


def test_unwritable_warehouse_path_is_a_config_error(tmp_path: Path) -> None:
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("x")
    with pytest.raises(ConfigError, match="cannot be created"):
        build_warehouse(
            a_file / "warehouse.duckdb", end_date=TEST_END_DATE, scale=0.01, dbt_project_dir=DBT_PROJECT_DIR
        )


def test_unknown_tenant_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="acme"):
        build_warehouse(
            tmp_path / "w.duckdb",
            end_date=TEST_END_DATE,
            scale=0.01,
            tenants=["acme"],
            dbt_project_dir=DBT_PROJECT_DIR,
            dbt_target_path=tmp_path / "target",
        )
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--end-date", "2026-13-45"], "malformed end date '2026-13-45'"),
        (["--tenant", "acme-retail"], "acme-retail"),
        (["--warehouse", "/proc/version/warehouse.duckdb"], "/proc/version"),
        (["--warehouse", "warehouse.sqlite"], "must end in .duckdb"),
    ],
)
def test_cli_bad_input_prints_one_line_and_exits_2(args: list[str], needle: str, tmp_path: Path) -> None:
    proc = run_cli("build", "--scale", "0.01", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    assert needle in lines[0]
    assert "Traceback" not in proc.stderr
