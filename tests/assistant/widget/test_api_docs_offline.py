"""The API's documentation works with no internet: /docs (Swagger UI) references only this server,
every asset it references is served, and in Chromium — every request off this machine refused —
Swagger UI renders the operations. /redoc is off (ReDoc loads its vendor's logo from a CDN)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.assistant.widget.widget_harness import WidgetServer

# src/href attributes and Swagger UI's `url: '…'`: everything the page loads
REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|\burl:\s*'([^']+)'""")


def _references(html: str) -> list[str]:
    return [a or b for a, b in REFERENCE.findall(html)]


def test_the_docs_page_references_only_this_server_and_each_asset_is_served(
    widget_server: WidgetServer,
) -> None:
    with httpx.Client(base_url=widget_server.url, timeout=30) as client:
        assert client.get("/redoc").status_code == 404
        page = client.get("/docs")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", page.text, re.I), page.text
        references = _references(page.text)
        assert "/openapi.json" in references, references
        assert any(r.endswith(".js") for r in references), references
        for reference in references:
            assert not urlsplit(reference).netloc, reference
            assert client.get(reference).status_code == 200, reference


def _loopback_only(page: Any) -> list[str]:
    """Chromium's own network kill-switch: requests off this machine are refused and recorded."""
    refused: list[str] = []

    def guard(route: Any) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost", "::1"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    return refused


def test_swagger_ui_renders_the_operations_offline(page: Any, widget_server: WidgetServer) -> None:
    refused = _loopback_only(page)
    page.goto(f"{widget_server.url}/docs")
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/v1/ask" in [p.replace("\u200b", "") for p in paths], paths
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Mercurios")
    assert refused == []
