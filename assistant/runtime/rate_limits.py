"""Requests per minute per API key and per tenant (fixed one-minute windows).

Every bucket is named by the tenant first: credentials are only unique within their tenant (two
retailers may both have a widget user `u1`), so one tenant's callers never spend another's budget.

In process by default; on Redis when configured, so all workers share one budget. A dead Redis
falls back to the in-process window rather than refusing traffic.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from assistant.runtime.web.errors import RateLimited


class RateLimiter:
    def __init__(
        self, per_minute: int, *, redis_url: str | None = None, namespace: str = "mercurios"
    ) -> None:
        self.per_minute = per_minute
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._namespace = namespace
        self._redis: Any = None
        if redis_url:  # the client library loads only where Redis is configured
            import redis

            self._redis = redis.Redis.from_url(redis_url, socket_timeout=0.3, socket_connect_timeout=0.3)

    @property
    def is_local(self) -> bool:
        """Counts in this process only (no Redis round trip per request)."""
        return self._redis is None

    def _hit_local(self, key: str, window: int) -> int:
        with self._lock:
            w, n = self._counts.get(key, (window, 0))
            n = n + 1 if w == window else 1
            self._counts[key] = (window, n)
            if len(self._counts) > 100_000:
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            return n

    def _hit(self, key: str, window: int) -> int:
        if self._redis is not None:
            from redis.exceptions import RedisError

            name = f"{self._namespace}:ratelimit:{key}:{window}"
            try:
                pipe = self._redis.pipeline()
                pipe.incr(name)
                pipe.expire(name, 120)
                count, _ = pipe.execute()
                return int(count)
            except RedisError:
                pass
        return self._hit_local(key, window)

    def check(self, tenant_id: str, credential: str) -> None:
        """Counts one request for the credential and its tenant; raises when either is over budget.

        A tenant's budget is a multiple of one key's, so one busy key cannot starve its siblings
        and one tenant cannot starve the others."""
        if self.per_minute <= 0:
            return
        now = time.time()
        window = int(now // 60)
        retry = max(1, 60 - int(now % 60))
        if self._hit(f"key:{tenant_id}:{credential}", window) > self.per_minute:
            raise RateLimited("too many requests for this credential; slow down", retry_after_s=retry)
        if self._hit(f"tenant:{tenant_id}", window) > self.per_minute * 5:
            raise RateLimited("too many requests for this tenant; slow down", retry_after_s=retry)
