"""The two non-retail fixture projects (logistics, hospitality) built with real dbt: what the shared
session fixtures `logistics` and `hospitality` (tests/conftest.py) hold; importable by any test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from semantic_layer.dbt_runner import run_dbt
from semantic_layer.facade import SemanticLayer
from semantic_layer.guarding import policy_for_project, policy_guard
from semantic_layer.project import SemanticProject
from semantic_layer.warehouses.duckdb import DuckDbWarehouse

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class BuiltProject:
    project_dir: Path
    target_path: Path
    warehouse_path: Path
    layer: SemanticLayer
    raw: duckdb.DuckDBPyConnection  # hand-written reference SQL (test oracle only), on a copy


def build_project(name: str, factory: pytest.TempPathFactory) -> Iterator[BuiltProject]:
    """`dbt build` of tests/fixtures/dbt_<name> into a temp DuckDB file, single-tenant layer on it."""
    project_dir = FIXTURES / f"dbt_{name}"
    root = factory.mktemp(name)
    target, path = root / "target", root / "warehouse.duckdb"
    run_dbt(project_dir, ["build"], duckdb_path=path, target_path=target)
    oracle = root / "oracle.duckdb"
    shutil.copy(path, oracle)
    project = SemanticProject.load(project_dir, target_path=target)
    guard = policy_guard(policy_for_project(project, dialect="duckdb", single_tenant=True))
    warehouse = DuckDbWarehouse(path)
    raw = duckdb.connect(str(oracle), read_only=True)
    yield BuiltProject(project_dir, target, path, SemanticLayer(project, warehouse, guard), raw)
    raw.close()
    warehouse.close()
