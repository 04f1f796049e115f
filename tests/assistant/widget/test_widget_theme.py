"""Tenant theming in Chromium: a themed tenant's widget shows its own name, greeting, suggestion
chips, colours and logo; hostile theme values are refused by the API, and whatever still reaches
the widget (markup in a name, a script URL from a tampered config) renders inert."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.assistant.api.conftest import ALPIN
from tests.assistant.widget.widget_harness import ARTIFACTS, WidgetServer, open_demo, wait_finished

PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
ALPIN_THEME: dict[str, Any] = {
    "primary_color": "#0b3d91",
    "accent_color": "#ff6f00",
    "logo_url": PIXEL,
    "assistant_name": "Alpin Guide",
    "greeting": "Servus! Ask me about the slopes of your sales.",
    "suggestions": ["net sales by store last month", "top 5 products by units sold last week"],
}
HOSTILE = '<img src=x onerror="window.__xss=1;alert(1)">'
SHADOW = "document.querySelector('#mercurios-widget').shadowRoot"
PROBE = f"""() => {{
  const r = {SHADOW};
  const css = (sel, prop) => {{ const el = r.querySelector(sel); return el && getComputedStyle(el)[prop]; }};
  const img = r.querySelector('header img');
  return {{
    title: r.querySelector('#mercurios-title').textContent,
    greeting: r.querySelector('.greeting').textContent,
    chips: [...r.querySelectorAll('.chips[aria-label="Suggested questions"] button')].map(b => b.textContent),
    header: css('header', 'backgroundColor'),
    headerText: css('header', 'color'),
    chipBorder: css('.chips button', 'borderTopColor'),
    imgs: r.querySelectorAll('img').length,
    logo: img ? {{src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0}} : null,
    launcher: r.querySelector('.launcher').getAttribute('aria-label'),
  }};
}}"""
DEFAULT_PRIMARY = "rgb(58, 92, 204)"  # #3a5ccc


@pytest.fixture
def alpin_admin(widget_server: WidgetServer) -> Iterator[Any]:
    """An HTTP client with an admin key of alpin-sport; the theme is reset afterwards because the
    browser suite shares one server."""
    token = widget_server.services.keys.create(ALPIN, "admin", "theme tests").token
    with widget_server.server.client(token) as client:
        client.put("/v1/tenant/theme", json={})
        yield client
        client.put("/v1/tenant/theme", json={})


def _probe(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(PROBE)
    return result


def test_a_themed_tenant_sees_its_name_greeting_chips_colours_and_logo(
    page: Any, widget_server: WidgetServer, alpin_admin: Any
) -> None:
    r = alpin_admin.put("/v1/tenant/theme", json=ALPIN_THEME)
    assert r.status_code == 200, r.text
    open_demo(page, widget_server.demo_url(ALPIN))
    page.wait_for_function(f"() => {SHADOW}.querySelector('header img')?.complete")
    shown = _probe(page)
    assert shown["title"] == "Alpin Guide"
    assert shown["greeting"] == ALPIN_THEME["greeting"]
    assert shown["chips"] == ALPIN_THEME["suggestions"]
    assert shown["header"] == "rgb(11, 61, 145)", "the primary colour paints the header"
    assert shown["headerText"] == "rgb(255, 255, 255)", "white text on a dark brand colour"
    assert shown["chipBorder"] == "rgb(255, 111, 0)", "the accent colour outlines the chips"
    assert shown["logo"] == {"src": PIXEL, "loaded": True}
    assert shown["launcher"] == "Close the Alpin Guide assistant"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-themed.png"))
    page.locator("#mercurios-widget .chips button", has_text=ALPIN_THEME["suggestions"][0]).click()
    turn = page.locator(".turn").first
    wait_finished(turn)
    assert turn.locator(".q").inner_text() == ALPIN_THEME["suggestions"][0], "a chip asks its question"
    assert turn.locator("tbody tr").count() > 0


def test_an_unthemed_tenant_keeps_the_defaults_while_another_is_themed(
    page: Any, widget_server: WidgetServer, alpin_admin: Any
) -> None:
    assert alpin_admin.put("/v1/tenant/theme", json=ALPIN_THEME).status_code == 200
    open_demo(page, widget_server.demo_url())  # nordwind-fashion
    shown = _probe(page)
    assert shown["title"] == "Mercurios" and shown["header"] == DEFAULT_PRIMARY
    assert shown["imgs"] == 0 and "Alpin Guide" not in page.content()


def test_hostile_theme_values_are_refused_or_render_as_text(
    page: Any, widget_server: WidgetServer, alpin_admin: Any
) -> None:
    for bad in ({"logo_url": "javascript:window.__xss=1"}, {"primary_color": "red;background:url(x)"}):
        r = alpin_admin.put("/v1/tenant/theme", json=bad)
        assert r.status_code == 422, r.text
    markup = {"assistant_name": HOSTILE, "greeting": HOSTILE + " hi", "suggestions": [HOSTILE]}
    assert alpin_admin.put("/v1/tenant/theme", json=markup).status_code == 200, "plain text is allowed"
    open_demo(page, widget_server.demo_url(ALPIN))
    shown = _probe(page)
    assert shown["title"] == HOSTILE and shown["greeting"] == HOSTILE + " hi" and shown["chips"] == [HOSTILE]
    page.wait_for_timeout(300)
    assert shown["imgs"] == 0, "the name's markup did not become an element"
    assert page.evaluate("() => window.__xss") is None and page.dialogs == []


def test_a_tampered_config_cannot_smuggle_script_urls_or_css(
    page: Any, widget_server: WidgetServer, alpin_admin: Any
) -> None:
    """The widget re-checks what the server sent: a config altered on the way (or by a bug) with a
    script URL as logo and CSS injection as colours changes nothing."""
    tampered = {
        "assistant_name": "Tampered",
        "greeting": "hello",
        "suggestions": "not a list",
        "theme": {
            "primary_color": "#000000; background: url(https://evil.example/x)",
            "accent_color": "expression(alert(1))",
            "logo_url": "javascript:window.__xss=1",
        },
    }

    def fulfil(route: Any) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(tampered))

    page.route("**/v1/widget/config", fulfil)
    open_demo(page, widget_server.demo_url(ALPIN))
    shown = _probe(page)
    assert shown["title"] == "Tampered" and shown["chips"] == []
    assert shown["header"] == DEFAULT_PRIMARY and shown["imgs"] == 0
    for logo in ("http://cdn.example/logo.png", "data:text/html;base64,PHNjcmlwdD4="):
        tampered["theme"] = {"logo_url": logo}
        fresh = page.context.new_page()
        fresh.route("**/v1/widget/config", fulfil)
        open_demo(fresh, widget_server.demo_url(ALPIN))
        assert _probe(fresh)["imgs"] == 0, logo
        fresh.close()
    assert page.evaluate("() => window.__xss") is None
