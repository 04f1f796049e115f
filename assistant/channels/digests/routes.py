"""Digest subscriptions (`/v1/digests/...`) and insights (`GET /v1/insights`), always within the
caller's tenant: the tenant comes from the credential, never from the request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from assistant.channels.digests.focus import Focus, check_focus
from assistant.channels.digests.unsubscribe import PREVIEW_UNSUBSCRIBE_PATH, verify_unsubscribe
from assistant.core.insights.periods import Cadence
from assistant.runtime.app_services import ApiServices, widget_secret
from assistant.runtime.digests.slack_targets import SlackTargets
from assistant.runtime.digests.subscriptions import SubscriptionRequest, SubscriptionStore, validate_request
from assistant.runtime.persistence.tenant_store import SqlTenantDirectory
from assistant.runtime.text_input import EARLIEST_DATE, LATEST_DATE
from assistant.runtime.web.deps import Analyst, Caller, Services
from assistant.runtime.web.pages import Pages
from guardrails.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from assistant.channels.digests.report_source import SemanticReportSource

router = APIRouter(prefix="/v1", tags=["insights"])


def _source(services: ApiServices) -> SemanticReportSource:
    # insights (numpy) load with the first digest preview, not with the server
    from assistant.channels.digests.report_source import SemanticReportSource

    return SemanticReportSource(services.engine.sl, SqlTenantDirectory(services.tenants))


@router.get("/insights")
async def get_insights(
    caller: Caller,
    services: Services,
    period: Annotated[str, Query(description="day | week | month")] = "week",
    as_of: Annotated[
        dt.date | None,
        Query(description="The date treated as today.", ge=EARLIEST_DATE, le=LATEST_DATE),
    ] = None,
) -> dict[str, Any]:
    if period not in ("day", "week", "month"):
        raise UserError(f"period must be day, week or month, not {period[:20]!r}", code="invalid_period")
    cadence: Cadence = period  # type: ignore[assignment]
    async with services.warehouse_queue.slot(caller.tenant_id):  # many warehouse queries: one fair slot
        return await run_in_threadpool(_insights, services, caller.tenant_id, as_of, cadence)


def _insights(
    services: ApiServices, tenant_id: str, as_of: dt.date | None, cadence: Cadence
) -> dict[str, Any]:
    if as_of is None:
        as_of = services.clock.today(services.tenants.get(tenant_id).profile.timezone)
    return _source(services).report(tenant_id, as_of, cadence).model_dump(mode="json")


@router.post("/digests/subscriptions", status_code=201)
def subscribe(body: SubscriptionRequest, caller: Analyst, services: Services) -> dict[str, Any]:
    values = _source(services).values(caller.tenant_id)
    check_focus(Focus(body.metrics, body.stores, body.categories), values)
    if (
        validate_request(body).channel == "slack"
    ):  # only a channel of a workspace linked to the caller's tenant
        team = SlackTargets(services.db).team_for(caller.tenant_id, str(body.slack_channel), body.slack_team)
        body = body.model_copy(update={"slack_team": team})
    sub = SubscriptionStore(services.db).create(caller.tenant_id, caller.user_id, body)
    services.audit.record(
        caller.tenant_id, caller.credential, "digest.subscribe", {"subscription_id": sub.subscription_id}
    )
    return sub.model_dump(mode="json")


@router.get("/digests/subscriptions")
def list_subscriptions(caller: Analyst, services: Services) -> dict[str, Any]:
    subs = SubscriptionStore(services.db).list(caller.tenant_id)
    return {"subscriptions": [s.model_dump(mode="json") for s in subs]}


@router.delete("/digests/subscriptions/{subscription_id}", status_code=204)
def unsubscribe(subscription_id: str, caller: Analyst, services: Services) -> Response:
    SubscriptionStore(services.db).deactivate(caller.tenant_id, subscription_id[:64])
    services.audit.record(
        caller.tenant_id, caller.credential, "digest.unsubscribe", {"subscription_id": subscription_id[:64]}
    )
    return Response(status_code=204)


@dataclass(frozen=True)
class _Link:
    """A genuine unsubscribe link (its HMAC verified) of an existing subscription."""

    tenant_id: str
    subscription_id: str
    active: bool
    tenant_name: str


def unsubscribe_link_of(
    services: Services,
    tenant: Annotated[str, Query(max_length=64)],
    s: Annotated[str, Query(max_length=64)],
    t: Annotated[str, Query(max_length=64)],
) -> _Link:
    """The link's query (tenant, subscription, token), checked; 404 for anything not genuine."""
    if not verify_unsubscribe(widget_secret(services.settings), tenant, s, t):
        raise NotFoundError("no such digest subscription", code="subscription_not_found")
    found = SubscriptionStore(services.db).find(tenant, s)
    if found is None:
        raise NotFoundError("no such digest subscription", code="subscription_not_found")
    return _Link(tenant, s, found.active, services.tenants.get(tenant).profile.name)


Link = Annotated[_Link, Depends(unsubscribe_link_of)]


PAGES = Pages(Path(__file__).resolve().parent / "templates")


def _unsubscribed_page(link: _Link) -> HTMLResponse:
    return PAGES.response("unsubscribe.html.j2", state="unsubscribed", tenant_name=link.tenant_name)


@router.get(PREVIEW_UNSUBSCRIBE_PATH.removeprefix("/v1"), response_class=HTMLResponse)
def unsubscribe_preview_page() -> HTMLResponse:
    """The unsubscribe link of `mercurios digest preview`: a preview belongs to no subscription."""
    return PAGES.response("unsubscribe.html.j2", state="preview")


@router.get("/digests/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(link: Link, request: Request) -> HTMLResponse:
    """The email's link opens a confirmation page; only its button (a POST) unsubscribes, so a mail
    scanner that prefetches links cannot unsubscribe anyone (RFC 8058 §3)."""
    if not link.active:
        return _unsubscribed_page(link)
    return PAGES.response(
        "unsubscribe.html.j2", state="confirm", tenant_name=link.tenant_name, action=str(request.url)
    )


@router.post("/digests/unsubscribe", response_model=None)
def unsubscribe_link(link: Link, services: Services, request: Request) -> dict[str, str] | HTMLResponse:
    """The List-Unsubscribe one-click target and the confirmation page's button: the HMAC token is
    the credential. Idempotent — a second click says so instead of failing."""
    if link.active:
        SubscriptionStore(services.db).deactivate(link.tenant_id, link.subscription_id)
        services.audit.record(
            link.tenant_id,
            "unsubscribe-link",
            "digest.unsubscribe",
            {"subscription_id": link.subscription_id},
        )
    if "text/html" in request.headers.get("accept", ""):  # the page's form, in a browser
        return _unsubscribed_page(link)
    return {"status": "unsubscribed" if link.active else "already unsubscribed"}
