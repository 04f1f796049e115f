"""`mercurios serve`: the HTTP API under uvicorn (each worker builds its app from Settings)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

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
    import uvicorn

    from assistant.api.app_services import build_api_services
    from assistant.persistence.database import Database
    from assistant.settings import get_settings
    from assistant.tenants import WarehouseTenantDirectory

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # migrate once here, before the workers start: N workers must not race one Alembic upgrade
    settings = get_settings()
    db = Database(settings.resolved_database_url)
    try:
        db.migrate()
    finally:
        db.dispose()
    if seed_demo and not settings.single_tenant:  # a single-tenant project's one tenant is always there
        services = build_api_services(get_settings())
        added = services.tenants.seed_from_directory(
            WarehouseTenantDirectory(services.engine.sl.warehouse).all()
        )
        if added:
            typer.echo(f"seeded tenants from the warehouse registry: {', '.join(added)}")
        services.close()
    uvicorn.run(
        "assistant.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_graceful_shutdown=30,
        # a worker builds its app (MetricFlow manifest, warehouse, caches) before it can answer the
        # supervisor's health ping; uvicorn's 5 s default kills and restarts slow starters
        timeout_worker_healthcheck=WORKER_STARTUP_S,
        log_level="info",
    )
