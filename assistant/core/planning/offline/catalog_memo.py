"""A memo of what the planner derives from one catalog object (its description words, its source
names): every question asks for them, and deriving them again costs a cached answer a large share of
its time. Keyed by the object's identity, which is what a catalog is to the planner (a new manifest
is a new object) — hashing a catalog by value costs more than reading it. The catalog is kept beside
the value so a recycled id never answers for another object; the memo is bounded."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

from semantic_layer.catalog import Catalog

T = TypeVar("T")
_LIMIT = 64  # catalogs alive at once in one process: one per tenant and project, a handful in practice


def per_catalog(fn: Callable[[Catalog], T]) -> Callable[[Catalog], T]:
    """`fn(catalog)`, computed once per catalog object (thread-safe; the planner is shared)."""
    memo: dict[int, tuple[Catalog, T]] = {}
    lock = threading.Lock()

    @functools.wraps(fn)
    def cached(catalog: Catalog) -> T:
        hit = memo.get(id(catalog))
        if hit is not None and hit[0] is catalog:
            return hit[1]
        value = fn(catalog)
        with lock:
            if len(memo) >= _LIMIT:
                memo.clear()
            memo[id(catalog)] = (catalog, value)
        return value

    return cached
