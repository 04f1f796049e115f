"""The answer cache: same tenant + same canonical plan + same data version → the stored answer.

Keys always start with the tenant, so one tenant's entry can never be read for another; the data
version makes every entry stale the moment new data is loaded, with no invalidation to forget.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Protocol

from cachetools import TLRUCache


def cache_key(
    tenant_id: str,
    canonical_plan: str,
    data_version: str,
    *,
    role: str = "",
    manifest_version: str = "",
    as_of: str = "",
    timezone: str = "",
    locale: str = "",
) -> str:
    """Everything that can change an answer is in the key: who (tenant, role), what (plan, manifest),
    when (as_of, timezone), how it is written (locale), and on which data (version)."""
    parts = (canonical_plan, data_version, role, manifest_version, as_of, timezone, locale)
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"mercurios:answer:{tenant_id}:{digest}"


class AnswerCache(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ttl_s: float) -> None: ...


class InProcessCache:
    """An LRU with a TTL per entry, the embedded default (Redis when configured): cachetools'
    `TLRUCache`, whose time-to-use function reads each entry's own TTL; a lock makes it shareable
    between the service's worker threads."""

    def __init__(self, max_entries: int = 2_000) -> None:
        self._data: TLRUCache[str, tuple[float, bytes]] = TLRUCache(
            maxsize=max_entries, ttu=lambda _key, item, now: now + item[0], timer=time.monotonic
        )
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._data.get(key)
        return None if item is None else item[1]

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        with self._lock:
            self._data[key] = (ttl_s, value)
