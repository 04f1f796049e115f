"""Per-tenant retention: conversations, turns and feedback older than the tenant's `retention_days`
are deleted; the audit log is not (it is append-only by design and its own retention is a legal
question, not a product setting).

A turn older than the cutoff goes even if its conversation is still in use — retention is about
how long what someone asked is kept, not about activity. A conversation goes once it is older
than the cutoff and has no turns left. Each tenant is purged in its own transaction, filtered on
its own tenant id, so one tenant's setting can never delete another tenant's rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, delete, exists, select
from sqlalchemy.orm import Session

from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import ConversationRow, FeedbackRow, TurnRow, utcnow
from assistant.runtime.persistence.tenant_store import TenantRepository


@dataclass(frozen=True)
class RetentionResult:
    tenant_id: str
    retention_days: int
    cutoff: dt.datetime
    turns: int
    conversations: int
    feedback: int


def purge_tenant(db: Database, tenant_id: str, cutoff: dt.datetime) -> tuple[int, int, int]:
    """Deletes this tenant's turns, feedback and emptied conversations created before `cutoff`."""
    with db.session() as s:
        turns = _deleted(
            s, delete(TurnRow).where(TurnRow.tenant_id == tenant_id, TurnRow.created_at < cutoff)
        )
        feedback = _deleted(
            s,
            delete(FeedbackRow).where(FeedbackRow.tenant_id == tenant_id, FeedbackRow.created_at < cutoff),
        )
        has_turns = exists(
            select(TurnRow.turn_id).where(
                TurnRow.tenant_id == ConversationRow.tenant_id,
                TurnRow.conversation_id == ConversationRow.conversation_id,
            )
        )
        conversations = _deleted(
            s,
            delete(ConversationRow).where(
                ConversationRow.tenant_id == tenant_id, ConversationRow.created_at < cutoff, ~has_turns
            ),
        )
    return turns, conversations, feedback


def _deleted(session: Session, statement: Delete) -> int:
    result = cast(CursorResult[Any], session.execute(statement))
    return int(result.rowcount or 0)


def apply_retention(
    db: Database, *, now: dt.datetime | None = None, tenant_id: str | None = None
) -> list[RetentionResult]:
    """Applies every tenant's retention (or one tenant's) as of `now` (default: the current time)."""
    now = now or utcnow()
    repo = TenantRepository(db)
    tenants = repo.all() if tenant_id is None else {tenant_id: repo.get(tenant_id)}
    results = []
    for tid in sorted(tenants):
        days = tenants[tid].retention_days
        cutoff = now - dt.timedelta(days=days)
        turns, conversations, feedback = purge_tenant(db, tid, cutoff)
        results.append(RetentionResult(tid, days, cutoff, turns, conversations, feedback))
    return results
