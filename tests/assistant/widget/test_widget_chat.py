"""Acceptance 1: in Chromium against the real server — ask and see streamed text, a table and a
chart; follow up; sort and download the table; open the SQL; feedback stored; stop a running
answer; a clear error when the server is down or the token expired."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from sqlalchemy import select

from assistant.runtime.app_services import widget_secret
from assistant.runtime.ask_links import AskLinks
from assistant.runtime.persistence.models import FeedbackRow
from tests.assistant.api.api_harness import TcpProxy
from tests.assistant.api.conftest import NORDWIND
from tests.assistant.widget.widget_harness import INPUT, WidgetServer, ask, open_demo, wait_finished, wait_for

WATCH_STAGES = """() => {
  const root = document.querySelector('#mercurios-widget').shadowRoot;
  new MutationObserver(() => {
    const p = root.querySelector('.turn:last-child .progress');
    if (p && p.dataset.stage) window.__stage(p.dataset.stage);
  }).observe(root, {subtree: true, attributes: true, childList: true});
}"""


def _feedback_rows(ws: WidgetServer) -> list[FeedbackRow]:
    with ws.services.feedback.db.session() as s:
        return list(s.scalars(select(FeedbackRow).where(FeedbackRow.tenant_id == NORDWIND)).all())


def test_a_question_streams_text_a_table_a_chart_and_the_sql(page: Any, widget_server: WidgetServer) -> None:
    open_demo(page, widget_server.demo_url())
    stages: list[str] = []
    page.expose_function("__stage", lambda stage: stages.append(stage))
    page.evaluate(WATCH_STAGES)
    turn = ask(page, "net sales by store")
    assert "execute" in stages, f"no visible progress per stage: {stages}"
    text = turn.locator(".text").inner_text()
    assert "net sales" in text.lower() or "Net sales" in text, text
    rows = turn.locator("tbody tr")
    assert rows.count() >= 2
    assert "€" in turn.locator("tbody").inner_text() or "EUR" in turn.locator("tbody").inner_text()
    assert turn.locator("svg.chart-bar rect").count() >= 2
    count = turn.locator(".count").inner_text()
    assert "row" in count
    sql = turn.locator("details.sql")
    assert not turn.locator("details.sql pre").is_visible()
    sql.locator("summary").click()
    assert "SELECT" in sql.locator("pre").inner_text().upper()
    assert sql.locator(".label").inner_text() == "verified"


def test_a_followup_continues_the_conversation(page: Any, widget_server: WidgetServer) -> None:
    open_demo(page, widget_server.demo_url())
    first = ask(page, "net sales by store")
    chips = first.locator('[aria-label="Follow-up questions"] button')
    assert chips.count() >= 1
    followup = chips.first.inner_text()
    chips.first.click()
    second = page.locator(".turn").nth(1)
    second.wait_for()
    wait_finished(second)
    assert second.locator(".q").inner_text() == followup
    assert second.locator(".text").inner_text().strip()
    conversation_id = page.evaluate("() => window.Mercurios.conversation()")
    with widget_server.server.client(widget_server.keys[NORDWIND]) as client:
        turns = client.get(f"/v1/conversations/{conversation_id}").json()["turns"]
    assert [t["question"] for t in turns] == ["net sales by store", followup]


def test_sort_and_download_the_table(page: Any, widget_server: WidgetServer) -> None:
    open_demo(page, widget_server.demo_url())
    turn = ask(page, "net sales by store")
    header = turn.locator("th").nth(1)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    cells = turn.locator("tbody tr td:nth-child(2)")
    first_asc = cells.first.inner_text()
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    first_desc = cells.first.inner_text()
    assert first_asc != first_desc
    with page.expect_download() as info:
        turn.get_by_role("button", name="Download CSV").click()
    download = info.value
    body = download.path().read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][0] and len(table) - 1 == turn.locator("tbody tr").count()
    values = [float(r[1]) for r in table[1:]]
    assert values == sorted(values, reverse=True), "the CSV keeps the order the user sorted"


def test_feedback_with_a_comment_is_stored(page: Any, widget_server: WidgetServer) -> None:
    before = len(_feedback_rows(widget_server))
    open_demo(page, widget_server.demo_url())
    turn = ask(page, "net sales by month")
    turn.get_by_role("button", name="Bad answer").click()
    turn.get_by_label("Comment (optional)").fill("wrong month grain")
    turn.get_by_role("button", name="Send feedback").click()
    turn.get_by_text("Thanks for your feedback.").wait_for()
    rows = _feedback_rows(widget_server)
    assert len(rows) == before + 1
    assert (rows[-1].rating, rows[-1].comment, rows[-1].user_id) == (
        "down",
        "wrong month grain",
        "demo-visitor",
    )


def test_stop_interrupts_a_running_answer(page: Any, widget_server: WidgetServer) -> None:
    open_demo(page, widget_server.demo_url())
    ask(page, "net sales by store")  # warm: the heavy statement must be the only slow part
    wh = widget_server.warehouse
    wh.outcomes.clear()
    wh.armed.set()
    turn = ask(page, "units sold by store", wait=False)
    assert wh.started.wait(30), "the heavy statement never started"
    stop = page.get_by_role("button", name="Stop the answer")
    assert stop.is_visible()
    started = time.monotonic()
    stop.click()
    turn.locator('.progress[data-stage="stopped"]').wait_for()
    assert time.monotonic() - started < 5
    assert page.locator(INPUT).is_visible() and not stop.is_visible()
    assert wait_for(lambda: bool(wh.outcomes), 15), "the server kept running the stopped answer"
    assert wh.outcomes[0] is not None, "the heavy statement finished instead of being interrupted"
    wh.started.clear()


def test_expired_token_shows_a_clear_error(page: Any, widget_server: WidgetServer) -> None:
    origin = widget_server.url
    expired = widget_server.services.widget_tokens.mint(
        NORDWIND, "demo-visitor", origin, 60, now=time.time() - 3600
    )
    page.route(
        "**/demo/widget-token*",
        lambda route: route.fulfill(json={"token": expired, "expires_at": int(time.time()) + 600}),
    )
    open_demo(page, widget_server.demo_url())
    turn = ask(page, "net sales by store")
    alert = turn.get_by_role("alert")
    assert "expired" in alert.inner_text().lower()
    assert alert.get_attribute("data-code") == "token_expired"


def test_server_down_shows_a_clear_error(page: Any, widget_server: WidgetServer) -> None:
    proxy = TcpProxy(widget_server.server.port)
    try:
        open_demo(page, f"http://127.0.0.1:{proxy.port}/demo?tenant={NORDWIND}")
        ask(page, "net sales by store")  # works through the proxy
        proxy.stop()
        turn = ask(page, "net sales by month")
        alert = turn.get_by_role("alert")
        message = alert.inner_text().lower()
        assert "can't reach" in message or "lost the connection" in message, message
    finally:
        proxy.stop()


def test_an_ask_about_this_link_opens_the_demo_with_its_question_asked(
    page: Any, widget_server: WidgetServer
) -> None:
    """A digest's signed /ask link, with the demo page on: the demo opens, the widget asks the
    question (data-ask-param) and answers it; the question leaves the address (no re-ask on reload)."""
    secret = widget_secret(widget_server.services.settings)
    question = "net sales by channel last month"
    page.goto(AskLinks(widget_server.url, secret)(NORDWIND, question))
    turn = page.locator(".turn").first
    turn.wait_for()
    wait_finished(turn)
    assert turn.locator(".q").inner_text() == question
    assert turn.locator(".text").inner_text().strip() and turn.locator("tbody tr").count() >= 1
    assert "/demo" in page.url and "q=" not in page.url
    assert page.locator(".asked").inner_text().count(question) == 1  # the page says where it came from
    page.reload()
    page.locator(".greeting").wait_for()
    assert page.locator(".turn").count() == 0
