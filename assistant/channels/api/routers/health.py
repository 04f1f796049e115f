"""`/healthz` (the process is alive), `/readyz` (its dependencies answer), `/metrics` (Prometheus).

`/readyz` is 503 ("unavailable") only when an essential dependency is down: the warehouse (no
answer can be computed) or the app database (no key can be verified, no turn stored). A dead cache
or vector store only degrades (200, "degraded"): answers are computed uncached, and questions are
planned from the catalog lexicon without retrieval — so the instance must stay in the load
balancer. No retrieval index at all is "ready": retrieval is optional. The body never names a
tenant or a credential (the endpoint is unauthenticated).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from assistant.runtime.from_settings import retrieval_config
from assistant.runtime.services import llm_cache_counts
from assistant.runtime.web.deps import Services
from guardrails.errors import MercuriosError
from retrieval.live import store_health

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: Services) -> JSONResponse:
    """Ready when the warehouse and the app database answer; a dead cache or vector store only
    degrades (see the module docstring)."""
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
    redis_cache = None
    if services.settings.redis_url:  # the client library loads only where Redis is configured
        from assistant.runtime.cache_redis import RedisCache

        redis_cache = services.cache if isinstance(services.cache, RedisCache) else None
    if redis_cache is not None:
        alive = redis_cache.ping()
        checks["cache"] = {
            "ok": alive,
            "detail": "redis" if alive else "redis unreachable: answers are not cached (degraded)",
        }
    else:
        checks["cache"] = {"ok": True, "detail": "in-process"}
    config = retrieval_config(services.settings)
    store = store_health(config)
    checks["vector_store"] = {
        "ok": store.ok,
        "detail": store.detail if store.ok else f"{store.detail} (degraded: planning without retrieval)",
        "store": config.vector_store,
        "version": store.version,
    }
    essential = checks["warehouse"]["ok"] and checks["database"]["ok"]
    optional_ok = checks["cache"]["ok"] and checks["vector_store"]["ok"]
    status = "unavailable" if not essential else ("ready" if optional_ok else "degraded")
    return JSONResponse({"status": status, "checks": checks}, status_code=200 if essential else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(services: Services) -> Response:
    services.metrics.observe_llm_cache(llm_cache_counts(services.engine))
    return Response(services.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
