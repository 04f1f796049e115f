"""Requests per minute per credential and per tenant: `limits`' fixed-window strategy.

Every bucket is named by the tenant first: credentials are only unique within their tenant (two
retailers may both have a widget user `u1`), so one tenant's callers never spend another's budget.

One backend, from `rate_limit_storage`: in process by default; on Redis when configured (`limits`'
RedisStorage: one Lua round trip per hit), so all workers share one budget. A dead Redis falls
back to the in-process window rather than refusing traffic.

The in-process storage is ours (`LocalWindows`, a dict under a lock), not `limits`' MemoryStorage:
that one starts a non-daemon `threading.Timer` on every hit, which under libfaketime (CI's second
pass) never fires, so no process using it could exit — and it costs a thread start per 10 ms.
"""

from __future__ import annotations

import math
import threading
import time

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter

from assistant.runtime.web.errors import RateLimited

TENANT_MULTIPLE = 5  # a tenant's budget, in keys' budgets
_MAX_LOCAL_KEYS = 100_000


class LocalWindows(Storage):
    """Counters of this process, each forgotten when its window ends (checked when read)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[float, int]] = {}  # key → (window's end, hits)

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def _live(self, key: str, now: float) -> tuple[float, int] | None:
        entry = self._counts.get(key)
        return entry if entry is not None and entry[0] > now else None

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            ends, hits = self._live(key, now) or (now + expiry, 0)
            self._counts[key] = (ends, hits + amount)
            if len(self._counts) > _MAX_LOCAL_KEYS:
                self._counts = {k: v for k, v in self._counts.items() if v[0] > now}
            return hits + amount

    def get(self, key: str) -> int:
        with self._lock:
            entry = self._live(key, time.time())
        return entry[1] if entry else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        with self._lock:
            entry = self._live(key, now)
        return entry[0] if entry else now

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            count = len(self._counts)
            self._counts.clear()
        return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


def rate_limit_storage(redis_url: str | None) -> Storage:
    """The rate-limit backend: Redis when configured (the client library loads only then)."""
    if not redis_url:
        return LocalWindows()
    from limits.storage import RedisStorage

    return RedisStorage(redis_url, wrap_exceptions=True, socket_timeout=0.3, socket_connect_timeout=0.3)


class RateLimiter:
    def __init__(
        self, per_minute: int, storage: Storage | None = None, *, namespace: str = "mercurios"
    ) -> None:
        self.per_minute = per_minute
        self.storage = storage if storage is not None else LocalWindows()
        self._windows = FixedWindowRateLimiter(self.storage)
        self._fallback: FixedWindowRateLimiter | None = None
        self._key = RateLimitItemPerMinute(max(per_minute, 1), namespace=f"{namespace}:ratelimit")
        self._tenant = RateLimitItemPerMinute(
            max(per_minute, 1) * TENANT_MULTIPLE, namespace=f"{namespace}:ratelimit"
        )

    @classmethod
    def from_url(cls, per_minute: int, redis_url: str | None, *, namespace: str) -> RateLimiter:
        return cls(per_minute, rate_limit_storage(redis_url), namespace=namespace)

    def sibling(self, per_minute: int, *, namespace: str) -> RateLimiter:
        """Another budget on the same backend (one Redis connection pool per process)."""
        return RateLimiter(per_minute, self.storage, namespace=namespace)

    @property
    def is_local(self) -> bool:
        """Counts in this process only (no Redis round trip per request)."""
        return isinstance(self.storage, LocalWindows)

    def _local(self) -> FixedWindowRateLimiter:
        if self._fallback is None:
            self._fallback = FixedWindowRateLimiter(LocalWindows())
        return self._fallback

    def _hit(self, item: RateLimitItem, *bucket: str) -> tuple[bool, float]:
        """Whether the hit fits the bucket's window, and when that window ends (epoch seconds)."""
        for windows in (self._windows, self._local()):
            try:
                if windows.hit(item, *bucket):
                    return True, 0.0
                return False, windows.get_window_stats(item, *bucket).reset_time
            except StorageError:  # Redis is down: this process's window instead
                continue
        raise AssertionError("the in-process window cannot fail")  # pragma: no cover

    def check(self, tenant_id: str, credential: str) -> None:
        """Counts one request for the credential and its tenant; raises when either is over budget.

        A tenant's budget is a multiple of one key's, so one busy key cannot starve its siblings
        and one tenant cannot starve the others."""
        if self.per_minute <= 0:
            return
        fits, resets = self._hit(self._key, "key", tenant_id, credential)
        if not fits:
            raise RateLimited("too many requests for this credential; slow down", retry_after_s=_wait(resets))
        fits, resets = self._hit(self._tenant, "tenant", tenant_id)
        if not fits:
            raise RateLimited("too many requests for this tenant; slow down", retry_after_s=_wait(resets))


def _wait(resets: float) -> int:
    return max(1, math.ceil(resets - time.time()))
