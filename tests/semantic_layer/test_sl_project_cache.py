"""The semantic layer's disk cache: a second process reads what the first derived from the manifest
(parsed manifest, catalog, relations, compiled SQL) instead of importing MetricFlow again, and a
changed manifest, a broken entry or an unwritable directory never yields a wrong answer."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from guardrails.guarded_sql import GuardedSql
from semantic_layer.catalog import build_catalog, project_catalog
from semantic_layer.compiler import compile_query
from semantic_layer.data_version import DataVersion
from semantic_layer.facade import SemanticLayer
from semantic_layer.project import SemanticProject
from semantic_layer.protocols import QueryResult, SqlGuard
from semantic_layer.warehouses.duckdb import DuckDbWarehouse
from tests.semantic_layer.subscription_fixture import BuiltFixture
from tests.semantic_layer.test_sl_compiler import JOINED, TYPICAL

REPO = Path(__file__).resolve().parents[2]

_SECOND_PROCESS = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from semantic_layer.catalog import project_catalog
    from semantic_layer.compiler import compile_query
    from semantic_layer.project import SemanticProject
    from tests.semantic_layer.test_sl_compiler import TYPICAL

    project_dir, target, cache_dir = (Path(a) for a in sys.argv[1:4])
    project = SemanticProject.load(project_dir, target_path=target, cache_dir=cache_dir)
    catalog = project_catalog(project)
    compiled = compile_query(project, catalog, TYPICAL, "duckdb")
    print(json.dumps({
        "sql": compiled.sql,
        "catalog": catalog.model_dump(mode="json"),
        "relations": [list(r) for r in project.relations()],
        "metricflow_imported": sorted(m for m in sys.modules if m.startswith("metricflow")),
    }))
    """
)


