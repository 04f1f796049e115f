"""A turn and its audit record in one transaction of the app database (`Database.one_transaction`):
both stored by one commit, or neither."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.memory import Turn
from assistant.runtime.persistence.audit_log import AuditLog
from assistant.runtime.persistence.conversation_store import SqlConversationStore
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.tenant_store import TenantRepository


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'app.db'}")
    database.migrate()
    for tenant in ("tenant-a", "tenant-b"):
        TenantRepository(database).create(tenant, tenant.title())
    return database


def write(db: Database, tenant: str, turn_id: str) -> None:
    AuditLog(db).record(tenant, "key:1", "ask", {"question": "q", "turn_id": turn_id})
    SqlConversationStore(db).append(tenant, "conv", Turn(turn_id=turn_id, question="q"), user_id="u")


def test_the_audit_record_and_the_turn_are_stored_together(db: Database) -> None:
    with db.one_transaction():
        write(db, "tenant-a", "t1")
    assert [r.detail["turn_id"] for r in AuditLog(db).records("tenant-a")] == ["t1"]
    assert [t.turn_id for t in SqlConversationStore(db).turns("tenant-a", "conv")] == ["t1"]


def test_a_failure_after_both_writes_keeps_neither(db: Database) -> None:
    with pytest.raises(RuntimeError), db.one_transaction():
        write(db, "tenant-a", "t1")
        raise RuntimeError("the commit's caller failed")
    assert AuditLog(db).records("tenant-a") == []
    assert SqlConversationStore(db).turns("tenant-a", "conv") == []


def test_outside_it_each_write_commits_alone(db: Database) -> None:
    AuditLog(db).record("tenant-b", "key:1", "ask", {"question": "q"})
    with pytest.raises(RuntimeError), db.one_transaction():
        SqlConversationStore(db).append("tenant-b", "conv", Turn(turn_id="t2", question="q"))
        raise RuntimeError("failed")
    assert len(AuditLog(db).records("tenant-b")) == 1  # committed before, untouched
    assert SqlConversationStore(db).turns("tenant-b", "conv") == []
