"""A ProHandel API simulator: the demo generator's data behind the real API's shape, with faults.

Endpoints (the shape the connector speaks):
  POST /auth/token            {"apiKey", "secret"}
                              -> {"accessToken", "expiresIn", "refreshToken", "serverUrl"}
  POST /auth/token/refresh    {"refreshToken"}      -> the same
  GET  /instances/{code}/api/v2/{resource}?changedSince=&page=&pageSize=  (Bearer token)
       -> {"items": [...], "page", "pageSize", "hasMore"}

Faults are deterministic: each distinct page gets an index when first requested, and a fault
whose period divides it fires on that page's first attempt(s) only, so a correct client always
survives and the same run injects the same faults. Tests flip `Simulator.faults` between runs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import secrets
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from ingestion.prohandel.resources import RESOURCES_BY_NAME
from ingestion.prohandel.simulator_data import TenantApiData, Version

MAX_PAGE_SIZE = 10_000


@dataclass
class FaultPlan:
    """Which faults to inject; 0 / empty switches a fault off."""

    slow_every: int = 0  # every Nth page answers after `slow_s` (a client timeout shorter than that retries)
    slow_s: float = 0.2
    rate_limit_every: int = 0  # every Nth page: 429 with Retry-After
    retry_after_s: int = 1
    server_error_every: int = 0  # every Nth page: 500, then 503
    expire_token_every: int = 0  # every Nth page: the presented access token is revoked -> 401
    duplicate_rows: bool = False  # repeat a row within the page and the previous page's last row
    shuffle_rows: bool = False  # rows of a page in random order (the API only orders pages)
    rename_fields: dict[str, dict[str, str]] = field(default_factory=dict)  # resource -> {old: new}
    extra_fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # resource -> new fields
    inject_records: dict[str, list[Any]] = field(default_factory=dict)  # resource -> records on page 1
    stall_after_pages: int | None = None  # after this many pages served, page requests hang
    stall_s: float = 60.0

    @classmethod
    def everything(cls, retry_after_s: int = 0) -> FaultPlan:
        """Every survivable fault at once (what the end-to-end tests switch on)."""
        return cls(
            slow_every=5,
            slow_s=0.05,
            rate_limit_every=3,
            retry_after_s=retry_after_s,
            server_error_every=4,
            expire_token_every=6,
            duplicate_rows=True,
            shuffle_rows=True,
            rename_fields={"articles": {"retailPrice": "salesPrice"}},
        )


@dataclass
class SimulatorStats:
    pages_served: int = 0
    requests: int = 0
    injected: dict[str, int] = field(default_factory=dict)

    def count(self, fault: str) -> None:
        self.injected[fault] = self.injected.get(fault, 0) + 1


@dataclass(frozen=True)
class TenantAccount:
    tenant_id: str
    api_key: str
    api_secret: str
    data: TenantApiData


class Simulator:
    """State behind the app: tenants, tokens, the clock, faults and what was injected."""

    def __init__(
        self, tenants: list[TenantApiData], *, now: dt.datetime, token_ttl_s: float = 3600.0
    ) -> None:
        self.accounts = {
            t.code: TenantAccount(t.tenant_id, f"{t.tenant_id}-key", f"{t.tenant_id}-secret", t)
            for t in tenants
        }
        self.now = now  # the API's clock: what has "changed" so far
        self.token_ttl_s = token_ttl_s
        self.faults = FaultPlan()
        self.stats = SimulatorStats()
        self._lock = threading.Lock()
        self._access: dict[str, tuple[str, float]] = {}  # token -> (instance code, expires monotonic)
        self._refresh: dict[str, str] = {}  # refresh token -> instance code
        self._page_index: dict[tuple[Any, ...], int] = {}
        self._attempts: dict[tuple[Any, ...], int] = {}
        self._cache: dict[tuple[Any, ...], list[Version]] = {}

    def credentials_for(self, tenant_id: str) -> tuple[str, str]:
        account = next(a for a in self.accounts.values() if a.tenant_id == tenant_id)
        return account.api_key, account.api_secret

    def reset_faults(self, plan: FaultPlan | None = None) -> None:
        with self._lock:
            self.faults = plan or FaultPlan()
            self._page_index.clear()
            self._attempts.clear()

    # --- tokens -------------------------------------------------------------------------------

    def issue(self, code: str, base_url: str) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        with self._lock:
            self._access[access] = (code, time.monotonic() + self.token_ttl_s)
            self._refresh[refresh] = code
        return {
            "accessToken": access,
            "expiresIn": self.token_ttl_s,
            "refreshToken": refresh,
            "serverUrl": f"{base_url.rstrip('/')}/instances/{code}/api/v2",
        }

    def instance_of(self, token: str) -> str | None:
        entry = self._access.get(token)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def revoke(self, token: str) -> None:
        with self._lock:
            self._access.pop(token, None)

    # --- pages --------------------------------------------------------------------------------

    def visible(self, code: str, resource: str, since: dt.datetime | None) -> list[Version]:
        key = (code, resource, since, self.now)
        cached = self._cache.get(key)
        if cached is None:
            cached = self.accounts[code].data.visible(resource, since, self.now)
            with self._lock:
                if len(self._cache) > 256:
                    self._cache.clear()
                self._cache[key] = cached
        return cached

    def faults_for(self, signature: tuple[Any, ...]) -> str | None:
        """The fault (if any) this attempt at this page gets."""
        plan = self.faults
        with self._lock:
            index = self._page_index.setdefault(signature, len(self._page_index) + 1)
            attempt = self._attempts.get(signature, 0) + 1
            self._attempts[signature] = attempt
        due = [
            name
            for name, every in (
                ("slow", plan.slow_every),
                ("rate_limit", plan.rate_limit_every),
                ("server_error", plan.server_error_every),
                ("expire_token", plan.expire_token_every),
            )
            if every and index % every == 0
        ]
        return due[attempt - 1] if attempt <= len(due) else None

    def page_items(
        self, code: str, resource: str, versions: list[Version], page: int, size: int
    ) -> list[Any]:
        plan = self.faults
        start = (page - 1) * size
        items = [dict(v.payload) for v in versions[start : start + size]]
        rng = random.Random(zlib.crc32(f"{code}/{resource}/{page}/{size}".encode()))
        if plan.duplicate_rows and items:
            items.append(dict(items[rng.randrange(len(items))]))
            if start > 0:
                items.insert(0, dict(versions[start - 1].payload))
            self.stats.count("duplicate_rows")
        renames = plan.rename_fields.get(resource, {})
        extras = plan.extra_fields.get(resource, {})
        if renames or extras:
            for item in items:
                for old, new in renames.items():
                    if old in item:
                        item[new] = item.pop(old)
                item.update(extras)
            self.stats.count("renamed_field" if renames else "extra_fields")
        if page == 1 and resource in plan.inject_records:
            items.extend(plan.inject_records[resource])
        if plan.shuffle_rows:
            rng.shuffle(items)
            self.stats.count("shuffled")
        return items


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def create_app(sim: Simulator) -> FastAPI:
    app = FastAPI(title="ProHandel API simulator", docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/auth/token")
    async def token(request: Request) -> Response:
        body = await request.json()
        for code, account in sim.accounts.items():
            if body.get("apiKey") == account.api_key and body.get("secret") == account.api_secret:
                return JSONResponse(sim.issue(code, str(request.base_url)))
        return _error(401, "invalid API key or secret")

    @app.post("/auth/token/refresh")
    async def refresh(request: Request) -> Response:
        body = await request.json()
        code = sim._refresh.pop(str(body.get("refreshToken")), None)  # refresh tokens are single-use
        if code is None:
            return _error(401, "invalid refresh token")
        return JSONResponse(sim.issue(code, str(request.base_url)))

    @app.get("/instances/{code}/api/v2/{resource}")
    async def resource_page(code: str, resource: str, request: Request) -> Response:
        sim.stats.requests += 1
        auth = request.headers.get("Authorization", "")
        token_value = auth.removeprefix("Bearer ").strip()
        instance = sim.instance_of(token_value)
        if instance is None:
            return _error(401, "access token expired or invalid")
        if instance != code or code not in sim.accounts:
            return _error(403, "this token belongs to another ProHandel instance")
        if resource not in RESOURCES_BY_NAME:
            return _error(404, f"unknown resource {resource}")
        try:
            page = int(request.query_params.get("page", "1"))
            size = int(request.query_params.get("pageSize", "500"))
            since_text = request.query_params.get("changedSince")
            since = dt.datetime.fromisoformat(since_text) if since_text else None
        except ValueError:
            return _error(400, "bad paging parameters")
        if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
            return _error(400, f"page must be >= 1 and pageSize in 1..{MAX_PAGE_SIZE}")
        plan = sim.faults
        if plan.stall_after_pages is not None and sim.stats.pages_served >= plan.stall_after_pages:
            sim.stats.count("stall")
            await asyncio.sleep(plan.stall_s)
        fault = sim.faults_for((code, resource, since, sim.now, page, size))
        if fault is not None:
            sim.stats.count(fault)
        if fault == "slow":
            await asyncio.sleep(plan.slow_s)
        elif fault == "rate_limit":
            return _error(429, "too many requests", {"Retry-After": str(plan.retry_after_s)})
        elif fault == "server_error":
            return _error(500, "internal server error")
        elif fault == "expire_token":
            sim.revoke(token_value)
            return _error(401, "access token expired")
        versions = sim.visible(code, resource, since)
        items = sim.page_items(code, resource, versions, page, size)
        sim.stats.pages_served += 1
        body = {"items": items, "page": page, "pageSize": size, "hasMore": page * size < len(versions)}
        return Response(json.dumps(body), media_type="application/json")

    return app
