"""API keys are verified once and remembered for a few seconds: revoking through the same process
applies at once, revoking elsewhere (another worker, `mercurios keys revoke`) within the TTL, and a
wrong secret is never remembered as right."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.key_store import KeyRepository
from assistant.runtime.persistence.tenant_store import TenantRepository


def _database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'app.db'}")
    db.migrate()
    TenantRepository(db).create("nordwind", "Nordwind")
    return db


def test_a_revocation_in_this_process_applies_to_the_next_request(tmp_path: Path) -> None:
    db = _database(tmp_path)
    keys = KeyRepository(db, verified_ttl_s=3600)
    issued = keys.create("nordwind", "analyst")
    assert keys.verify(issued.token) is not None and keys.is_cached(issued.token)
    keys.revoke("nordwind", issued.info.prefix)
    assert not keys.is_cached(issued.token)
    assert keys.verify(issued.token) is None
    rotated = keys.create("nordwind", "viewer")
    assert keys.verify(rotated.token) is not None
    keys.rotate("nordwind", rotated.info.prefix)
    assert keys.verify(rotated.token) is None
    db.dispose()


def test_a_revocation_by_another_process_applies_within_the_ttl(tmp_path: Path) -> None:
    db = _database(tmp_path)
    server = KeyRepository(db, verified_ttl_s=0.3)
    issued = server.create("nordwind", "analyst")
    assert server.verify(issued.token) is not None
    cli = KeyRepository(Database(db.url))  # `mercurios keys revoke` runs in its own process
    cli.revoke("nordwind", issued.info.prefix)
    time.sleep(0.35)
    assert server.verify(issued.token) is None
    cli.db.dispose()
    db.dispose()


def test_wrong_secrets_and_malformed_tokens_are_not_remembered(tmp_path: Path) -> None:
    db = _database(tmp_path)
    keys = KeyRepository(db)
    issued = keys.create("nordwind", "analyst")
    forged = issued.token[:-4] + ("AAAA" if not issued.token.endswith("AAAA") else "BBBB")
    for token in (forged, "mk_nothing", "", "Bearer x"):
        assert keys.verify(token) is None
        assert not keys.is_cached(token)
    assert keys.verify(issued.token) is not None  # the real key still works
    db.dispose()