def _second_process(built: BuiltFixture, cache_dir: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _SECOND_PROCESS, *map(str, (built.project_dir, built.target_path, cache_dir))],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_a_second_process_answers_from_the_cache_without_importing_metricflow(
    built: BuiltFixture, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    first = SemanticProject.load(built.project_dir, target_path=built.target_path, cache_dir=cache_dir)
    relations = first.relations()  # what the guard's policy reads at start-up
    catalog = project_catalog(first)
    sql = compile_query(first, catalog, TYPICAL, "duckdb").sql

    second = _second_process(built, cache_dir)

    assert second["metricflow_imported"] == []
    assert second["sql"] == sql
    assert second["catalog"] == build_catalog(first).model_dump(mode="json")
    assert second["relations"] == [list(r) for r in relations]


def test_a_query_not_compiled_before_is_compiled_and_kept(built: BuiltFixture, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = SemanticProject.load(built.project_dir, target_path=built.target_path, cache_dir=cache_dir)
    plain = SemanticProject.load(built.project_dir, target_path=built.target_path)
    catalog = project_catalog(first)
    assert (
        compile_query(first, catalog, JOINED, "snowflake").sql
        == compile_query(plain, build_catalog(plain), JOINED, "snowflake").sql
    )
    again = SemanticProject.load(built.project_dir, target_path=built.target_path, cache_dir=cache_dir)
    assert (
        compile_query(again, catalog, JOINED, "snowflake").sql
        == compile_query(plain, build_catalog(plain), JOINED, "snowflake").sql
    )


def test_a_changed_manifest_never_reads_the_entries_of_the_old_one(
    built: BuiltFixture, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    old = SemanticProject.load(built.project_dir, target_path=built.target_path, cache_dir=cache_dir)
    assert project_catalog(old).metric("invoice_revenue") is not None
    # a redeployed project: the same metric under a new label (dbt would write this manifest)
    target = tmp_path / "target"
    shutil.copytree(built.target_path, target, ignore=shutil.ignore_patterns("logs"))
    manifest_file = target / "semantic_manifest.json"
    manifest = json.loads(manifest_file.read_text())
    for metric in manifest["metrics"]:
        if metric["name"] == "invoice_revenue":
            metric["label"] = "Billed revenue (relabelled)"
    manifest_file.write_text(json.dumps(manifest))
    shutil.copystat(built.target_path / "semantic_manifest.json", manifest_file)  # not stale for dbt

    new = SemanticProject.load(built.project_dir, target_path=target, cache_dir=cache_dir)

    assert new.manifest_hash != old.manifest_hash
    info = project_catalog(new).metric("invoice_revenue")
    assert info is not None and info.label == "Billed revenue (relabelled)"
    old_info = project_catalog(old).metric("invoice_revenue")
    assert old_info is not None and old_info.label != info.label


def test_broken_entries_are_rebuilt_not_trusted(built: BuiltFixture, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = SemanticProject.load(built.project_dir, target_path=built.target_path, cache_dir=cache_dir)
    expected_catalog = project_catalog(first)
    expected_sql = compile_query(first, expected_catalog, TYPICAL, "duckdb").sql
    assert first.cache is not None
    entries = first.cache.directory
    (entries / "catalog.json").write_text('{"metrics": [')  # a write cut short
    (entries / "manifest.pickle").write_bytes(b"not a pickle")
    for sql_file in (entries / "sql").iterdir():  # another query's SQL under this file name
        sql_file.write_text("SELECT 'some other query'\nSELECT 1")

    again = SemanticProject.load(built.project_dir, target_path=built.target_path, cache_dir=cache_dir)

    assert project_catalog(again) == expected_catalog
    assert compile_query(again, project_catalog(again), TYPICAL, "duckdb").sql == expected_sql
    assert {m.name for m in again.manifest.metrics} == {m.name for m in first.manifest.metrics}


def test_an_unwritable_cache_directory_changes_nothing(built: BuiltFixture, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("the cache directory cannot be created under a file")
    project = SemanticProject.load(
        built.project_dir, target_path=built.target_path, cache_dir=blocked / "cache"
    )
    plain = SemanticProject.load(built.project_dir, target_path=built.target_path)
    assert project_catalog(project) == build_catalog(plain)
    assert (
        compile_query(project, project_catalog(project), TYPICAL, "duckdb").sql
        == compile_query(plain, build_catalog(plain), TYPICAL, "duckdb").sql
    )


class CountingWarehouse:
    """The fixture's DuckDB warehouse, counting the statements it is given (a real `Warehouse`)."""

    def __init__(self, inner: DuckDbWarehouse) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.statements = 0

    def fingerprint(self) -> str:
        return self.inner.fingerprint()

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        self.statements += 1
        return self.inner.execute(guarded, timeout_s=timeout_s, row_cap=row_cap)


def _layer(
    built: BuiltFixture, cache_dir: Path, warehouse: CountingWarehouse, guard: SqlGuard
) -> SemanticLayer:
    project = SemanticProject.load(built.project_dir, target_path=built.target_path, cache_dir=cache_dir)
    return SemanticLayer(project, warehouse, guard)


def test_a_tenants_values_are_read_once_per_data_version(
    built: BuiltFixture, tmp_path: Path, warehouse: DuckDbWarehouse, guard: SqlGuard, layer: SemanticLayer
) -> None:
    cache_dir = tmp_path / "cache"
    first = CountingWarehouse(warehouse)
    cached = _layer(built, cache_dir, first, guard)
    version = cached.data_version("acme")
    expected = layer.dimension_values("acme")
    assert cached.dimension_values("acme", version=version) == expected
    assert first.statements > 1

    second = CountingWarehouse(warehouse)  # a new process: same cache, same data
    again = _layer(built, cache_dir, second, guard)
    assert again.dimension_values("acme", version=again.data_version("acme")) == expected
    assert second.statements == 1  # the data version only

    # another tenant never gets acme's entry; a new data version reads the warehouse again
    assert again.dimension_values("globex", version=again.data_version("globex")) == layer.dimension_values(
        "globex"
    )
    assert again.dimension_values("globex") != expected
    reloaded = DataVersion(value="v-acme-3", source="table")
    before = second.statements
    assert again.dimension_values("acme", version=reloaded) == expected
    assert second.statements > before + 1
