"""Retry/replay memory on the app database and on Redis (skipped loudly without Redis), and the
Slack tables on PostgreSQL (skipped loudly without PostgreSQL)."""

from __future__ import annotations

import os
import uuid
import warnings
from pathlib import Path

import pytest

from assistant.channels.slack.links import WorkspaceLinks
from assistant.channels.slack.seen_keys import DatabaseSeenKeys, RedisSeenKeys, build_seen_keys
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.tenant_store import TenantRepository
from tests.assistant.api.api_harness import drop_postgres_database, postgres_database, redis_url


def _skip(what: str) -> None:
    message = f"!!! SKIPPING: {what} unreachable (set MERCURIOS_DATABASE_URL / MERCURIOS_REDIS_URL) !!!"
    if os.environ.get("CI"):
        pytest.fail(message + " — CI starts it, so this is a failure there")
    warnings.warn(message, stacklevel=1)
    pytest.skip(message)


def test_database_keys_first_time_wins_and_expire(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'app.db'}")
    db.migrate()
    seen = DatabaseSeenKeys(db)
    assert seen.first_time("event:Ev1", 60)
    assert not seen.first_time("event:Ev1", 60)
    long_key = "sig:" + "a" * 300
    assert seen.first_time(long_key, 60) and not seen.first_time(long_key, 60)
    assert seen.first_time("event:Ev1", 0)  # an expired key no longer blocks


def test_redis_keys_are_shared_and_a_dead_redis_falls_back_to_the_database(tmp_path: Path) -> None:
    url = redis_url()
    if url is None:
        _skip("Redis")
    assert url is not None
    db = Database(f"sqlite:///{tmp_path / 'app.db'}")
    db.migrate()
    ns = f"test-{uuid.uuid4().hex[:8]}"
    one, two = build_seen_keys(db, url, ns), build_seen_keys(db, url, ns)
    assert isinstance(one, RedisSeenKeys)
    assert one.first_time("event:Ev9", 60) and not two.first_time("event:Ev9", 60)
    dead = build_seen_keys(db, "redis://127.0.0.1:1/0", ns)
    assert dead.first_time("event:Ev10", 60) and not dead.first_time("event:Ev10", 60)


def test_slack_tables_and_links_on_postgresql() -> None:
    pg = postgres_database()
    if pg is None:
        _skip("PostgreSQL")
    assert pg is not None
    url, admin_url = pg
    db = Database(url)
    try:
        db.migrate()
        tenants = TenantRepository(db)
        tenants.create("nordwind-fashion", "Nordwind")
        links = WorkspaceLinks(db, tenants)
        links.link("TAAA", "nordwind-fashion")
        assert links.resolve("TAAA", "C1") == "nordwind-fashion" and links.resolve("TBBB", "C1") is None
        seen = DatabaseSeenKeys(db)
        assert seen.first_time("event:EvPg", 60) and not seen.first_time("event:EvPg", 60)
    finally:
        db.dispose()
        drop_postgres_database(url, admin_url)
