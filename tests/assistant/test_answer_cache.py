"""The in-process answer cache (the embedded default): each entry lives for its own TTL, and the
cache holds at most `max_entries`, dropping the least recently used first."""

from __future__ import annotations

import time

from assistant.core.cache import InProcessCache


def test_each_entry_expires_after_its_own_ttl() -> None:
    cache = InProcessCache()
    cache.set("short", b"1", 0.05)
    cache.set("long", b"2", 60)
    assert cache.get("short") == b"1"
    time.sleep(0.1)
    assert (cache.get("short"), cache.get("long")) == (None, b"2")


def test_a_full_cache_drops_the_least_recently_used_entry() -> None:
    cache = InProcessCache(max_entries=2)
    cache.set("a", b"1", 60)
    cache.set("b", b"2", 60)
    assert cache.get("a") == b"1"  # a is now the more recently used
    cache.set("c", b"3", 60)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1", None, b"3")
