"""Opt-in caching of identical LLM calls, per tenant, over the answers' `AnswerCache` store.

A call is identical when everything that shapes the model's output is equal: the tenant, the
models in fallback order and where each is served, the messages, the tools, `tool_choice`,
temperature and max_tokens (see `LlmClient._cache_request`). That is hashed canonically (sorted
JSON) into the key. Timeouts, retries and API keys are left out: they change whether an answer
comes, not which. Only complete answers are stored (finish reason `stop`/`tool_calls`, non-empty);
a failure, a truncated or an empty answer is asked again next time.

Tenant scoping is not optional: a call is cached only inside `cache_scope(tenant_id)` (or with an
explicit `scope`), and the tenant is both the key's prefix and part of its hash — two tenants
never share an entry, even for byte-identical prompts. A call made outside any scope is never
cached, so a caller that forgets to scope loses the saving, never the isolation. The scope is a
context variable so that the planner and narrator, which know nothing of tenants, need no change:
the engine's question runs inside its tenant's scope (`each_step_in_scope`, when the engine is
given an LLM-call cache).

Hits and misses are counted (`LlmCacheStats`) for `/metrics`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from assistant.core.cache import AnswerCache

FORMAT_VERSION = 1  # bump when the cached payload or the key's inputs change shape

T = TypeVar("T")

_scope: ContextVar[str | None] = ContextVar("mercurios_llm_cache_scope", default=None)


@contextmanager
def cache_scope(tenant_id: str) -> Iterator[None]:
    """LLM calls made inside this block may be cached, under `tenant_id`'s entries only."""
    if not tenant_id:
        raise ValueError("an LLM cache scope needs a tenant id")
    token = _scope.set(tenant_id)
    try:
        yield
    finally:
        try:
            _scope.reset(token)
        except ValueError:  # closed from another context (a generator finalised elsewhere)
            _scope.set(None)


def current_scope() -> str | None:
    return _scope.get()


def each_step_in_scope(steps: Iterator[T], tenant_id: str) -> Iterator[T]:
    """Drives `steps` one step at a time, each inside `cache_scope(tenant_id)`: the scope is entered
    and left around every step, never held across a `yield`, so two questions interleaved on one
    thread can never see each other's tenant (the engine wraps a question's events in this)."""
    try:
        while True:
            with cache_scope(tenant_id):
                try:
                    item = next(steps)
                except StopIteration:
                    return
            yield item
    finally:
        close = getattr(steps, "close", None)
        if callable(close):
            close()


def call_key(scope: str, request: Mapping[str, Any]) -> str:
    """`mercurios:llm:<tenant>:<sha256 of tenant + canonical request>`."""
    canonical = json.dumps(
        {"v": FORMAT_VERSION, "scope": scope, "request": request},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return f"mercurios:llm:{scope}:{hashlib.sha256(canonical.encode()).hexdigest()[:40]}"


class LlmCacheStats:
    """Calls answered from the cache (hit), looked up and not found (miss), answers stored."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = {"hit": 0, "miss": 0, "store": 0}

    def add(self, result: str) -> None:
        with self._lock:
            self._counts[result] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)


class LlmCallCache:
    """JSON payloads under `call_key`s in an `AnswerCache` (in-process LRU or Redis); a store that
    fails or holds something unreadable is a miss, never an error."""

    def __init__(self, store: AnswerCache, ttl_s: float) -> None:
        if ttl_s <= 0:
            raise ValueError("the LLM-call cache needs a positive TTL (0 means: do not build one)")
        self.store = store
        self.ttl_s = ttl_s
        self.stats = LlmCacheStats()

    def lookup(self, key: str, decode: Callable[[Mapping[str, Any]], T | None]) -> T | None:
        """The decoded entry (a hit), or None (a miss: absent, expired, unreadable, of another shape)."""
        raw = self.store.get(key)
        value: T | None = None
        if raw is not None:
            try:
                payload = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError):
                payload = None
            if isinstance(payload, dict) and payload.get("v") == FORMAT_VERSION:
                value = decode(payload)
        self.stats.add("miss" if value is None else "hit")
        return value

    def save(self, key: str, payload: Mapping[str, Any]) -> None:
        data = json.dumps({**payload, "v": FORMAT_VERSION}, ensure_ascii=False, separators=(",", ":"))
        self.store.set(key, data.encode(), self.ttl_s)
        self.stats.add("store")
