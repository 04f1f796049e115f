"""Everything one API process holds, built once from `Settings` (the service's composition root).

The app database owns tenants, keys, conversations, feedback and the audit log; the engine gets
the SQL conversation store, the app-database tenant directory and the configured answer cache,
and its warehouse is wrapped so that a client disconnect can interrupt a running statement.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.cache import AnswerCache
from assistant.core.clock import Clock, SystemClock, clock_for
from assistant.core.engine import Engine
from assistant.core.tracing import Tracing, tracing_from_endpoint
from assistant.runtime.cancellation import CancellableWarehouse
from assistant.runtime.fair_queue import FairQueue
from assistant.runtime.metrics import ApiMetrics
from assistant.runtime.persistence.audit_log import AuditLog, FeedbackStore
from assistant.runtime.persistence.conversation_store import SqlConversationStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.key_store import KeyRepository
from assistant.runtime.persistence.tenant_store import (
    SqlTenantDirectory,
    TenantRepository,
    seed_single_tenant,
)
from assistant.runtime.rate_limits import RateLimiter
from assistant.runtime.services import build_answer_cache, build_engine, build_semantic_layer
from assistant.runtime.settings import Settings
from assistant.runtime.widget_tokens import WidgetTokenSigner
from semantic_layer.facade import SemanticLayer
from semantic_layer.warehouses import warehouse_from_settings

log = logging.getLogger(__name__)


@dataclass
class ApiServices:
    settings: Settings
    db: Database
    tenants: TenantRepository
    keys: KeyRepository
    conversations: SqlConversationStore
    feedback: FeedbackStore
    audit: AuditLog
    cache: AnswerCache
    engine: Engine
    widget_tokens: WidgetTokenSigner
    rate_limiter: RateLimiter
    metrics: ApiMetrics
    tracing: Tracing | None = None
    clock: Clock = field(default_factory=SystemClock)  # what 'today' is when a request gives no as_of
    warehouse_queue: FairQueue = field(default_factory=lambda: FairQueue(4, 2))  # direct queries
    question_queue: FairQueue = field(default_factory=lambda: FairQueue(16, 8))  # questions

    def close(self) -> None:
        if self.tracing is not None:
            self.tracing.shutdown()
        close = getattr(self.cache, "close", None)
        if callable(close):
            close()
        self.db.dispose()


def widget_secret(settings: Settings) -> bytes:
    """The configured secret, else a random one kept (0600) under the data dir for all workers."""
    if settings.api.widget_token_secret is not None:
        return settings.api.widget_token_secret.get_secret_value().encode()
    path = Path(settings.data_dir) / "widget-token.key"
    if not path.exists():
        # Workers start at once: the key is written whole under a name of its own, then linked into
        # place, which succeeds for exactly one of them; the others read the winner's key (never a
        # half-written or empty file, never a FileExistsError at start-up).
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip().encode()


def service_warehouse_settings(settings: Settings) -> Settings:
    """The service runs many queries at once on few cores: unless MERCURIOS_DUCKDB_THREADS says
    otherwise, each query gets one DuckDB thread. Measured with `mercurios bench fairness` (2 cores,
    2 workers, one tenant flooding): a steady tenant's p95 4.3x its quiet p95 with one thread per
    core, 2.6x with one per query, and the flooding tenant got twice as much done; `bench api`
    within its noise. The CLI keeps DuckDB's default (one query at a time: every core helps)."""
    if settings.warehouse != "duckdb" or settings.duckdb.threads is not None:
        return settings
    return settings.updated(duckdb={"threads": 1})


def _cancellable_layer(settings: Settings, given: SemanticLayer | None) -> SemanticLayer:
    """The service's semantic layer, its warehouse wrapped so that a client disconnect can interrupt
    a running statement (a layer that is given is not changed: a copy gets the wrapper)."""
    if given is None:
        warehouse_settings = service_warehouse_settings(settings)
        warehouse = CancellableWarehouse(warehouse_from_settings(warehouse_settings))
        return build_semantic_layer(warehouse_settings, warehouse=warehouse)
    if isinstance(given.warehouse, CancellableWarehouse):
        return given
    return given.with_warehouse(CancellableWarehouse(given.warehouse))


def build_api_services(settings: Settings, *, semantic_layer: SemanticLayer | None = None) -> ApiServices:
    db = Database(settings.resolved_database_url)
    db.migrate()
    tenants = TenantRepository(db)
    seed_single_tenant(tenants, settings)
    conversations = SqlConversationStore(db)
    cache = build_answer_cache(settings)
    sl = _cancellable_layer(settings, semantic_layer)
    engine = build_engine(
        settings, semantic_layer=sl, tenants=SqlTenantDirectory(tenants), store=conversations, cache=cache
    )
    return ApiServices(
        settings=settings,
        db=db,
        tenants=tenants,
        keys=KeyRepository(db),
        conversations=conversations,
        feedback=FeedbackStore(db),
        audit=AuditLog(db),
        cache=cache,
        engine=engine,
        widget_tokens=WidgetTokenSigner(widget_secret(settings)),
        rate_limiter=RateLimiter.from_url(
            settings.api.rate_limit_per_minute, settings.redis_url, namespace=settings.cache_namespace
        ),
        metrics=ApiMetrics(),
        warehouse_queue=FairQueue(
            settings.api.warehouse_slots,
            settings.api.warehouse_slots_per_tenant,
            max_queued=settings.api.queue_per_tenant,
        ),
        question_queue=FairQueue(
            settings.api.question_slots,
            settings.api.question_slots_per_tenant,
            max_queued=settings.api.queue_per_tenant,
        ),
        tracing=tracing_from_endpoint(settings.api.otel_endpoint, settings.api.otel_service_name),
        clock=clock_for(settings.today),
    )


def warm_compiler(services: ApiServices) -> threading.Thread:
    """Loads MetricFlow and builds its engine for the warehouse's dialect on a background thread.

    A worker starts without them (questions compiled before come from the semantic-layer cache);
    warming them here, off the request path, means the first new query does not pay the import
    either. A failure is logged and changes nothing: the first compile tries again."""

    def warm() -> None:
        try:
            sl = services.engine.sl
            sl.project.engine(sl.dialect)
        except Exception:  # never take a worker down for an optimisation
            log.warning("warming the MetricFlow compiler failed (the first compile loads it)", exc_info=True)

    thread = threading.Thread(target=warm, name="warm-compiler", daemon=True)
    thread.start()
    return thread
