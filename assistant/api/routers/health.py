"""`/healthz` (the process is alive), `/readyz` (its dependencies answer), `/metrics` (Prometheus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from assistant.api.deps import Services
from assistant.cache_redis import RedisCache
from guardrails.errors import MercuriosError

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: Services) -> JSONResponse:
    """Ready when the warehouse and the app database answer; a dead cache only degrades."""
    checks: dict[str, dict[str, Any]] = {}
    try:
        services.engine.sl.warehouse.fingerprint()
        checks["warehouse"] = {"ok": True, "detail": services.engine.sl.dialect}
    except MercuriosError as exc:
        checks["warehouse"] = {"ok": False, "detail": exc.message}
    try:
        services.db.ping()
        checks["database"] = {"ok": True, "detail": services.db.engine.dialect.name}
    except MercuriosError as exc:
        checks["database"] = {"ok": False, "detail": exc.message}
    cache = services.cache
    if isinstance(cache, RedisCache):
        alive = cache.ping()
        checks["cache"] = {
            "ok": alive,
            "detail": "redis" if alive else "redis unreachable: answers are not cached (degraded)",
        }
    else:
        checks["cache"] = {"ok": True, "detail": "in-process"}
    checks["vector_store"] = {
        "ok": True,
        "detail": "embedded catalog retrieval (no external store configured)",
    }
    essential = checks["warehouse"]["ok"] and checks["database"]["ok"]
    status = "unavailable" if not essential else ("ready" if checks["cache"]["ok"] else "degraded")
    return JSONResponse({"status": status, "checks": checks}, status_code=200 if essential else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(services: Services) -> Response:
    return Response(services.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
