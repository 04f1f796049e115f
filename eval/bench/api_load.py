"""Load benchmark of the HTTP API: requests/s and latency of cached and uncached answers, worker RSS.

The load comes from this process (async httpx, a bounded number of requests in flight, for a
bounded time, loopback only); the server is another process — either one the caller already runs
(`--url`, `--key`) or one spawned here with uvicorn on a free loopback port (`--spawn`), with its
own throw-away app database seeded from the warehouse's tenant registry. Figures are printed for
the README and reviews, never asserted: a shared 2-core machine is too noisy to gate on.

"Cached" repeats one question with one as_of, so after the first answer every request is a
cache hit. "Uncached" walks (question, as_of) pairs that never repeat within a run: as_of is part
of the cache key, so each request plans, compiles, guards and runs its SQL offline.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.runtime.settings import Settings
from guardrails.errors import InternalError, UserError

CACHED_QUESTION = "revenue by region last month"
UNCACHED_QUESTIONS = (
    "revenue by region last month",
    "units sold by category last week",
    "orders last 30 days",
    "gross margin by store type this year",
    "average order value by channel last quarter",
)
TARGETS = {
    "cached_rps": 300.0,
    "cached_p95_ms": 50.0,
    "uncached_rps": 40.0,
    "rss_mb": 400.0,
    "first_answer_s": 5.0,
}


class BenchmarkTargetError(UserError):
    """The benchmark cannot reach the server it was pointed at (wrong URL, wrong key, not loopback)."""

    code = "bench_target"


class ServerStartError(InternalError):
    code = "bench_server_start"


@dataclass(frozen=True)
class PhaseResult:
    name: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    cache_hits: int
    status_counts: dict[int, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class LoadReport:
    url: str
    concurrency: int
    cached: PhaseResult
    uncached: PhaseResult
    rss_mb: float | None  # the largest worker; None: the server is not ours to inspect (--url, no --pid)
    workers: int | None = None  # worker processes seen under the pid (None: unknown)
    startup: StartupTimes | None = None  # only for a server spawned here
    worker_rss: tuple[float, ...] = ()  # every worker's RSS after the load, MB


@dataclass(frozen=True)
class StartupTimes:
    """From starting `mercurios serve` to: /healthz answering, the first /v1/ask answered (which
    builds the tenant's knowledge and compiles a query in that worker), and each worker's RSS then."""

    ready_s: float
    first_answer_s: float
    idle_rss_mb: tuple[float, ...]


@dataclass(frozen=True)
class Target:
    url: str
    key: str
    pid: int | None


def _require_loopback(url: str) -> None:
    host = httpx.URL(url).host
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise BenchmarkTargetError(f"the load benchmark only runs against loopback, not {host!r}")


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process from /proc (Linux); None where /proc is unavailable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def worker_pids(pid: int) -> list[int]:
    """The worker processes of a uvicorn server: its children when it supervises several workers,
    else the process itself (one worker serves in the main process)."""
    children: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            children += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        return [pid]
    workers = [c for c in children if b"resource_tracker" not in _cmdline(c)]  # multiprocessing's helper
    return workers or [pid]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def worker_rss_mb(pid: int) -> tuple[float | None, int]:
    """(RSS of the largest worker, number of workers) of the server under `pid`."""
    sizes = all_worker_rss_mb(pid)
    return (max(sizes) if sizes else None), len(worker_pids(pid))


def all_worker_rss_mb(pid: int) -> tuple[float, ...]:
    """Each worker's RSS (MB) of the server under `pid`."""
    return tuple(m for m in (rss_mb(p) for p in worker_pids(pid)) if m is not None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed_app_database(settings: Settings, database_url: str) -> str:
    """Copies the warehouse's tenants into a fresh app database and issues one analyst key."""
    from assistant.core.tenants import WarehouseTenantDirectory
    from assistant.runtime.persistence.database import Database
    from assistant.runtime.persistence.key_store import KeyRepository
    from assistant.runtime.persistence.tenant_store import TenantRepository
    from semantic_layer.warehouses import warehouse_from_settings

    warehouse = warehouse_from_settings(settings)
    try:
        profiles = WarehouseTenantDirectory(warehouse).all()
    finally:
        close = getattr(warehouse, "close", None)
        if callable(close):
            close()
    if not profiles:
        raise BenchmarkTargetError("the warehouse has no tenants to benchmark")
    db = Database(database_url)
    try:
        db.migrate()
        TenantRepository(db).seed_from_directory(profiles)
        return KeyRepository(db).create(min(profiles), "analyst", "load benchmark").token
    finally:
        db.dispose()


@dataclass
class SpawnedServer:
    process: subprocess.Popen[bytes]
    target: Target
    workdir: tempfile.TemporaryDirectory[str]
    startup: StartupTimes | None = None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.workdir.cleanup()


def spawn_server(settings: Settings, *, workers: int = 1, startup_timeout_s: float = 90) -> SpawnedServer:
    """`mercurios serve --workers N` in a child process on a free loopback port (several workers: a
    supervisor and N worker processes, each worker's RSS read separately), timed from its start to
    the first answered question (`StartupTimes`)."""
    workdir = tempfile.TemporaryDirectory(prefix="mercurios-bench-")
    database_url = f"sqlite:///{Path(workdir.name) / 'app.db'}"
    key = _seed_app_database(settings, database_url)
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            "MERCURIOS_DATA_DIR": workdir.name,
            "MERCURIOS_DATABASE_URL": database_url,
            "MERCURIOS_DUCKDB_PATH": str(settings.resolved_duckdb_path.resolve()),
            # the configured cache (parsed manifest, catalog, compiled SQL, values): a restart, not
            # a first deployment — the app database above is the throw-away part
            "MERCURIOS_CACHE_DIR": str(settings.resolved_cache_dir.resolve()),
            "MERCURIOS_RATE_LIMIT_PER_MINUTE": str(10**9),  # measuring throughput, not the limiter
        }
    )
    if settings.dbt_target_path is not None:
        env["MERCURIOS_DBT_TARGET_PATH"] = str(Path(settings.dbt_target_path).resolve())
    log = open(Path(workdir.name) / "server.log", "wb")  # noqa: SIM115 - lives as long as the child
    command = [sys.executable, "-m", "assistant.channels.cli.main", "serve", "--host", "127.0.0.1"]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = SpawnedServer(process, Target(f"http://127.0.0.1:{port}", key, process.pid), workdir)
    deadline = time.monotonic() + startup_timeout_s

    def wait_for(what: str, request: Callable[[], httpx.Response]) -> float:
        while True:
            if process.poll() is not None:
                tail = (Path(workdir.name) / "server.log").read_text(errors="replace")[-2000:]
                server.workdir.cleanup()
                raise ServerStartError(f"the API server exited with {process.returncode}:\n{tail}")
            try:
                if request().status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                server.stop()
                raise ServerStartError(
                    f"the API server did not answer {what} within {startup_timeout_s:.0f} s"
                )
            time.sleep(0.05)

    base, auth = server.target.url, {"Authorization": f"Bearer {key}"}
    ready = wait_for("/healthz", lambda: httpx.get(f"{base}/healthz", timeout=1))
    first = wait_for(
        "/v1/ask",
        lambda: httpx.post(f"{base}/v1/ask", json=_FIRST_QUESTION, headers=auth, timeout=startup_timeout_s),
    )
    server.startup = StartupTimes(ready, first, all_worker_rss_mb(process.pid))
    return server


