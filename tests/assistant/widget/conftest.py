"""The widget suite: the real server (demo page on) over a copy of the demo warehouse in which one
store of nordwind-fashion is named like an XSS payload, driven by Debian's Chromium.

Chromium missing: the browser tests skip LOUDLY; under CI (env CI set) they fail instead.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from assistant.channels.server import create_app
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.api.conftest import ALPIN, NORDWIND, Backend, base_settings, start_services
from tests.assistant.widget.widget_harness import XSS_STORE, ArmableWarehouse, WidgetServer
from tests.demo import DemoWarehouse

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
# The user's Stop interrupts it.
# keyed joins (the guard refuses joins without a key equality), on a key of a dozen values: still
# ~10^10 row triples, which runs until something interrupts it
HEAVY_SQL = (
    "SELECT count(*) AS n FROM marts.fct_sales a JOIN marts.fct_sales b ON a.store_id = b.store_id "
    "JOIN marts.fct_sales c ON b.store_id = c.store_id WHERE a.sale_line_id <> c.sale_line_id"
)


@pytest.fixture(scope="session")
def xss_warehouse(demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo warehouse (others' tests keep the original) with a hostile store name."""
    path = tmp_path_factory.mktemp("widget-warehouse") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse.path, path)
    with duckdb.connect(str(path)) as con:
        first = con.execute(
            "SELECT min(store_id) FROM marts.dim_stores WHERE tenant_id = ?", [NORDWIND]
        ).fetchone()
        assert first is not None
        con.execute("UPDATE marts.dim_stores SET store_name = ? WHERE store_id = ?", [XSS_STORE, first[0]])
    return path


@pytest.fixture(scope="session")
def widget_server(
    demo_warehouse: DemoWarehouse, xss_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WidgetServer]:
    settings: Settings = base_settings(
        demo_warehouse, tmp_path_factory.mktemp("widget-data"), api={"demo_page": True}, query_timeout_s=120.0
    )
    settings = settings.model_copy(update={"duckdb_path": xss_warehouse})
    warehouse = ArmableWarehouse(xss_warehouse)
    sl = build_semantic_layer(settings, warehouse=warehouse)
    warehouse.heavy = sl.guard(HEAVY_SQL, tenant_id=NORDWIND)
    services = start_services(Backend("sqlite", settings), sl)
    keys = {t: services.keys.create(t, "analyst", "widget tests").token for t in (NORDWIND, ALPIN)}
    with LiveServer(create_app(services=services)) as server:
        yield WidgetServer(services, server, warehouse, keys)


@pytest.fixture(scope="module")
def browser(chromium_browser: Any) -> Any:
    """The module's Chromium (tests/conftest.py): Playwright's sync API allows one at a time."""
    return chromium_browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    context.set_default_timeout(20_000)
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    context.close()
