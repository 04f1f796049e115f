"""Backends for the API suite: SQLite + in-process cache, and PostgreSQL + Redis.

The PostgreSQL + Redis run is skipped (loudly) only when those local services are unreachable.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.channels.server import create_app
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.app_services import ApiServices, build_api_services
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings, get_settings
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer, drop_postgres_database, postgres_database, redis_url
from tests.demo import DemoWarehouse


@dataclass(frozen=True)
class Backend:
    name: str
    settings: Settings


@pytest.fixture(scope="session")
def api_semantic_layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )


@pytest.fixture
def demo_cli_env(demo_warehouse: DemoWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment of a CLI command run in-process against the demo warehouse: data in this
    test's own directory, no PostgreSQL or Redis, settings read afresh."""
    monkeypatch.setenv("MERCURIOS_DUCKDB_PATH", str(demo_warehouse.path))
    monkeypatch.setenv("MERCURIOS_DBT_TARGET_PATH", str(demo_warehouse.dbt_target_path))
    monkeypatch.setenv("MERCURIOS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MERCURIOS_DATABASE_URL", raising=False)
    monkeypatch.delenv("MERCURIOS_REDIS_URL", raising=False)
    get_settings.cache_clear()


def base_settings(demo_warehouse: DemoWarehouse, data_dir: Path, **extra: Any) -> Settings:
    """The demo warehouse, no rate limit in the way; `extra` as for `Settings` (`api={...}` is merged)."""
    api = {"rate_limit_per_minute": 100_000, **extra.pop("api", {})}
    return Settings(
        data_dir=data_dir,
        duckdb_path=demo_warehouse.path,
        dbt_target_path=demo_warehouse.dbt_target_path,
        api=api,
        **extra,
    )


@pytest.fixture(params=["sqlite+inprocess", "postgres+redis"], scope="module")
def backend(
    request: pytest.FixtureRequest, demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    data_dir = tmp_path_factory.mktemp("api-data")
    if request.param == "sqlite+inprocess":
        yield Backend(request.param, base_settings(demo_warehouse, data_dir))
        return
    pg = postgres_database()
    redis = redis_url()
    if pg is None or redis is None:
        message = (
            "!!! SKIPPING the PostgreSQL + Redis run of the API suite: "
            f"PostgreSQL {'unreachable' if pg is None else 'ok'}, "
            f"Redis {'unreachable' if redis is None else 'ok'} "
            "(set MERCURIOS_DATABASE_URL / MERCURIOS_REDIS_URL) !!!"
        )
        if os.environ.get("CI"):
            pytest.fail(message + " — CI starts both services, so this is a failure there")
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    url, admin_url = pg
    settings = base_settings(
        demo_warehouse,
        data_dir,
        database_url=url,
        redis_url=redis,
        cache_namespace=f"test-{uuid.uuid4().hex[:8]}",
    )
    yield Backend(request.param, settings)
    drop_postgres_database(url, admin_url)


NORDWIND, ALPIN = "nordwind-fashion", "alpin-sport"
NORDWIND_ORIGIN = "https://shop.nordwind.example"
ALPIN_ORIGIN = "https://alpin.example"


@dataclass
class Api:
    backend: Backend
    services: ApiServices
    server: LiveServer
    keys: dict[tuple[str, str], str]  # (tenant, role) -> token

    def key(self, tenant: str, role: str = "analyst") -> str:
        return self.keys[(tenant, role)]


def start_services(backend: Backend, sl: SemanticLayer) -> ApiServices:
    services = build_api_services(backend.settings, semantic_layer=sl)
    services.tenants.seed_from_directory(WarehouseTenantDirectory(sl.warehouse).all())
    services.tenants.set_cors_origins(NORDWIND, (NORDWIND_ORIGIN,))
    services.tenants.set_cors_origins(ALPIN, (ALPIN_ORIGIN,))
    return services


@pytest.fixture(scope="module")
def api(backend: Backend, api_semantic_layer: SemanticLayer) -> Iterator[Api]:
    services = start_services(backend, api_semantic_layer)
    keys = {
        (tenant, role): services.keys.create(tenant, role, f"{role} test key").token
        for tenant in (NORDWIND, ALPIN)
        for role in ("admin", "analyst", "viewer")
    }
    with LiveServer(create_app(services=services)) as server:
        yield Api(backend, services, server, keys)