# Not the benchmark's cached question: the first answer is computed, as a new server's first is.
_FIRST_QUESTION = {"question": "net sales by store last month", "as_of": "2026-10-31"}


def _uncached_bodies(start: dt.date) -> Iterator[dict[str, str]]:
    """(question, as_of) pairs that never repeat: a day further back for each round of questions."""
    day = 0
    while True:
        as_of = (start - dt.timedelta(days=day)).isoformat()
        for q in UNCACHED_QUESTIONS:
            yield {"question": q, "as_of": as_of}
        day += 1


async def _phase(
    client: httpx.AsyncClient,
    name: str,
    next_body: Callable[[], dict[str, str]],
    *,
    seconds: float,
    concurrency: int,
    max_requests: int,
) -> PhaseResult:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = hits = 0
    issued = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors, hits, issued
        while time.perf_counter() < deadline and issued < max_requests:
            issued += 1
            body = next_body()
            t0 = time.perf_counter()
            try:
                response = await client.post("/v1/ask", json=body)
            except httpx.HTTPError:
                errors += 1
                continue
            latencies.append((time.perf_counter() - t0) * 1000)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code != 200:
                errors += 1
            elif _cache_of(response) == "hit":
                hits += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    ok = sorted(latencies)
    return PhaseResult(
        name=name,
        requests=len(ok),
        errors=errors,
        seconds=elapsed,
        p50_ms=_percentile(ok, 0.50),
        p95_ms=_percentile(ok, 0.95),
        cache_hits=hits,
        status_counts=dict(sorted(statuses.items())),
    )


