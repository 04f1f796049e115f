"""Acceptance 2 in Chromium: a widget token of tenant A reaches nothing of tenant B; markup in a
question or in a data value renders as text; styles leak neither into nor out of the widget."""

from __future__ import annotations

from typing import Any

from tests.assistant.api.conftest import ALPIN, NORDWIND
from tests.assistant.widget.widget_harness import ARTIFACTS, PANEL, XSS_STORE, WidgetServer, ask, open_demo

XSS_QUESTION = '<img src=x onerror="window.__xss=1;alert(1)"> net sales by store'
HOSTILE_CSS = """
* { font-family: "Courier New", serif !important; color: red !important; letter-spacing: 3px !important;
    line-height: 3 !important; text-transform: uppercase !important; }
button, textarea { background: lime !important; padding: 30px !important;
    border: 5px solid black !important; }
div, section, table, td, th { display: block !important; margin: 20px !important; }
body { font-size: 30px !important; }
"""
HOST_PROBE = """() => ['body', 'h2', 'button.host-button', 'nav a', 'pre'].map(sel => {
  const st = getComputedStyle(document.querySelector(sel));
  return [sel, st.fontFamily, st.fontSize, st.color, st.backgroundColor, st.padding, st.lineHeight,
          st.display];
})"""


def test_markup_in_a_question_and_in_data_renders_as_text(page: Any, widget_server: WidgetServer) -> None:
    open_demo(page, widget_server.demo_url(NORDWIND))
    turn = ask(page, XSS_QUESTION)
    assert turn.locator(".q").inner_text() == XSS_QUESTION
    data_turn = ask(page, "net sales by store")
    assert XSS_STORE in data_turn.locator("tbody").inner_text(), "the hostile store name is shown as text"
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None, "markup from the server ran as script"
    assert page.dialogs == []  # type: ignore[attr-defined]
    shadow_imgs = page.evaluate(
        "() => document.querySelector('#mercurios-widget').shadowRoot.querySelectorAll('img').length"
    )
    assert shadow_imgs == 0


def test_a_widget_token_of_one_tenant_reaches_nothing_of_another(
    page: Any, widget_server: WidgetServer
) -> None:
    with widget_server.server.client(widget_server.keys[ALPIN]) as alpin:
        answer = alpin.post("/v1/ask", json={"question": "net sales by store"}).json()
        alpin_conversation = answer["conversation_id"]
        alpin_turn = alpin.get(f"/v1/conversations/{alpin_conversation}").json()["turns"][0]["turn_id"]
        alpin_stores = {row[0] for row in answer["rows"]}
    open_demo(page, widget_server.demo_url(NORDWIND))
    turn = ask(page, "net sales by store")
    shown = turn.locator("tbody").inner_text()
    assert not any(store in shown for store in alpin_stores), "another tenant's stores in the widget"
    results = page.evaluate(
        """async ([conv, turn]) => {
          const minted = await fetch('/demo/widget-token?tenant=nordwind-fashion', {method: 'POST'});
          const t = (await minted.json()).token;
          const h = {Authorization: 'Bearer ' + t, 'Content-Type': 'application/json'};
          const get = await fetch('/v1/conversations/' + conv, {headers: h});
          const fb = await fetch('/v1/feedback', {method: 'POST', headers: h,
            body: JSON.stringify({conversation_id: conv, turn_id: turn, rating: 'down', comment: 'x'})});
          const chat = await fetch('/v1/chat', {method: 'POST', headers: h,
            body: JSON.stringify({question: 'net sales', conversation_id: conv})});
          const del = await fetch('/v1/conversations/' + conv, {method: 'DELETE', headers: h});
          const conf = await fetch('/v1/widget/config', {method: 'POST', headers: h, body: '{}'});
          const cfg = await conf.json();
          return [get.status, fb.status, chat.status, del.status, cfg.tenant_name];
        }""",
        [alpin_conversation, alpin_turn],
    )
    # a same-origin GET carries no Origin, so the token is refused before the lookup (403)
    assert results[0] in (403, 404) and results[1:4] == [404, 404, 404], results
    assert results[4] == widget_server.services.tenants.get(NORDWIND).profile.name
    assert widget_server.services.feedback.count(ALPIN) == 0
    with widget_server.server.client(widget_server.keys[ALPIN]) as alpin:
        assert alpin.get(f"/v1/conversations/{alpin_conversation}").status_code == 200


def test_styles_leak_neither_in_nor_out(page: Any, widget_server: WidgetServer) -> None:
    page.route("**/widget.js", lambda route: route.abort())
    page.goto(widget_server.demo_url(NORDWIND))
    without_widget = page.evaluate(HOST_PROBE)
    page.unroute("**/widget.js")
    open_demo(page, widget_server.demo_url(NORDWIND))
    ask(page, "net sales by store")
    assert page.evaluate(HOST_PROBE) == without_widget, "the widget's CSS changed the host page"
    panel = page.locator(PANEL)
    # not the whole header: its rounded corners let the host page show through, by design
    parts = [panel.locator("header .title"), panel.locator("header button").first]
    parts += [panel.locator(".log"), panel.locator("form.ask")]
    before = [p.screenshot(animations="disabled") for p in parts]
    page.add_style_tag(content=HOSTILE_CSS)
    assert page.evaluate(HOST_PROBE) != without_widget, "the hostile CSS did not apply to the host at all"
    after = [p.screenshot(animations="disabled") for p in parts]
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        (ARTIFACTS / f"style-{i}-before.png").write_bytes(b)
        (ARTIFACTS / f"style-{i}-after.png").write_bytes(a)
    assert before == after, "the host page's CSS changed how the widget looks"
