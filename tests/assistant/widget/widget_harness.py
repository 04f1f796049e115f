"""Driving the widget like a user: open the demo page, ask, wait for the answer to finish."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.runtime.app_services import ApiServices
from guardrails.guarded_sql import GuardedSql
from semantic_layer.protocols import QueryResult
from semantic_layer.warehouses.duckdb import DuckDbWarehouse
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.api.conftest import NORDWIND

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PANEL = "#mercurios-panel"
INPUT = "#mercurios-input"
XSS_STORE = '<img src=x onerror="window.__xss=1;alert(1)">Hamburg'


def open_demo(page: Any, url: str) -> None:
    page.goto(url)
    page.locator(PANEL).wait_for(state="visible")
    page.locator(".greeting").wait_for()


def ask(page: Any, question: str, *, wait: bool = True) -> Any:
    """Types the question and presses Enter; returns the new turn's locator (finished if `wait`)."""
    before = page.locator(".turn").count()
    page.locator(INPUT).fill(question)
    page.locator(INPUT).press("Enter")
    turn = page.locator(".turn").nth(before)
    turn.wait_for()
    if wait:
        wait_finished(turn)
    return turn


def wait_finished(turn: Any) -> None:
    turn.locator(".progress.idle").wait_for(state="attached")


def timings(page: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = page.evaluate("() => window.Mercurios.timings.map(t => ({...t}))")
    return result


class ArmableWarehouse(DuckDbWarehouse):
    """The real DuckDB warehouse; when armed, the next sales query is swapped for a heavy (guarded)
    one, so that a running answer exists long enough to be stopped from the browser. `slow_s`
    delays every sales query: an answer that arrives while the user does something else."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.armed = threading.Event()
        self.started = threading.Event()
        self.outcomes: list[BaseException | None] = []
        self.heavy: GuardedSql | None = None
        self.slow_s = 0.0

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        if self.slow_s and "fct_sales" in guarded.sql:
            time.sleep(self.slow_s)
        if not (self.armed.is_set() and "fct_sales" in guarded.sql and self.heavy is not None):
            return super().execute(guarded, timeout_s=timeout_s, row_cap=row_cap)
        self.armed.clear()
        self.started.set()
        try:
            result = super().execute(self.heavy, timeout_s=timeout_s, row_cap=row_cap)
        except BaseException as exc:
            self.outcomes.append(exc)
            raise
        self.outcomes.append(None)
        return result


@dataclass
class WidgetServer:
    services: ApiServices
    server: LiveServer
    warehouse: ArmableWarehouse
    keys: dict[str, str] = field(default_factory=dict)  # tenant -> analyst key

    @property
    def url(self) -> str:
        return self.server.url

    def demo_url(self, tenant: str = NORDWIND) -> str:
        return f"{self.server.url}/demo?tenant={tenant}"


def wait_for(predicate: Any, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