def _cache_of(response: httpx.Response) -> str | None:
    """Hit or miss, from the `cached` flag of the /v1/ask contract."""
    try:
        payload = response.json()
    except ValueError:
        return None
    if isinstance(payload, dict) and isinstance(payload.get("cached"), bool):
        return "hit" if payload["cached"] else "miss"
    return None


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    if len(sorted_values) == 1:
        return sorted_values[0]
    return statistics.quantiles(sorted_values, n=100, method="inclusive")[round(q * 100) - 1]


async def _run(target: Target, *, seconds: float, concurrency: int, max_requests: int) -> LoadReport:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {target.key}"}
    async with httpx.AsyncClient(base_url=target.url, headers=headers, limits=limits, timeout=60) as client:
        probe = await client.post("/v1/ask", json={"question": CACHED_QUESTION, "as_of": "2026-10-31"})
        if probe.status_code in (401, 403):
            raise BenchmarkTargetError(
                f"the server refused the key ({probe.status_code}): {probe.text[:200]}"
            )
        if probe.status_code != 200:
            raise BenchmarkTargetError(f"/v1/ask answered {probe.status_code}: {probe.text[:200]}")
        cached_body = {"question": CACHED_QUESTION, "as_of": "2026-10-31"}
        cached = await _phase(
            client,
            "cached",
            lambda: cached_body,
            seconds=seconds,
            concurrency=concurrency,
            max_requests=max_requests,
        )
        bodies = _uncached_bodies(dt.date(2026, 10, 30))
        uncached = await _phase(
            client,
            "uncached",
            lambda: next(bodies),
            seconds=seconds,
            concurrency=concurrency,
            max_requests=max_requests,
        )
    rss, workers = worker_rss_mb(target.pid) if target.pid is not None else (None, None)
    every = all_worker_rss_mb(target.pid) if target.pid is not None else ()
    return LoadReport(target.url, concurrency, cached, uncached, rss, workers, worker_rss=every)


def run_load_benchmark(
    target: Target, *, seconds: float = 10, concurrency: int = 16, max_requests: int = 100_000
) -> LoadReport:
    """Runs both phases against a running server (its pid, if known, for the RSS figure)."""
    _require_loopback(target.url)
    return asyncio.run(_run(target, seconds=seconds, concurrency=concurrency, max_requests=max_requests))


def format_load_report(report: LoadReport) -> str:
    def line(p: PhaseResult, rps_target: float, p95_target: float | None) -> str:
        targets = f"target >= {rps_target:.0f} req/s" + (
            f", p95 <= {p95_target:.0f} ms" if p95_target is not None else ""
        )
        return (
            f"{p.name:<9} {p.rps:8.1f} req/s  p50 {p.p50_ms:7.1f} ms  p95 {p.p95_ms:7.1f} ms  "
            f"{p.requests} requests, {p.errors} errors, {p.cache_hits} cache hits  ({targets})"
        )

    rss = f"{report.rss_mb:.0f} MB" if report.rss_mb is not None else "unknown (server pid not given)"
    if report.workers is not None and report.workers > 1:
        each = ", ".join(f"{m:.0f}" for m in report.worker_rss)
        rss += f" (the largest of {report.workers} workers: {each} MB)"
    lines = [
        f"API load benchmark: {report.url}, {report.workers or '?'} worker(s), "
        f"{report.concurrency} concurrent clients, POST /v1/ask",
    ]
    if report.startup is not None:
        idle = ", ".join(f"{m:.0f}" for m in report.startup.idle_rss_mb)
        lines.append(
            f"start     `mercurios serve` → /healthz {report.startup.ready_s:.2f} s, → first answer "
            f"{report.startup.first_answer_s:.2f} s (target <= {TARGETS['first_answer_s']:g} s); "
            f"worker RSS then {idle} MB"
        )
    lines += [
        line(report.cached, TARGETS["cached_rps"], TARGETS["cached_p95_ms"]),
        line(report.uncached, TARGETS["uncached_rps"], None),
        f"worker RSS {rss} after the load (target <= {TARGETS['rss_mb']:.0f} MB per worker)",
    ]
    return "\n".join(lines)
