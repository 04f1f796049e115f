"""Shared test fixtures: a network kill-switch and the small demo warehouse, built once per run."""

from __future__ import annotations

import ipaddress
import os
import socket
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import figures, skip_summary
from tests.demo import DBT_PROJECT_DIR, TEST_END_DATE, TEST_SCALE, DemoWarehouse
from tests.nonretail import BuiltProject, build_project

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# "Today" is the demo data's last day for every Settings() and every CLI/server a test starts: no
# test may depend on the day it runs (CI also runs the suite under faketime, a year ahead).
os.environ.setdefault("MERCURIOS_TODAY", TEST_END_DATE.isoformat())

# CI runs the suite a second time under libfaketime, the clock a year ahead. libfaketime 0.9.10
# fakes CLOCK_MONOTONIC too, and Python 3.11 waits for a deadline (threading.Timer, Event.wait or
# Lock.acquire with a timeout) with sem_clockwait, which it does not intercept: such a wait never
# ends. (Leaving the monotonic clock alone breaks time.sleep instead.) Tests that need a thread to
# wake at a deadline are marked `timed_waits`; their dates are pinned, and under faketime they are
# skipped — by name, in the end-of-run banner — while the first, real-clock pass runs them.
UNDER_FAKETIME = "faketime" in os.environ.get("LD_PRELOAD", "")
FAKETIME_SKIP = (
    "under faketime: needs a thread to wake at a deadline, which libfaketime breaks for Python "
    "(sem_clockwait on a faked monotonic clock); runs in the real-clock pass"
)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """The figures tests recorded (tests/figures.py), then the skipped-tests banner."""
    figures.show(terminalreporter)
    skip_summary.pytest_terminal_summary(terminalreporter, exitstatus, config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if UNDER_FAKETIME:
        for item in items:
            if item.get_closest_marker("timed_waits") is not None:
                item.add_marker(pytest.mark.skip(reason=FAKETIME_SKIP))


_real_connect = socket.socket.connect


def _loopback_only_connect(self: socket.socket, address: object) -> None:
    """Tests may talk to servers on this machine only; anything else is a bug in the test."""
    if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        host = str(address[0])
        try:
            is_loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            is_loopback = host == "localhost"
        if not is_loopback:
            raise RuntimeError(f"network kill-switch: test tried to connect to {host}")
    _real_connect(self, address)  # type: ignore[arg-type]


socket.socket.connect = _loopback_only_connect  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWarehouse]:
    """Three demo tenants at a small scale, built by the real generator and the real dbt project."""
    from assistant.runtime.warehouse_build import build_warehouse

    root = tmp_path_factory.mktemp("demo-warehouse")
    target_path = root / "dbt-target"
    path = root / "warehouse.duckdb"
    build_warehouse(
        path,
        end_date=TEST_END_DATE,
        scale=TEST_SCALE,
        dbt_project_dir=DBT_PROJECT_DIR,
        dbt_target_path=target_path,
    )
    yield DemoWarehouse(path=path, dbt_target_path=target_path, end_date=TEST_END_DATE, scale=TEST_SCALE)


@pytest.fixture(scope="session")
def logistics(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltProject]:
    """tests/fixtures/dbt_logistics (Kestrel Parcel & Freight, single-tenant) built with real dbt."""
    yield from build_project("logistics", tmp_path_factory)


@pytest.fixture(scope="session")
def hospitality(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltProject]:
    """tests/fixtures/dbt_hospitality (Halden House Hotels, single-tenant) built with real dbt."""
    yield from build_project("hospitality", tmp_path_factory)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one per test module. Playwright's sync API runs an
    event loop on the main thread while it is open: it refuses a second instance, and any test
    that calls asyncio.run() meanwhile fails — so it is opened for a module's browser tests and
    closed before the next module. Missing: a LOUD skip; under CI a failure."""
    message = ""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "playwright is not installed (.venv/bin/pip install -c constraints.txt playwright)"
    if not message and not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    if message:
        message = f"!!! SKIPPING the browser tests: {message} !!!"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI installs Chromium, so this is a failure there")
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
