"""`GET /ask`: where a digest's "Ask about this" lands when the tenant has no ask URL of its own.

The assistant answers inside the retailer's back office — the widget there holds a token its
backend minted for the signed-in user — so this service cannot answer a question from an email
click by itself. The signed link (`assistant/runtime/ask_links.py`) goes, when clicked:

- to the tenant's ask URL, if one was configured after the email went out;
- to `/demo` with the question, when the demo page is enabled (the demo mints its own tokens);
- else to a page that shows the question, copies it, and says where to ask it.

A link whose signature does not match is a 404: our domain shows no text of a stranger's choosing.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response

from assistant.runtime.app_services import widget_secret
from assistant.runtime.ask_links import MAX_QUESTION_CHARS, fill, verify_ask
from assistant.runtime.web.deps import Services
from assistant.runtime.web.pages import Pages
from guardrails.errors import NotFoundError

router = APIRouter(tags=["digests"])

PAGES = Pages(Path(__file__).resolve().parent.parent / "templates")


@router.get("/ask", include_in_schema=False, response_model=None)
def ask_page(
    services: Services,
    tenant: Annotated[str, Query(max_length=64)],
    q: Annotated[str, Query(max_length=MAX_QUESTION_CHARS)],
    t: Annotated[str, Query(max_length=64)],
) -> Response:
    if not verify_ask(widget_secret(services.settings), tenant, q, t):
        raise NotFoundError("no such question link", code="ask_link_not_found")
    settings = services.tenants.get(tenant)  # unknown tenant: 404
    if settings.ask_url:
        return RedirectResponse(fill(settings.ask_url, q), status_code=303)
    if services.settings.api.demo_page:
        demo = urllib.parse.urlencode({"tenant": tenant, "q": q})
        return RedirectResponse(f"/demo?{demo}", status_code=303)
    return PAGES.response(
        "ask.html.j2",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        tenant_id=tenant,
        tenant_name=settings.profile.name,
        question=q,
    )
