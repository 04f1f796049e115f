"""`AnswerCache` on Redis, shared by every worker; degrades to "no cache" while Redis is down.

A dead cache must never fail a question: every Redis error turns into a miss (get) or a no-op
(set), and `healthy` says so for `/readyz`. After a failure the cache stays quiet for a short
back-off instead of paying a connect timeout on every request.
"""

from __future__ import annotations

import threading
import time

import redis
from redis.exceptions import RedisError


class RedisCache:
    def __init__(self, url: str, *, namespace: str = "mercurios", timeout_s: float = 0.5) -> None:
        self._client = redis.Redis.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s, health_check_interval=30
        )
        self._namespace = namespace
        self._lock = threading.Lock()
        self._down_until = 0.0
        self.last_error: str | None = None

    def _key(self, key: str) -> str:
        return f"{self._namespace}:{key}"

    @property
    def healthy(self) -> bool:
        return self.last_error is None

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            self.last_error = f"{type(exc).__name__}: {exc}"
            self._down_until = time.monotonic() + 2.0

    def _skipping(self) -> bool:
        return time.monotonic() < self._down_until

    def get(self, key: str) -> bytes | None:
        if self._skipping():
            return None
        try:
            value = self._client.get(self._key(key))
        except RedisError as exc:
            self._failed(exc)
            return None
        self.last_error = None
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        if self._skipping():
            return
        try:
            self._client.set(self._key(key), value, px=max(1, int(ttl_s * 1000)))
        except RedisError as exc:
            self._failed(exc)

    def ping(self) -> bool:
        """Checks Redis now (readiness); resets the back-off when it answers."""
        try:
            self._client.ping()
        except RedisError as exc:
            self._failed(exc)
            return False
        with self._lock:
            self.last_error, self._down_until = None, 0.0
        return True

    def close(self) -> None:
        self._client.close()
