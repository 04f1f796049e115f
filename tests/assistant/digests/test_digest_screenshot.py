"""The digest as a reader's mail client shows it: rendered in Chromium, screenshot kept under
test-artifacts/ (the inline images resolved the way a mail client resolves cid: links)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from assistant.channels.digests.render import render_digest
from assistant.core.insights.report import build_report
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.ask_links import AskLinks
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from tests.demo import REPO_ROOT, DemoWarehouse

ARTIFACTS = REPO_ROOT / "test-artifacts"


def test_the_digest_renders_in_a_browser_with_its_charts(
    demo_warehouse: DemoWarehouse, chromium_browser: Any
) -> None:
    sl = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    report = build_report(
        sl, WarehouseTenantDirectory(sl.warehouse).get("nordwind-fashion"), dt.date(2026, 3, 23)
    )
    digest = render_digest(
        report,
        ask_link=AskLinks("http://127.0.0.1:8000", b"screenshot-test-secret"),
        unsubscribe_url="http://127.0.0.1:8000/u/t",
    )
    html = digest.html
    for image in digest.images:
        html = html.replace(
            f"cid:{image.cid}", "data:image/png;base64," + base64.b64encode(image.png).decode()
        )
    assert "cid:" not in html
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "digest-nordwind-fashion.png"
    context = chromium_browser.new_context(viewport={"width": 700, "height": 900})
    try:
        page = context.new_page()
        page.set_content(html, wait_until="load")
        loaded = page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
        headline = page.locator("body").inner_text()
        page.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()
    assert loaded and all(loaded), "every chart image decodes and shows"
    assert report.top(1)[0].headline.split(":")[0] in headline
    assert "Unsubscribe" in headline
    assert shot.stat().st_size > 10_000
