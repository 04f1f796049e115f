"""The digest as a reader's mail client shows it: rendered in Chromium, screenshot kept under
test-artifacts/ (the inline images resolved the way a mail client resolves cid: links)."""

from __future__ import annotations

import base64
import datetime as dt
import os
import warnings
from pathlib import Path

import pytest

from assistant.digests.render import render_digest
from assistant.insights.report import build_report
from assistant.services import build_semantic_layer
from assistant.settings import Settings
from assistant.tenants import WarehouseTenantDirectory
from tests.demo import REPO_ROOT, DemoWarehouse

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = REPO_ROOT / "test-artifacts"


def test_the_digest_renders_in_a_browser_with_its_charts(demo_warehouse: DemoWarehouse) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        sync_playwright = None  # type: ignore[assignment]
    if sync_playwright is None or not CHROMIUM.exists():
        message = (
            "!!! SKIPPING the digest screenshot: Chromium/Playwright missing (apt-get install chromium) !!!"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    sl = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    report = build_report(
        sl, WarehouseTenantDirectory(sl.warehouse).get("nordwind-fashion"), dt.date(2026, 3, 23)
    )
    digest = render_digest(
        report, base_url="http://127.0.0.1:8000", unsubscribe_url="http://127.0.0.1:8000/u/t"
    )
    html = digest.html
    for image in digest.images:
        html = html.replace(
            f"cid:{image.cid}", "data:image/png;base64," + base64.b64encode(image.png).decode()
        )
    assert "cid:" not in html
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "digest-nordwind-fashion.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 700, "height": 900})
        page.set_content(html, wait_until="load")
        loaded = page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
        headline = page.locator("body").inner_text()
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert loaded and all(loaded), "every chart image decodes and shows"
    assert report.top(1)[0].headline.split(":")[0] in headline
    assert "Unsubscribe" in headline
    assert shot.stat().st_size > 10_000
