"""The widget's static assets, its per-tenant configuration, and the `/demo` host page.

- `GET /widget.js` is the stable URL of the embed snippet: revalidated on every load (ETag), so a
  release reaches every retailer's page at once; `GET /widget/<digest>/widget.js` is the same file
  under its content digest, cached for a year (pages that know the digest, like `/demo`, use it).
- `POST /v1/widget/config` gives the widget what it shows before the first question (assistant
  name, greeting, suggested questions, locale, and the tenant's white-label colours and logo) for
  the caller's own tenant.
- `/demo` (`?q=` asks a question on arrival) and `POST /demo/widget-token` exist only with
  `Settings.demo_page` (turned on by `mercurios demo`): the token endpoint stands in for a
  retailer's backend and mints tokens for any tenant without a key, which is what a demo needs
  and production must never have.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from assistant.channels.widget import STATIC_DIR, TEMPLATES_DIR
from assistant.core.answering.examples import example_questions, metric_names_for_help
from assistant.runtime.app_services import ApiServices
from assistant.runtime.theme import Theme
from assistant.runtime.web.deps import Caller, Services
from assistant.runtime.web.pages import Pages
from guardrails.errors import NotFoundError, UserError
from semantic_layer.catalog import Catalog

router = APIRouter(tags=["widget"])

ASSISTANT_NAME = "Mercurios"
DEMO_USER = "demo-visitor"
DEMO_TOKEN_TTL_S = 900
PAGES = Pages(TEMPLATES_DIR)


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    digest: str
    media_type: str


@lru_cache(maxsize=8)
def asset(name: str) -> Asset:
    """Read once per process: the files change only with a release (a new process)."""
    body = (STATIC_DIR / name).read_bytes()
    media = "text/javascript; charset=utf-8" if name.endswith(".js") else "text/html; charset=utf-8"
    return Asset(body, gzip.compress(body, 9, mtime=0), hashlib.sha256(body).hexdigest()[:16], media)


def _asset_response(request: Request, item: Asset, cache_control: str) -> Response:
    etag = f'"{item.digest}"'
    headers = {"Cache-Control": cache_control, "ETag": etag, "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(item.gzipped, media_type=item.media_type, headers=headers)
    return Response(item.body, media_type=item.media_type, headers=headers)


@router.get("/widget.js", include_in_schema=False)
def widget_js(request: Request) -> Response:
    return _asset_response(request, asset("widget.js"), "no-cache")


@router.get("/widget/{digest}/widget.js", include_in_schema=False)
def widget_js_versioned(digest: str, request: Request) -> Response:
    item = asset("widget.js")
    if digest != item.digest:
        raise NotFoundError("no widget of this version; load /widget.js", code="widget_version_not_found")
    return _asset_response(request, item, "public, max-age=31536000, immutable")


@router.post("/v1/widget/config", summary="What the widget shows before the first question")
def widget_config(caller: Caller, services: Services) -> dict[str, Any]:
    """POST, not GET: browsers send `Origin` on a same-origin GET only sometimes, and widget tokens
    are checked against it."""
    tenant = services.tenants.get(caller.tenant_id)
    profile, theme = tenant.profile, tenant.theme or Theme()
    catalog = services.engine.sl.catalog
    # unthemed, the greeting and chips speak the project's own metrics (answering.examples)
    return {
        "assistant_name": theme.assistant_name or ASSISTANT_NAME,
        "tenant_name": profile.name,
        "greeting": theme.greeting or f"Hi! Ask me about {_possessive(profile.name)} {_topics(catalog)}.",
        "suggestions": list(theme.suggestions or example_questions(catalog)),
        "locale": profile.locale,
        "currency": profile.currency,
        # white-label look; null = the widget's default (the widget re-checks every value)
        "theme": {
            "primary_color": theme.primary_color,
            "accent_color": theme.accent_color,
            "logo_url": theme.logo_url,
        },
    }


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _topics(catalog: Catalog) -> str:
    names = metric_names_for_help(catalog, limit=3)
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else (names[0] if names else "data")


def _require_demo(services: ApiServices) -> None:
    if not services.settings.api.demo_page:
        raise NotFoundError("the demo page is not enabled on this server", code="demo_disabled")


def page_origin(request: Request) -> str:
    """The origin the browser sees for pages this server serves (scheme://host[:port])."""
    return str(request.base_url).rstrip("/")


@router.get("/demo", include_in_schema=False)
def demo_page(
    request: Request,
    services: Services,
    tenant: str | None = None,
    q: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """`?q=` (a digest's "Ask about this", via `/ask`): the widget asks it (`data-ask-param`)."""
    _require_demo(services)
    tenants = sorted(services.tenants.all().values(), key=lambda t: t.profile.tenant_id)
    if not tenants:
        raise NotFoundError("no tenants yet: `mercurios demo` seeds the demo tenants", code="no_tenants")
    chosen = next((t for t in tenants if t.profile.tenant_id == tenant), tenants[0])
    tenant_id = chosen.profile.tenant_id
    return PAGES.response(
        "demo.html.j2",
        headers={"Cache-Control": "no-store"},
        tenant_name=chosen.profile.name,
        tenants=[{"tenant_id": t.profile.tenant_id, "name": t.profile.name} for t in tenants],
        chosen=tenant_id,
        widget_src=f"/widget/{asset('widget.js').digest}/widget.js",
        token_endpoint=f"/demo/widget-token?tenant={tenant_id}",
        question=q,
    )


@router.post("/demo/widget-token", include_in_schema=False)
def demo_widget_token(request: Request, services: Services, tenant: str) -> dict[str, Any]:
    """Mints a token bound to this server's own origin (the demo page's), after allowing that
    origin for the demo tenant — a retailer's backend does the same with its API key."""
    _require_demo(services)
    origin = page_origin(request)
    sent = request.headers.get("origin")
    if sent is not None and sent != origin:
        raise UserError("demo tokens are only issued to the demo page itself", code="origin_not_allowed")
    settings = services.tenants.get(tenant)
    if origin not in settings.cors_origins:
        services.tenants.set_cors_origins(tenant, (*settings.cors_origins, origin))
    ttl = min(DEMO_TOKEN_TTL_S, services.settings.api.widget_token_max_ttl_s)
    token = services.widget_tokens.mint(tenant, DEMO_USER, origin, ttl)
    services.audit.record(tenant, "demo-page", "widget_token.mint", {"user": DEMO_USER, "origin": origin})
    return {"token": token, "expires_at": int(time.time()) + ttl}
