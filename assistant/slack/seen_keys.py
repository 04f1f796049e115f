"""`SeenKeys` on Redis (SET NX EX, shared by workers) or on the app database (a primary key).

Slack retries an event when our ack is slow, with the same event id; a replayed request carries a
signature we already saw. Either way the first one wins and the others are dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

import redis
from redis.exceptions import RedisError
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from assistant.persistence.database import Database
from assistant.slack.models import SlackSeenRow
from assistant.slack.protocols import SeenKeys

log = logging.getLogger("mercurios.slack")


def _short(key: str) -> str:
    return key if len(key) <= 100 else key[:40] + hashlib.sha256(key.encode()).hexdigest()[:40]


class DatabaseSeenKeys:
    def __init__(self, db: Database) -> None:
        self.db = db

    def first_time(self, key: str, ttl_s: int) -> bool:
        now = dt.datetime.now(dt.UTC)
        try:
            with self.db.session() as s:
                s.execute(
                    delete(SlackSeenRow).where(SlackSeenRow.seen_at < now - dt.timedelta(seconds=ttl_s))
                )
            with self.db.session() as s:
                s.add(SlackSeenRow(key=_short(key), seen_at=now))
        except IntegrityError:
            return False
        return True


class RedisSeenKeys:
    """Falls back to the database when Redis is down: a duplicate answer is worse than a slow one."""

    def __init__(self, url: str, namespace: str, fallback: DatabaseSeenKeys) -> None:
        self.redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.namespace = namespace
        self.fallback = fallback

    def first_time(self, key: str, ttl_s: int) -> bool:
        try:
            return bool(self.redis.set(f"{self.namespace}:slack:seen:{_short(key)}", b"1", nx=True, ex=ttl_s))
        except RedisError:
            log.warning("redis unavailable for slack dedup; using the app database")
            return self.fallback.first_time(key, ttl_s)


def build_seen_keys(db: Database, redis_url: str | None, namespace: str) -> SeenKeys:
    fallback = DatabaseSeenKeys(db)
    return RedisSeenKeys(redis_url, namespace, fallback) if redis_url else fallback
