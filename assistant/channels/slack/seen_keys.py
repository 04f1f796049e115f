"""`SeenKeys` on Redis (SET NX EX, shared by workers) or on the app database (a primary key).

Slack retries an event when our ack is slow, with the same event id; a replayed request carries a
signature we already saw. Either way the first one wins and the others are dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from assistant.channels.slack.protocols import SeenKeys
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.slack_models import SlackSeenRow

log = logging.getLogger("mercurios.slack")


def _short(key: str) -> str:
    return key if len(key) <= 100 else key[:40] + hashlib.sha256(key.encode()).hexdigest()[:40]


class DatabaseSeenKeys:
    def __init__(self, db: Database) -> None:
        self.db = db

    def first_time(self, key: str, ttl_s: int) -> bool:
        now = dt.datetime.now(dt.UTC)
        key = _short(key)
        with self.db.session() as s:  # housekeeping: nothing we use lives longer than a day
            s.execute(delete(SlackSeenRow).where(SlackSeenRow.seen_at < now - dt.timedelta(days=1)))
        try:
            with self.db.session() as s:
                s.add(SlackSeenRow(key=key, seen_at=now))
            return True
        except IntegrityError:
            pass
        with self.db.session() as s:  # seen before: only an expired mark may be taken over
            result = s.execute(
                update(SlackSeenRow)
                .where(SlackSeenRow.key == key, SlackSeenRow.seen_at < now - dt.timedelta(seconds=ttl_s))
                .values(seen_at=now)
            )
            return bool(getattr(result, "rowcount", 0))


class RedisSeenKeys:
    """Falls back to the database when Redis is down: a duplicate answer is worse than a slow one."""

    def __init__(self, url: str, namespace: str, fallback: DatabaseSeenKeys) -> None:
        import redis  # only where Redis is configured

        self.redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.namespace = namespace
        self.fallback = fallback

    def first_time(self, key: str, ttl_s: int) -> bool:
        from redis.exceptions import RedisError  # loaded with the client in __init__

        try:
            return bool(self.redis.set(f"{self.namespace}:slack:seen:{_short(key)}", b"1", nx=True, ex=ttl_s))
        except RedisError:
            log.warning("redis unavailable for slack dedup; using the app database")
            return self.fallback.first_time(key, ttl_s)


def build_seen_keys(db: Database, redis_url: str | None, namespace: str) -> SeenKeys:
    fallback = DatabaseSeenKeys(db)
    return RedisSeenKeys(redis_url, namespace, fallback) if redis_url else fallback
