"""The digest as a reader's mail client shows it: the email as sent (CSS inlined, images by
Content-ID) in Chromium at a mail pane's 600 px and a phone's 375 px, light and dark — no
horizontal overflow, every finding visible, every chart loaded and described in its alt text.
The screenshots are kept under test-artifacts/ (`mercurios bench digest-screenshots` writes the
same for a reader)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from assistant.channels.digests.render import render_digest
from assistant.core.insights.report import build_report
from assistant.core.insights.selection import plan_digest
from assistant.core.tenants import WarehouseTenantDirectory
from assistant.runtime.ask_links import AskLinks
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from eval.bench.digest_screenshots import shoot
from tests.demo import REPO_ROOT, DemoWarehouse

ARTIFACTS = REPO_ROOT / "test-artifacts"


def test_the_digest_fits_600_and_375_px_light_and_dark_with_every_finding_visible(
    demo_warehouse: DemoWarehouse, chromium_browser: Any
) -> None:
    sl = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    report = build_report(
        sl, WarehouseTenantDirectory(sl.warehouse).get("nordwind-fashion"), dt.date(2026, 10, 31)
    )
    digest = render_digest(
        report,
        ask_link=AskLinks("http://127.0.0.1:8000", b"screenshot-test-secret"),
        unsubscribe_url="http://127.0.0.1:8000/u/t",
    )
    # inline CSS: the only stylesheet left is @media (narrow screens, dark mode), which clients
    # that ignore it can do without; every card carries its own style attribute
    [sheet] = re.findall(r"<style>(.*?)</style>", digest.html, flags=re.S)
    assert re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", sheet).strip() == ""
    assert "prefers-color-scheme: dark" in sheet and "max-width: 620px" in sheet
    assert all("style=" in tag for tag in re.findall(r"<td class=\"card[^>]*>", digest.html))
    plan = plan_digest(report)
    expected = [i.headline for i in plan.cards] + [f"{len(g.insights)} more" for g in plan.groups]

    shots = shoot(chromium_browser, digest, ARTIFACTS, stem="digest-nordwind-fashion")
    assert {(s.width, s.scheme) for s in shots} == {
        (600, "light"),
        (375, "light"),
        (600, "dark"),
        (375, "dark"),
    }
    for shot in shots:
        where = f"{shot.width}px {shot.scheme}"
        assert shot.overflow_px == 0, f"{where}: page {shot.scroll_width}px wide"
        assert shot.hidden == (), f"{where}: findings not visible: {shot.hidden}"
        assert len(shot.findings) == len(expected), (where, shot.findings)
        for text, headline in zip(shot.findings, expected, strict=True):
            assert text.startswith(headline[:40]), (where, text, headline)
        assert shot.images == len(digest.images) > 0 and shot.broken_images == 0, where
        assert shot.missing_alt == 0, where
        assert shot.path.stat().st_size > 10_000
