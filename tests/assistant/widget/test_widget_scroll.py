"""A new answer comes into view (issue 16, item 11): in Chromium at 1280×900 on `/demo`, the second
question's turn is scrolled to as it starts — the panel used to stay on the first answer while the
new one streamed below, out of sight — and an answer arriving while the user has scrolled up to
read does not pull the log away from what they read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.assistant.widget.widget_harness import WidgetServer, ask, open_demo, wait_finished, wait_for

IN_VIEW = """(el) => {
  const log = el.closest('.log');
  const r = el.getBoundingClientRect(), l = log.getBoundingClientRect();
  return r.top >= l.top - 1 && r.top <= l.bottom - 16;
}"""
SCROLL_TOP = "() => document.querySelector('#mercurios-widget').shadowRoot.querySelector('.log').scrollTop"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """The size the issue was seen at."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def in_view(locator: Any) -> bool:
    return bool(locator.evaluate(IN_VIEW))


def scroll_top(page: Any) -> float:
    return float(page.evaluate(SCROLL_TOP))


def test_the_second_answer_is_scrolled_into_view(page: Any, widget_server: WidgetServer) -> None:
    open_demo(page, widget_server.demo_url())
    first = ask(page, "gross margin by store")  # text, a table and a chart: taller than the panel
    assert first.locator("svg").count() >= 1
    second = ask(page, "net sales by category last month")
    assert in_view(second.locator(".q")), "the new question is out of sight"
    assert in_view(second.locator(".text")), "the new answer is out of sight"
    assert not in_view(first.locator(".q"))


def test_an_answer_arriving_while_the_user_reads_above_leaves_the_log_where_it_is(
    page: Any, widget_server: WidgetServer
) -> None:
    open_demo(page, widget_server.demo_url())
    first = ask(page, "gross margin by store")
    widget_server.warehouse.slow_s = 2.0  # the next answer takes a while
    try:
        second = ask(page, "units sold by brand last month", wait=False)
        assert wait_for(lambda: in_view(second.locator(".q")), 5), "not brought into view as it started"
        box = page.locator(".log").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -10_000)  # the user scrolls up to read the first answer
        assert wait_for(lambda: in_view(first.locator(".q")), 5)
        reading_at = scroll_top(page)
        wait_finished(second)
        assert second.locator("tbody tr").count() >= 1  # the answer did arrive
    finally:
        widget_server.warehouse.slow_s = 0.0
    assert abs(scroll_top(page) - reading_at) <= 1, "the log moved away from what the user was reading"
    assert not in_view(second.locator(".q"))
    third = ask(page, "orders by store last month")  # asking again: the new turn comes into view
    assert in_view(third.locator(".q"))
