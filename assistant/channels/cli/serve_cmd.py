"""`mercurios serve`: the HTTP API under uvicorn (each worker builds its app from Settings)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from guardrails.errors import ConfigError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.runtime.settings import Settings

WORKER_STARTUP_S = 60  # also how long a hung worker may go unanswered before it is replaced


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (share the app database and Redis).")] = 1,
    seed_demo: Annotated[
        bool,
        typer.Option(
            "--seed-demo/--no-seed-demo",
            help="Copy the warehouse's demo tenants into the app DB (a single-tenant project's always).",
        ),
    ] = True,
) -> None:
    """Run the API (SSE chat, ask, catalog, query, keys) until Ctrl-C; streams drain on shutdown."""
    from assistant.runtime.settings import get_settings

    serve_api(get_settings(), host=host, port=port, workers=workers, seed_demo=seed_demo)


def serve_api(
    settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1, seed_demo: bool = True
) -> None:
    """Serve the app built from `settings` until Ctrl-C.

    One worker serves an app made from exactly these settings, in this process: that is how
    `mercurios demo` turns its page on (a copy of the settings, not an environment variable set
    after the settings were read and cached). Several workers are separate processes that each
    build their app from the environment, so they can only serve the environment's settings."""
    import uvicorn

    from assistant.core.tenants import WarehouseTenantDirectory
    from assistant.runtime.persistence.database import Database
    from assistant.runtime.persistence.tenant_store import TenantRepository
    from assistant.runtime.settings import get_settings
    from semantic_layer.warehouses import warehouse_from_settings

    app: str | Callable[[], FastAPI] = "assistant.channels.server:create_app"
    if workers > 1:  # each worker imports the app itself: this supervisor never does
        if settings != get_settings():
            raise ConfigError("several workers read their settings from the environment; serve one worker")
    else:
        from assistant.channels.server import create_app

        app = functools.partial(create_app, settings)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # migrate once here, before the workers start: N workers must not race one Alembic upgrade
    db = Database(settings.resolved_database_url)
    try:
        db.migrate()
        if (
            seed_demo and not settings.tenancy.single_tenant
        ):  # a single-tenant project's one tenant is always there
            # the registry alone (one query): the workers build the engine, not this supervisor
            warehouse = warehouse_from_settings(settings)
            try:
                added = TenantRepository(db).seed_from_directory(WarehouseTenantDirectory(warehouse).all())
            finally:
                close = getattr(warehouse, "close", None)
                if callable(close):
                    close()
            if added:
                typer.echo(f"seeded tenants from the warehouse registry: {', '.join(added)}")
    finally:
        db.dispose()
    uvicorn.run(
        app,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_graceful_shutdown=30,
        # a worker builds its app (MetricFlow manifest, warehouse, caches) before it can answer the
        # supervisor's health ping; uvicorn's 5 s default kills and restarts slow starters
        timeout_worker_healthcheck=WORKER_STARTUP_S,
        log_level="info",
        # `RequestLog` writes one JSON line per request (request id, tenant, route, status, ms);
        # uvicorn's own access line would repeat it, formatted, on every request
        access_log=False,
    )
