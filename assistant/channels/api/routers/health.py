"""`/healthz` (the process is alive), `/readyz` (its dependencies answer), `/metrics` (Prometheus).

`/readyz` is 503 ("unavailable") only when an essential dependency is down: the warehouse (no
answer can be computed) or the app database (no key can be verified, no turn stored). A dead cache
or vector store only degrades (200, "degraded"): answers are computed uncached, and questions are
planned from the catalog lexicon without retrieval — so the instance must stay in the load
balancer. No retrieval index at all is "ready": retrieval is optional. The body never names a
tenant or a credential, and without the platform admin token no path or URL either (the endpoint
is unauthenticated): each check is `{"ok", "reason"}`, a stable code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Header, Response
from fastapi.responses import JSONResponse

from assistant.runtime.from_settings import retrieval_config
from assistant.runtime.secret_compare import same_secret
from assistant.runtime.services import llm_cache_counts
from assistant.runtime.web.deps import Services
from guardrails.errors import MercuriosError
from retrieval.live import NO_INDEX, store_health

if TYPE_CHECKING:
    from assistant.runtime.app_services import ApiServices

log = logging.getLogger("mercurios.api")
router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """On the event loop: no worker thread, no warehouse, no database — busy threads (one
    tenant's flood) never make the process look dead to its load balancer."""
    return {"status": "ok"}


@dataclass(frozen=True)
class _Check:
    ok: bool
    reason: str  # a stable code: all that a caller without the admin token is told
    detail: str  # for the operator: may name files, URLs, versions
    extra: dict[str, Any] = field(default_factory=dict)

    def public(self, operator: bool) -> dict[str, Any]:
        shown: dict[str, Any] = {"ok": self.ok, "reason": self.reason}
        return {**shown, "detail": self.detail, **self.extra} if operator else shown


def _checks(services: ApiServices) -> dict[str, _Check]:
    checks: dict[str, _Check] = {}
    try:
        services.engine.sl.warehouse.fingerprint()
        checks["warehouse"] = _Check(True, "ok", services.engine.sl.dialect)
    except MercuriosError as exc:
        checks["warehouse"] = _Check(False, exc.code, exc.message)
    try:
        services.db.ping()
        checks["database"] = _Check(True, "ok", services.db.engine.dialect.name)
    except MercuriosError as exc:
        checks["database"] = _Check(False, exc.code, exc.message)
    cache = services.cache
    redis_cache = None
    if services.settings.redis_url:  # the client library loads only where Redis is configured
        from assistant.runtime.cache_redis import RedisCache

        redis_cache = cache if isinstance(cache, RedisCache) else None
    if redis_cache is not None:
        alive = redis_cache.ping()
        checks["cache"] = (
            _Check(True, "redis", "redis")
            if alive
            else _Check(False, "redis_unreachable", "redis unreachable: answers are not cached (degraded)")
        )
    else:
        checks["cache"] = _Check(True, "in_process", "in-process")
    config = retrieval_config(services.settings)
    store = store_health(config)
    extra = {"store": config.vector_store, "version": store.version}
    if store.ok:
        reason = "no_index" if store.detail == NO_INDEX else "ready"
        checks["vector_store"] = _Check(True, reason, store.detail, extra)
    else:
        reason = "weaviate_unavailable" if config.vector_store == "weaviate" else "index_unreadable"
        detail = f"{store.detail} (degraded: planning without retrieval)"
        checks["vector_store"] = _Check(False, reason, detail, extra)
    return checks


@router.get("/readyz")
def readyz(services: Services, x_admin_token: Annotated[str | None, Header()] = None) -> JSONResponse:
    """Ready when the warehouse and the app database answer; a dead cache or vector store only
    degrades (see the module docstring). Anyone may ask, so each check says ok and a reason code
    only; the platform admin token (`X-Admin-Token`) adds the details, which name files and URLs."""
    checks = _checks(services)
    configured = services.settings.api.admin_token
    operator = (
        x_admin_token is not None
        and configured is not None
        and same_secret(x_admin_token, configured.get_secret_value())
    )
    for name, check in checks.items():
        if not check.ok:
            log.warning("readiness check %s failed: %s", name, check.detail)
    essential = checks["warehouse"].ok and checks["database"].ok
    optional_ok = checks["cache"].ok and checks["vector_store"].ok
    status = "unavailable" if not essential else ("ready" if optional_ok else "degraded")
    body = {"status": status, "checks": {name: c.public(operator) for name, c in checks.items()}}
    return JSONResponse(body, status_code=200 if essential else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(services: Services) -> Response:
    services.metrics.observe_llm_cache(llm_cache_counts(services.engine))
    return Response(services.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
