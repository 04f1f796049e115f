"""Fairness under load: one tenant floods the warehouse, another keeps asking — how much slower?

A server is spawned as `mercurios serve --workers N` would run (its own processes, loopback, a
throw-away app database, no rate limit: the fair queue is what is measured, not the limiter).
Two phases of `seconds` each:

- quiet: tenant B asks one uncached question at a time, back to back, at most `b_rate` a second
  (`POST /v1/ask`, a new as_of each time so every answer plans, compiles and runs its SQL), while
  a probe reads `/healthz` every 50 ms;
- flood: the same, while tenant A runs `flood_clients` clients in a loop, each alternating a
  GraphQL request of `graphql_max_queries` heavy `query` fields (daily series by store, product
  and channel over all the data) and a heavy `POST /v1/query`.

Printed: B's p50/p95 in both phases and their ratio (target: flood p95 <= 3x quiet p95), the
`/healthz` p99 in both (target <= 100 ms), and what A got done (requests, statuses). Bounded in
time and count, loopback only; figures are printed for the README, never asserted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.runtime.settings import Settings
from eval.bench.api_load import (
    UNCACHED_QUESTIONS,
    BenchmarkTargetError,
    SpawnedServer,
    _percentile,
    _require_loopback,
    spawn_server,
)

TARGETS = {"p95_ratio": 3.0, "healthz_p99_ms": 100.0}
HEAVY_QUERIES = (
    {"metrics": ["net_sales", "units_sold"], "group_by": ["store__store_name", "product__category"]},
    {"metrics": ["orders", "gross_margin"], "group_by": ["product__subcategory", "sale_line__channel"]},
    {"metrics": ["net_sales"], "group_by": ["store__store_name", "product__brand"]},
)


@dataclass
class PhaseFigures:
    name: str
    b_latencies_ms: list[float] = field(default_factory=list)
    b_statuses: dict[int, int] = field(default_factory=dict)
    healthz_ms: list[float] = field(default_factory=list)
    a_statuses: dict[int, int] = field(default_factory=dict)
    a_requests: int = 0

    def p(self, values: list[float], q: float) -> float:
        return _percentile(sorted(values), q)


@dataclass(frozen=True)
class FairnessReport:
    url: str
    workers: int
    flood_clients: int
    seconds: float
    quiet: PhaseFigures
    flood: PhaseFigures
    slots: str


def _graphql_document(queries: int) -> str:
    fields = []
    for i in range(queries):
        q = HEAVY_QUERIES[i % len(HEAVY_QUERIES)]
        metrics = ", ".join(f'"{m}"' for m in q["metrics"])
        group = ", ".join(f'"{g}"' for g in q["group_by"])
        args = f'metrics: [{metrics}], groupBy: [{group}], grain: "day", limit: 10000'
        fields.append(f"q{i}: query({args}) {{ truncated }}")
    return "{ " + " ".join(fields) + " }"


def _b_bodies(start: dt.date) -> Iterator[dict[str, str]]:
    for day in itertools.count():
        as_of = (start - dt.timedelta(days=day)).isoformat()
        for question in UNCACHED_QUESTIONS:
            yield {"question": question, "as_of": as_of}


async def _asker(
    client: httpx.AsyncClient,
    key: str,
    bodies: Iterator[dict[str, str]],
    figures: PhaseFigures,
    deadline: float,
    rate: float,
) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            r = await client.post("/v1/ask", json=next(bodies), headers=headers)
            figures.b_statuses[r.status_code] = figures.b_statuses.get(r.status_code, 0) + 1
            if r.status_code == 200:
                figures.b_latencies_ms.append((time.perf_counter() - started) * 1000)
        except httpx.HTTPError:
            figures.b_statuses[0] = figures.b_statuses.get(0, 0) + 1
        await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - started)))


async def _prober(client: httpx.AsyncClient, figures: PhaseFigures, deadline: float) -> None:
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            r = await client.get("/healthz")
            if r.status_code == 200:
                figures.healthz_ms.append((time.perf_counter() - started) * 1000)
        except httpx.HTTPError:
            figures.healthz_ms.append(10_000.0)
        await asyncio.sleep(max(0.0, 0.05 - (time.perf_counter() - started)))


async def _flooder(
    client: httpx.AsyncClient, key: str, document: str, figures: PhaseFigures, deadline: float, offset: int
) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    for n in itertools.count(offset):
        if time.perf_counter() >= deadline:
            return
        try:
            if n % 2 == 0:
                r = await client.post("/graphql", json={"query": document}, headers=headers)
            else:
                body = HEAVY_QUERIES[n % len(HEAVY_QUERIES)] | {"time_grain": "day"}
                r = await client.post("/v1/query", json=body, headers=headers)
            figures.a_statuses[r.status_code] = figures.a_statuses.get(r.status_code, 0) + 1
        except httpx.HTTPError:
            figures.a_statuses[0] = figures.a_statuses.get(0, 0) + 1
        figures.a_requests += 1


async def _run(
    url: str,
    keys: tuple[str, str],
    *,
    seconds: float,
    flood_clients: int,
    b_rate: float,
    graphql_queries: int,
) -> tuple[PhaseFigures, PhaseFigures]:
    a_key, b_key = keys
    limits = httpx.Limits(max_connections=flood_clients + 4, max_keepalive_connections=flood_clients + 4)
    bodies = _b_bodies(dt.date(2026, 10, 30))
    document = _graphql_document(graphql_queries)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:
        for key in keys:  # warm: both tenants' catalogs and dimension values are loaded
            r = await client.post(
                "/v1/ask",
                json={"question": "net sales last month", "as_of": "2026-10-31"},
                headers={"Authorization": f"Bearer {key}"},
            )
            if r.status_code != 200:
                raise BenchmarkTargetError(f"/v1/ask answered {r.status_code}: {r.text[:200]}")
        quiet = PhaseFigures("quiet")
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            _asker(client, b_key, bodies, quiet, deadline, b_rate), _prober(client, quiet, deadline)
        )
        flood = PhaseFigures("flood")
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(_flooder(client, a_key, document, flood, deadline, i) for i in range(flood_clients)),
            _asker(client, b_key, bodies, flood, deadline, b_rate),
            _prober(client, flood, deadline),
        )
    return quiet, flood


def _second_key(server: SpawnedServer, settings: Settings) -> str:
    """An analyst key of a second tenant (the spawned server's database holds the first one's)."""
    from assistant.runtime.persistence.database import Database
    from assistant.runtime.persistence.key_store import KeyRepository
    from assistant.runtime.persistence.tenant_store import TenantRepository

    db = Database(f"sqlite:///{Path(server.workdir.name) / 'app.db'}")
    try:
        tenants = sorted(TenantRepository(db).all())
        if len(tenants) < 2:
            raise BenchmarkTargetError("the fairness benchmark needs a warehouse with two tenants")
        return KeyRepository(db).create(tenants[-1], "analyst", "fairness benchmark").token
    finally:
        db.dispose()


def run_fairness_benchmark(
    settings: Settings,
    *,
    workers: int = 2,
    seconds: float = 20.0,
    flood_clients: int = 16,
    b_rate: float = 4.0,
) -> FairnessReport:
    server = spawn_server(settings, workers=workers)
    try:
        _require_loopback(server.target.url)
        b_key = _second_key(server, settings)
        quiet, flood = asyncio.run(
            _run(
                server.target.url,
                (server.target.key, b_key),
                seconds=seconds,
                flood_clients=flood_clients,
                b_rate=b_rate,
                graphql_queries=settings.api.graphql_max_queries,
            )
        )
    finally:
        server.stop()
    slots = (
        f"per worker {settings.api.warehouse_slots} query slots "
        f"({settings.api.warehouse_slots_per_tenant} a tenant), "
        f"{settings.api.question_slots} question slots ({settings.api.question_slots_per_tenant} a tenant), "
        f"DuckDB threads per query {settings.duckdb.threads or '1 (the service default)'}"
    )
    return FairnessReport(server.target.url, workers, flood_clients, seconds, quiet, flood, slots)


def format_fairness_report(report: FairnessReport) -> str:
    q, f = report.quiet, report.flood
    q95, f95 = q.p(q.b_latencies_ms, 0.95), f.p(f.b_latencies_ms, 0.95)
    ratio = f95 / q95 if q95 > 0 else float("inf")
    hq, hf = q.p(q.healthz_ms, 0.99), f.p(f.healthz_ms, 0.99)

    def b_line(p: PhaseFigures) -> str:
        return (
            f"B {p.name:<5}  p50 {p.p(p.b_latencies_ms, 0.5):7.1f} ms  "
            f"p95 {p.p(p.b_latencies_ms, 0.95):7.1f} ms  "
            f"{len(p.b_latencies_ms)} answers, statuses {dict(sorted(p.b_statuses.items()))}"
        )

    return "\n".join(
        [
            f"Fairness benchmark: {report.url}, {report.workers} worker(s), {report.slots}, "
            f"{report.seconds:g} s per phase",
            "tenant B asks uncached questions one at a time; tenant A floods with "
            f"{report.flood_clients} clients (GraphQL of heavy query fields, POST /v1/query)",
            b_line(q),
            b_line(f),
            f"B p95 under flood / quiet: {ratio:.2f}x (target <= {TARGETS['p95_ratio']:g}x) — "
            f"{'met' if ratio <= TARGETS['p95_ratio'] else 'NOT met'}",
            f"/healthz p99: quiet {hq:.1f} ms, flood {hf:.1f} ms "
            f"(target <= {TARGETS['healthz_p99_ms']:g} ms) — "
            f"{'met' if max(hq, hf) <= TARGETS['healthz_p99_ms'] else 'NOT met'}",
            f"A during the flood: {f.a_requests} requests, statuses {dict(sorted(f.a_statuses.items()))}",
        ]
    )
