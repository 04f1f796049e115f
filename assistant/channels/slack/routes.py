"""Mounts the Slack app in the service: /slack/events, /slack/install, /slack/oauth_redirect, and
the admin API of workspace links (platform admin token, like the tenants API).

Before bolt sees a request we check its signature ourselves once more for one reason: a replayed
request (same signature, within bolt's 5-minute window) is refused, not answered twice.
"""

from __future__ import annotations

import logging
import re
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Request, Response
from pydantic import ConfigDict, Field

from assistant.channels.slack.answering import SlackChannel
from assistant.channels.slack.links import WorkspaceLink, WorkspaceLinks
from assistant.channels.slack.seen_keys import build_seen_keys
from assistant.channels.slack.threads import ThreadConversations
from assistant.runtime.app_services import ApiServices
from assistant.runtime.engine_runner import EngineRunner
from assistant.runtime.secret_compare import same_secret
from assistant.runtime.text_input import PlainTextModel
from assistant.runtime.web.errors import Forbidden

log = logging.getLogger("mercurios.slack")

AdminToken = Annotated[str | None, Header(alias="X-Admin-Token")]


_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class LinkRequest(PlainTextModel):
    model_config = ConfigDict(extra="forbid")

    team_id: str = Field(max_length=32)
    tenant_id: str = Field(max_length=64)
    channel_id: str | None = Field(default=None, max_length=32)


def _link_json(link: WorkspaceLink) -> dict[str, Any]:
    return {"team_id": link.team_id, "channel_id": link.channel_id, "tenant_id": link.tenant_id}


def mount_slack(app: FastAPI, services: ApiServices, runner: EngineRunner) -> None:
    settings = services.settings
    links = WorkspaceLinks(services.db, services.tenants)
    seen = build_seen_keys(services.db, settings.redis_url, settings.cache_namespace)
    channel = SlackChannel(
        services=services,
        runner=runner,
        links=links,
        threads=ThreadConversations(services.db),
        limiter=services.rate_limiter.sibling(
            settings.slack.rate_limit_per_minute, namespace=f"{settings.cache_namespace}:slack"
        ),
    )
    router = APIRouter(tags=["slack"])
    admin = APIRouter(prefix="/v1/admin/slack", tags=["slack"])
    if settings.slack.signing_secret is not None:
        # Bolt and its async HTTP stack (aiohttp) load only where Slack is configured
        from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
        from slack_sdk.signature import SignatureVerifier

        from assistant.channels.slack.bolt_app import build_bolt_app

        bolt = build_bolt_app(channel, seen)
        handler = AsyncSlackRequestHandler(bolt)
        verifier = SignatureVerifier(settings.slack.signing_secret.get_secret_value())

        @router.post("/slack/events", include_in_schema=False)
        async def slack_events(request: Request) -> Response:
            body = await request.body()
            signature = request.headers.get("x-slack-signature", "")
            timestamp = request.headers.get("x-slack-request-timestamp", "")
            # ASCII digits only: str.isdigit() also accepts '²' and Arabic-Indic digits, which the
            # verifier's int() refuses with a ValueError (a 500)
            if (
                _TIMESTAMP.fullmatch(timestamp) is None
                or not signature.isascii()
                or not verifier.is_valid(body, timestamp, signature)
            ):
                return Response('{"error":"invalid or stale signature"}', 401, media_type="application/json")
            if not seen.first_time(f"sig:{signature}", 600):
                return Response('{"error":"replayed request"}', 401, media_type="application/json")
            try:
                return await handler.handle(request)
            except ValueError:  # bolt parses the body before any listener: a signed but malformed body
                log.warning("malformed slack request body")
                return Response('{"error":"malformed request body"}', 400, media_type="application/json")

        @router.get("/slack/install", include_in_schema=False)
        async def slack_install(request: Request) -> Response:
            return await handler.handle(request)

        @router.get("/slack/oauth_redirect", include_in_schema=False)
        async def slack_oauth_redirect(request: Request) -> Response:
            return await handler.handle(request)

    def platform_admin(token: str | None) -> None:
        configured = settings.api.admin_token
        if configured is None:
            raise Forbidden(
                "Slack administration over HTTP is disabled (no MERCURIOS_ADMIN_TOKEN)", code="forbidden"
            )
        if token is None or not same_secret(token, configured.get_secret_value()):
            raise Forbidden("a valid X-Admin-Token is required", code="forbidden")

    @admin.put("/links")
    def put_link(body: LinkRequest, x_admin_token: AdminToken = None) -> dict[str, Any]:
        """Maps a workspace (or one of its channels) to a tenant; replaces an existing mapping."""
        platform_admin(x_admin_token)
        link = links.link(body.team_id, body.tenant_id, body.channel_id)
        services.audit.record(link.tenant_id, "platform-admin", "slack.link", _link_json(link))
        return _link_json(link)

    @admin.get("/links")
    def list_links(x_admin_token: AdminToken = None) -> dict[str, Any]:
        platform_admin(x_admin_token)
        return {"links": [_link_json(link) for link in links.all()]}

    @admin.delete("/links/{team_id}", status_code=204)
    def delete_link(
        team_id: str, channel_id: str | None = None, x_admin_token: AdminToken = None
    ) -> Response:
        platform_admin(x_admin_token)
        links.unlink(team_id, channel_id)
        return Response(status_code=204)

    app.include_router(router)
    app.include_router(admin)
