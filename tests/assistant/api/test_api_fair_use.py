"""Issue 19, finding 1: one tenant cannot starve the others, and GraphQL's cost is bounded.

One request with 400 aliased `query` fields ran 400 warehouse queries, and a few such requests
held every worker thread: another tenant's `/v1/query` timed out and `/healthz` took 27 s. Now:
GraphQL depth, aliases, tokens and warehouse queries per request are limited before anything
runs; each warehouse query a request resolves counts against the caller's rate limit; warehouse
work waits in a per-tenant fair queue (a tenant holds at most its share of the slots, and a
waiting tenant is served before a tenant's next query), so no tenant occupies every worker; and
`/healthz` answers on the event loop.

To hold tenant A's statements in the warehouse for as long as the test needs, the real DuckDB
warehouse sits behind `HeldWarehouse`: statements of the held tenant wait for the test to let
them go (what a slow scan over a big fact table does), every other statement runs at once.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest

from assistant.channels.server import create_app
from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from guardrails.guarded_sql import GuardedSql
from semantic_layer.protocols import QueryResult, Warehouse
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.api.conftest import ALPIN, NORDWIND, Backend, start_services
from tests.demo import DemoWarehouse

ALIASES_400 = "{ " + " ".join(f'q{i}: query(metrics: ["net_sales"]) {{ rows }}' for i in range(400)) + " }"


class HeldWarehouse:
    """The real warehouse; statements of `held_tenant` wait until `release()` (or 60 s)."""

    def __init__(self, inner: Warehouse) -> None:
        self.inner = inner
        self.held_tenant: str | None = None
        self.gate = threading.Event()
        self.lock = threading.Lock()
        self.running = 0
        self.max_running = 0
        self.executed: list[str | None] = []

    @property
    def dialect(self) -> str:
        return self.inner.dialect

    def fingerprint(self) -> str:
        return self.inner.fingerprint()

    def hold(self, tenant: str) -> None:
        self.held_tenant, self.max_running = tenant, 0
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def execute(self, guarded: GuardedSql, *, timeout_s: float, row_cap: int) -> QueryResult:
        with self.lock:
            self.executed.append(guarded.tenant_id)
        if guarded.tenant_id != self.held_tenant or "mercurios_meta" in guarded.sql:
            return self.inner.execute(guarded, timeout_s=timeout_s, row_cap=row_cap)
        with self.lock:
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        try:
            self.gate.wait(60)
            return self.inner.execute(guarded, timeout_s=timeout_s, row_cap=row_cap)
        finally:
            with self.lock:
                self.running -= 1


@dataclass
class FairUse:
    server: LiveServer
    warehouse: HeldWarehouse
    keys: dict[str, str]
    backend: Backend


@pytest.fixture(scope="module")
def fair(backend: Backend, demo_warehouse: DemoWarehouse) -> Iterator[FairUse]:
    sl = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    held = HeldWarehouse(sl.warehouse)
    sl.warehouse = held
    settings = backend.settings.model_copy(update={"cache_namespace": f"fair-{uuid.uuid4().hex[:8]}"})
    services = start_services(Backend(backend.name, settings), sl)
    keys = {tenant: services.keys.create(tenant, "analyst").token for tenant in (NORDWIND, ALPIN)}
    with LiveServer(create_app(services=services)) as server:
        yield FairUse(server, held, keys, backend)
        held.release()


def test_a_graphql_request_of_400_aliased_queries_is_refused_before_anything_runs(fair: FairUse) -> None:
    before = len(fair.warehouse.executed)
    with fair.server.client(fair.keys[NORDWIND]) as client:
        r = client.post("/graphql", json={"query": ALIASES_400})
    assert r.status_code in (200, 400), r.text
    errors = r.json()["errors"]
    assert errors and not r.json().get("data")
    # refused when parsed: the document alone is over the token limit (and the alias and query limits)
    assert any(word in e["message"].lower() for e in errors for word in ("token", "alias", "queries")), errors
    assert len(fair.warehouse.executed) == before  # refused before execution: no statement ran


@pytest.mark.parametrize(
    ("query", "word"),
    [
        # six warehouse queries in one request, without aliases: fragments on the same field
        (
            '{ ...a ...b } fragment a on Query { x1: query(metrics: ["net_sales"]) { rows } '
            'x2: query(metrics: ["orders"]) { rows } x3: query(metrics: ["units_sold"]) { rows } } '
            'fragment b on Query { x4: query(metrics: ["gross_sales"]) { rows } '
            'x5: query(metrics: ["discount_amount"]) { rows } '
            'x6: query(metrics: ["gross_margin"]) { rows } }',
            "queries",
        ),
        ("{ metrics { name " + "__typename " * 3000 + "} }", "token"),
        ("{ " + " ".join(f"m{i}: metrics {{ name }}" for i in range(12)) + " }", "aliases"),
        ("{ metrics { name { a { b { c { d { e { f } } } } } } } }", "depth"),
    ],
)
def test_graphql_cost_depth_and_size_are_limited_before_execution(
    fair: FairUse, query: str, word: str
) -> None:
    before = len(fair.warehouse.executed)
    with fair.server.client(fair.keys[NORDWIND]) as client:
        r = client.post("/graphql", json={"query": query})
    assert r.status_code in (200, 400), r.text
    errors = r.json()["errors"]
    assert any(word in e["message"].lower() for e in errors), errors
    assert len(fair.warehouse.executed) == before


def test_each_warehouse_query_of_a_graphql_request_counts_against_the_rate_limit(
    backend: Backend, demo_warehouse: DemoWarehouse
) -> None:
    sl = build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path), dbt_target_path=demo_warehouse.dbt_target_path
    )
    settings = backend.settings.updated(
        api={"rate_limit_per_minute": 6}, cache_namespace=f"gqlrate-{uuid.uuid4().hex[:8]}"
    )
    services = start_services(Backend(backend.name, settings), sl)
    key = services.keys.create(NORDWIND, "analyst").token
    five = (
        "{ "
        + " ".join(f'q{i}: query(metrics: ["net_sales"], limit: {i + 1}) {{ rows }}' for i in range(5))
        + " }"
    )
    if time.time() % 60 > 50:  # fixed one-minute windows: start in a fresh one
        time.sleep(61 - time.time() % 60)
    with LiveServer(create_app(services=services)) as server, server.client(key) as client:
        r = client.post("/graphql", json={"query": five})
        assert r.status_code == 200 and "errors" not in r.json(), r.text  # 1 request + 4 more queries = 5
        assert client.get("/v1/catalog").status_code == 200  # the 6th
        limited = client.get("/v1/catalog")
        assert limited.status_code == 429, limited.text


def test_one_tenant_holding_the_warehouse_does_not_starve_another_or_healthz(fair: FairUse) -> None:
    fair.warehouse.hold(NORDWIND)
    flood = 48  # more than every worker thread of the process
    query = {"metrics": ["net_sales"], "group_by": ["store__store_name"]}

    def nordwind_query(_: int) -> int:
        with httpx.Client(base_url=fair.server.url, timeout=90) as c:
            r = c.post("/v1/query", json=query, headers={"Authorization": f"Bearer {fair.keys[NORDWIND]}"})
            return r.status_code

    with ThreadPoolExecutor(max_workers=flood) as pool:
        statuses = [pool.submit(nordwind_query, i) for i in range(flood)]
        time.sleep(3)  # the flood is in: every one of its statements waits in the warehouse or the queue
        try:
            with httpx.Client(base_url=fair.server.url, timeout=10) as c:
                assert c.get("/healthz").status_code == 200
                alpin = c.post(
                    "/v1/query", json=query, headers={"Authorization": f"Bearer {fair.keys[ALPIN]}"}
                )
                assert alpin.status_code == 200 and alpin.json()["rows"], alpin.text
                asked = c.post(
                    "/v1/ask",
                    json={"question": "net sales by store last month", "as_of": "2026-10-31"},
                    headers={"Authorization": f"Bearer {fair.keys[ALPIN]}"},
                )
                assert asked.status_code == 200 and asked.json()["kind"] == "data", asked.text
            held_at_once = fair.warehouse.max_running
        finally:
            fair.warehouse.release()
        done = [s.result(timeout=120) for s in statuses]
    assert done == [200] * flood  # queued, not dropped: every one of the flood's queries answered
    assert 1 <= held_at_once <= 2, held_at_once  # nordwind held at most its share of the warehouse
