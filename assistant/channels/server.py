"""The one web process: `create_app(settings)`; `mercurios serve` runs it with uvicorn.

It puts the HTTP channels on one FastAPI app — the API's routers, Slack (/slack/*), the widget and the
digests' subscription endpoints — and starts the digest scheduler. Like the CLI it is a composition
root: the one module besides the CLI that imports several channels (ARCHITECTURE.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from assistant.channels.api.routers import (
    admin,
    ask_link,
    catalog,
    chat,
    conversations,
    health,
    theme,
)
from assistant.channels.api.routers.graphql_api import graphql_router
from assistant.channels.digests import routes as digests
from assistant.channels.digests.scheduling import start_digest_scheduler
from assistant.channels.slack.digest_delivery import slack_digest_sender
from assistant.channels.slack.routes import mount_slack
from assistant.channels.widget.routes import router as widget_router
from assistant.runtime.app_services import ApiServices, build_api_services, warm_compiler
from assistant.runtime.engine_runner import EngineRunner
from assistant.runtime.settings import Settings, get_settings
from assistant.runtime.web.denials import DenialAudit
from assistant.runtime.web.errors import install_error_handlers
from assistant.runtime.web.middleware import BodySizeLimit, RequestLog, TenantCors, TraceRequests


def create_app(settings: Settings | None = None, *, services: ApiServices | None = None) -> FastAPI:
    """Builds the services (migrating the app database) and the app; with no arguments it reads
    `Settings` from the environment, which is how `uvicorn --factory` workers start it."""
    resolved = services or build_api_services(settings or get_settings())
    runner = EngineRunner(resolved)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warm_compiler(resolved)  # MetricFlow off the request path (see app_services.warm_compiler)
        scheduler = start_digest_scheduler(  # opt-in: Settings.digest_scheduler
            resolved, slack=slack_digest_sender(resolved.settings, resolved.db)
        )
        yield
        if scheduler is not None:
            scheduler.stop()
        runner.shutdown()
        resolved.close()

    # /docs loads Swagger UI from the package (under /static-offline-docs), not from a CDN: the API's
    # documentation works on a machine with no internet access. No /redoc: ReDoc fetches its logo
    # from its vendor's CDN whatever it is told, and /openapi.json serves any other viewer.
    app = FastAPIOffline(
        redoc_url=None,
        title="Mercurios",
        summary="Ask your business data: tenant-scoped answers, streamed.",
        version="1",
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from swagger.io either
    )
    app.state.services = resolved
    app.state.runner = runner
    app.state.denials = DenialAudit(resolved.audit)
    mount_slack(app, resolved, runner)  # /slack/* (when configured) and the Slack links admin API
    install_error_handlers(app)
    for router in (
        health.router,
        chat.router,
        conversations.router,
        catalog.router,
        admin.router,
        theme.router,
        digests.router,
        ask_link.router,
    ):
        app.include_router(router)
    app.include_router(widget_router)
    app.include_router(graphql_router(resolved.settings), tags=["semantic layer"])
    app.add_middleware(TenantCors, services=lambda: resolved)
    app.add_middleware(BodySizeLimit, max_bytes=resolved.settings.api.max_body_bytes)
    app.add_middleware(RequestLog, services=lambda: resolved)
    if resolved.tracing is not None:  # outermost: the span covers the whole request
        app.add_middleware(TraceRequests, tracing=resolved.tracing)
    return app
