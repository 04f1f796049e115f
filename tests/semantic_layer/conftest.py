"""The subscription fixture project, built once per session into a temp DuckDB file.

It is a second dbt project (not the retail one) with its tenant in `org_id`, so every test here
also proves the engine is project-agnostic and that tenancy is configuration.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from semantic_layer.catalog import Catalog, build_catalog
from semantic_layer.dbt_runner import run_dbt
from semantic_layer.facade import SemanticLayer
from semantic_layer.guarding import policy_for_project, policy_guard
from semantic_layer.project import SemanticProject
from semantic_layer.protocols import SqlGuard
from semantic_layer.warehouses.duckdb import DuckDbWarehouse
from tests.semantic_layer.subscription_fixture import FIXTURE_PROJECT, TENANT_COLUMN, BuiltFixture


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltFixture:
    root = tmp_path_factory.mktemp("subscription")
    target = root / "target"
    path = root / "subscription.duckdb"
    run_dbt(FIXTURE_PROJECT, ["build"], duckdb_path=path, target_path=target)
    plain = root / "plain.duckdb"
    shutil.copy(path, plain)
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA mercurios_meta")
    con.execute(
        "CREATE TABLE mercurios_meta.data_versions (tenant_id VARCHAR, data_version VARCHAR, "
        "loaded_at TIMESTAMP, first_data_date DATE, last_data_date DATE)"
    )
    con.execute(
        "INSERT INTO mercurios_meta.data_versions VALUES "
        "('acme', 'v-acme-1', TIMESTAMP '2025-07-01 02:00:00', DATE '2024-01-01', DATE '2025-06-30'), "
        "('acme', 'v-acme-2', TIMESTAMP '2025-07-02 02:00:00', DATE '2024-01-01', DATE '2025-06-30'), "
        "('globex', 'v-globex-1', TIMESTAMP '2025-07-01 02:00:00', DATE '2024-02-01', DATE '2025-06-30')"
    )
    con.close()
    return BuiltFixture(FIXTURE_PROJECT, target, path, plain)


@pytest.fixture(scope="session")
def project(built: BuiltFixture) -> SemanticProject:
    return SemanticProject.load(built.project_dir, target_path=built.target_path)


@pytest.fixture(scope="session")
def catalog(project: SemanticProject) -> Catalog:
    return build_catalog(project)


@pytest.fixture(scope="session")
def guard(project: SemanticProject) -> SqlGuard:
    return policy_guard(policy_for_project(project, dialect="duckdb", tenant_column=TENANT_COLUMN))


@pytest.fixture(scope="session")
def warehouse(built: BuiltFixture) -> DuckDbWarehouse:
    return DuckDbWarehouse(built.warehouse_path)


@pytest.fixture(scope="session")
def layer(project: SemanticProject, warehouse: DuckDbWarehouse, guard: SqlGuard) -> SemanticLayer:
    return SemanticLayer(project, warehouse, guard, timeout_s=10.0, row_cap=5_000)


@pytest.fixture(scope="session")
def raw(built: BuiltFixture) -> duckdb.DuckDBPyConnection:
    """A plain connection for hand-written reference SQL (test oracle only).

    It opens a copy: DuckDB refuses a second connection to one file with another configuration.
    """
    oracle = built.warehouse_path.with_name("oracle.duckdb")
    shutil.copy(built.warehouse_path, oracle)
    return duckdb.connect(str(oracle), read_only=True)
