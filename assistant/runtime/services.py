"""The composition root: one place that turns `Settings` into a working engine.

Every provider choice (warehouse, planner, cache, conversation store) is made here from
settings; the rest of the code receives objects that satisfy protocols and never branches on
which implementation it got.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.core.cache import AnswerCache, InProcessCache
from assistant.core.engine import Engine
from assistant.core.knowledge import TenantKnowledge
from assistant.core.memory import ConversationStore
from assistant.core.planning.offline.lemma_memo import use_lemma_memo
from assistant.core.protocols import Narrator, Planner, TenantDirectory
from assistant.runtime.from_settings import retrieval_config, tenant_directory
from assistant.runtime.settings import Settings
from retrieval.live import LiveRetriever
from semantic_layer.facade import SemanticLayer
from semantic_layer.guarding import policy_for_project, policy_guard
from semantic_layer.project import SemanticProject
from semantic_layer.protocols import Warehouse
from semantic_layer.query import SemanticQuery
from semantic_layer.warehouses import warehouse_from_settings

if TYPE_CHECKING:
    from assistant.core.llm.call_cache import LlmCallCache
    from assistant.core.llm.client import LlmClient


def build_semantic_layer(
    settings: Settings, *, dbt_target_path: Path | None = None, warehouse: Warehouse | None = None
) -> SemanticLayer:
    """The project's semantic layer over `warehouse` (default: the one settings configure)."""
    target = dbt_target_path or settings.dbt_target_path or _env_path("DBT_TARGET_PATH")
    project = SemanticProject.load(
        settings.dbt_project_dir, target_path=target, cache_dir=settings.resolved_cache_dir / "semantic"
    )
    warehouse = warehouse if warehouse is not None else warehouse_from_settings(settings)
    policy = policy_for_project(
        project,
        dialect=warehouse.dialect,  # type: ignore[arg-type]
        tenant_column=settings.tenancy.tenant_column,
        tenant_neutral=settings.tenancy.tenant_neutral_relations,
        single_tenant=settings.tenancy.single_tenant,
        max_rows=settings.row_cap,
    )
    return SemanticLayer(
        project, warehouse, policy_guard(policy), timeout_s=settings.query_timeout_s, row_cap=settings.row_cap
    )


def _env_path(name: str) -> Path | None:
    """dbt's own variable, honoured so that `mercurios` and `dbt` agree on where target/ is."""
    value = os.environ.get(name)
    return Path(value) if value else None


def build_answer_cache(settings: Settings) -> AnswerCache:
    """Redis when `MERCURIOS_REDIS_URL` is set (shared by workers), else the in-process LRU."""
    if settings.redis_url:
        from assistant.runtime.cache_redis import RedisCache

        return RedisCache(settings.redis_url, namespace=settings.cache_namespace)
    return InProcessCache()


def build_engine(
    settings: Settings,
    *,
    dbt_target_path: Path | None = None,
    semantic_layer: SemanticLayer | None = None,
    tenants: TenantDirectory | None = None,
    store: ConversationStore | None = None,
    cache: AnswerCache | None = None,
) -> Engine:
    sl = semantic_layer or build_semantic_layer(settings, dbt_target_path=dbt_target_path)
    use_lemma_memo(settings.resolved_cache_dir / "planner")  # simplemma's answers across processes
    llm_cache = build_llm_cache(settings)
    planner, narrator = build_llm(settings, sl, llm_cache=llm_cache)
    parts: dict[str, Any] = {
        "planner": planner,
        "narrator": narrator,
        "store": store,
        "cache": cache or build_answer_cache(settings),
        "knowledge": TenantKnowledge(sl, retriever=LiveRetriever(retrieval_config(settings))),
    }
    directory = tenants or tenant_directory(settings, sl.warehouse)
    return Engine(sl, directory, llm_cache=llm_cache, **parts)


def build_llm_cache(settings: Settings) -> LlmCallCache | None:
    """The LLM-call cache when a model and `MERCURIOS_LLM_CACHE_TTL_S` > 0 are set: its own LRU in
    process (LLM entries do not evict answers), or the same Redis as the answers (shared by workers)."""
    if not settings.llm.model or settings.llm.cache_ttl_s <= 0:
        return None
    from assistant.core.llm.call_cache import LlmCallCache

    return LlmCallCache(build_answer_cache(settings), settings.llm.cache_ttl_s)


def llm_cache_counts(engine: Engine) -> dict[str, int] | None:
    """Hits, misses and stores of the engine's LLM-call cache (None: no such cache), for `/metrics`."""
    return engine.llm_cache.stats.snapshot() if engine.llm_cache is not None else None


def build_llm_client(settings: Settings, *, cache: LlmCallCache | None = None) -> LlmClient:
    """The configured model, its fallbacks and endpoint as one client (litellm loads on first call)."""
    from assistant.core.llm.client import LlmClient
    from assistant.core.llm.settings import LlmCredentials, LlmEndpoints, LlmSettings

    return LlmClient(
        LlmSettings(
            model=settings.llm.model or "",
            fallback_models=settings.llm.fallback_models,
            timeout_s=settings.llm.timeout_s,
            max_retries=settings.llm.max_retries,
        ),
        LlmEndpoints(
            default=LlmCredentials(
                api_key=settings.llm.api_key.get_secret_value() if settings.llm.api_key else None,
                base_url=settings.llm.base_url,
            )
        ),
        cache=cache,
    )


def build_llm(
    settings: Settings, sl: SemanticLayer, *, llm_cache: LlmCallCache | None = None
) -> tuple[Planner | None, Narrator | None]:
    """The LLM planner (with the offline planner as its fallback) and narrator, when a model is set.

    litellm is imported only in this branch: with no model configured nothing LLM-related loads.
    """
    if not settings.llm.model:
        return None, None
    from assistant.core.llm.narrator import LlmNarrator
    from assistant.core.llm.planner import LlmPlanner
    from assistant.core.planning.offline.planner import OfflinePlanner

    client = build_llm_client(settings, cache=llm_cache)

    def compile_check(query: SemanticQuery) -> None:
        sl.compile(query)  # raises a UserError with MetricFlow's message, fed back to the model

    def sql_check(sql: str) -> None:
        # Shape only (allow-list, read-only, functions): the tenant filter is added at run time.
        sl.guard(sql, tenant_id="sql-check")

    planner = LlmPlanner(client, compile_check=compile_check, sql_check=sql_check, fallback=OfflinePlanner())
    narrator = LlmNarrator(client) if settings.llm.narratives else None
    return planner, narrator
