"""Acceptance 1 (continued): a disconnect interrupts the running warehouse statement; a
conversation continues across a server restart with the SQL store."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from assistant.channels.server import create_app
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from guardrails.guarded_sql import GuardedSql
from semantic_layer.errors import QueryTimeoutError
from semantic_layer.facade import SemanticLayer
from semantic_layer.protocols import QueryResult
from semantic_layer.warehouses.duckdb import DuckDbWarehouse
from tests.assistant.api.api_harness import LiveServer, read_sse
from tests.assistant.api.conftest import NORDWIND, Backend, base_settings, start_services
from tests.demo import DemoWarehouse

AS_OF = "2026-10-31"
# ~10^12 row pairs: runs far longer than the test's patience unless something interrupts it.
# keyed joins (the guard refuses joins without a key equality), on a key of a dozen values: still
# ~10^10 row triples, which runs until something interrupts it
HEAVY_SQL = (
    "SELECT count(*) AS n FROM marts.fct_sales a JOIN marts.fct_sales b ON a.store_id = b.store_id "
    "JOIN marts.fct_sales c ON b.store_id = c.store_id WHERE a.sale_line_id <> c.sale_line_id"
)


class SlowWarehouse(DuckDbWarehouse):
    """The real DuckDB warehouse; when armed, the next sales query is swapped for a heavy one
    (guarded like any other) so that a disconnect can be observed interrupting it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.armed = threading.Event()
        self.started = threading.Event()
        self.outcomes: list[tuple[float, BaseException | None]] = []
        self.heavy: GuardedSql | None = None

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        if not (self.armed.is_set() and "fct_sales" in guarded.sql and self.heavy is not None):
            return super().execute(guarded, timeout_s=timeout_s, row_cap=row_cap)
        self.armed.clear()
        self.started.set()
        began = time.perf_counter()
        try:
            result = super().execute(self.heavy, timeout_s=timeout_s, row_cap=row_cap)
        except BaseException as exc:
            self.outcomes.append((time.perf_counter() - began, exc))
            raise
        self.outcomes.append((time.perf_counter() - began, None))
        return result


def test_a_client_disconnect_interrupts_the_running_query(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    settings = base_settings(demo_warehouse, tmp_path, query_timeout_s=120.0)
    slow = SlowWarehouse(demo_warehouse.path)
    sl = build_semantic_layer(settings, warehouse=slow)
    slow.heavy = sl.guard(HEAVY_SQL, tenant_id=NORDWIND)
    services = start_services(Backend("sqlite", settings), sl)
    key = services.keys.create(NORDWIND, "analyst").token
    with LiveServer(create_app(services=services)) as server, server.client(key) as client:
        warm = client.post("/v1/ask", json={"question": "net sales last month", "as_of": AS_OF})
        assert warm.json()["kind"] == "data"
        slow.armed.set()
        with client.stream("POST", "/v1/chat", json={"question": "units sold by store last year"}) as r:
            stream = read_sse(r)  # kept referenced: closing the generator would close the connection
            for event in stream:
                if event.event == "status" and event.data.get("stage") == "execute":
                    break
            assert slow.started.wait(60), "the heavy statement never started"
            time.sleep(0.3)  # it is running inside DuckDB now
        # the response is closed: the client has gone away
        deadline = time.monotonic() + 10
        while not slow.outcomes and time.monotonic() < deadline:
            time.sleep(0.05)
    assert slow.outcomes, "the statement was never stopped"
    elapsed, error = slow.outcomes[0]
    assert isinstance(error, QueryTimeoutError)  # DuckDB's interrupt, long before the 120 s timeout
    assert elapsed < 8
    asks = [r for r in services.audit.records(NORDWIND) if r.action == "ask"]
    assert asks[0].detail["question"] == "units sold by store last year"
    assert asks[0].detail["outcome"] == "error:cancelled"


def test_a_conversation_continues_across_a_server_restart(
    backend: Backend, api_semantic_layer: SemanticLayer
) -> None:
    services = start_services(backend, api_semantic_layer)
    key = services.keys.create(NORDWIND, "analyst").token
    with LiveServer(create_app(services=services)) as server, server.client(key) as client:
        first = client.post("/v1/ask", json={"question": "net sales last month", "as_of": AS_OF}).json()
    conversation = first["conversation_id"]
    restarted = create_app(Settings(**backend.settings.model_dump()))  # fresh process state, same database
    with LiveServer(restarted) as server, server.client(key) as client:
        follow = client.post(
            "/v1/ask", json={"question": "and by store?", "conversation_id": conversation, "as_of": AS_OF}
        ).json()
        turns = client.get(f"/v1/conversations/{conversation}").json()["turns"]
    assert follow["kind"] == "data", follow
    assert follow["plan"]["query"]["metrics"] == ["net_sales"]
    assert any("store" in g for g in follow["plan"]["query"]["group_by"])
    assert [t["question"] for t in turns] == ["net sales last month", "and by store?"]
