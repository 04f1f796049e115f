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

import html
import urllib.parse
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.runtime.app_services import widget_secret
from assistant.runtime.ask_links import MAX_QUESTION_CHARS, fill, verify_ask
from assistant.runtime.web.deps import Services
from guardrails.errors import NotFoundError

router = APIRouter(tags=["digests"])

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1f2933}"
    "blockquote{margin:1rem 0;padding:.75rem 1rem;border-left:4px solid #3a5ccc;background:#f4f5f7;"
    "font-size:1.1rem;overflow-wrap:anywhere}"
    "button{font:inherit;padding:.4rem .9rem}.muted{color:#52606d;font-size:.9rem}"
    "code{background:#e4e7eb;padding:1px 4px;overflow-wrap:anywhere}"
)
_COPY = (
    "document.getElementById('copy').addEventListener('click',function(){"
    "var q=document.getElementById('question').textContent,s=document.getElementById('copied');"
    "navigator.clipboard.writeText(q).then(function(){s.textContent='Copied.'},"
    "function(){s.textContent='Select the question and copy it.'})});"
)


def _question_page(tenant_id: str, tenant_name: str, question: str) -> HTMLResponse:
    name, q = html.escape(tenant_name), html.escape(question)
    body = (
        f"<h1 style=font-size:1.3rem>Ask Mercurios</h1>"
        f"<p>From your {name} digest:</p>"
        f'<blockquote id="question">{q}</blockquote>'
        '<p><button type="button" id="copy">Copy the question</button> '
        '<span id="copied" role="status"></span></p>'
        f"<p>Mercurios answers where you are signed in: open your {name} back office, click the "
        "assistant's chat button in the corner of the page, and paste the question.</p>"
        '<p class="muted">For administrators: to make these links open the assistant with the question '
        "already asked, set your back-office page that embeds the widget as the ask URL "
        f"(<code>mercurios tenants ask-url --tenant {html.escape(tenant_id)} --url "
        "'https://…/page?q={q}'</code>) and add <code>data-ask-param=\"q\"</code> to the widget "
        "snippet on that page.</p>"
    )
    page = (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>Ask Mercurios: {q}</title><style>{_STYLE}</style>"
        f"<body>{body}<script>{_COPY}</script></body></html>"
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


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
    if services.settings.demo_page:
        demo = urllib.parse.urlencode({"tenant": tenant, "q": q})
        return RedirectResponse(f"/demo?{demo}", status_code=303)
    return _question_page(tenant, settings.profile.name, q)
