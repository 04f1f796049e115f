"""Feedback and the append-only audit log (who asked what, what ran, when).

The audit log stores questions and executed SQL, never result rows or secrets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select

from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import AuditRow, FeedbackRow

_AUDIT = cast(Table, AuditRow.__table__)
_INSERT_AUDIT = _AUDIT.insert()


@dataclass(frozen=True)
class AuditRecord:
    id: int
    tenant_id: str
    actor: str
    action: str
    detail: dict[str, Any]
    created_at: dt.datetime


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, tenant_id: str, actor: str, action: str, detail: dict[str, Any]) -> None:
        with self.db.transaction() as conn:  # Core: one row per question, on the hot path
            conn.execute(
                _INSERT_AUDIT, {"tenant_id": tenant_id, "actor": actor, "action": action, "detail": detail}
            )

    def records(self, tenant_id: str, *, limit: int = 100) -> list[AuditRecord]:
        with self.db.session() as s:
            rows = s.scalars(
                select(AuditRow)
                .where(AuditRow.tenant_id == tenant_id)
                .order_by(AuditRow.id.desc())
                .limit(limit)
            ).all()
            return [AuditRecord(r.id, r.tenant_id, r.actor, r.action, r.detail, r.created_at) for r in rows]


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        tenant_id: str,
        *,
        conversation_id: str,
        turn_id: str,
        user_id: str,
        rating: str,
        comment: str,
        corrected_plan: dict[str, Any] | None,
        audit_actor: str,
    ) -> int:
        """Stores the feedback and its audit record in one transaction."""
        with self.db.session() as s:
            row = FeedbackRow(
                tenant_id=tenant_id,
                conversation_id=conversation_id,
                turn_id=turn_id,
                user_id=user_id,
                rating=rating,
                comment=comment,
                corrected_plan=corrected_plan,
            )
            s.add(row)
            s.add(
                AuditRow(
                    tenant_id=tenant_id,
                    actor=audit_actor,
                    action="feedback",
                    detail={"conversation_id": conversation_id, "turn_id": turn_id, "rating": rating},
                )
            )
            s.flush()
            return row.id

    def count(self, tenant_id: str) -> int:
        with self.db.session() as s:
            return len(s.scalars(select(FeedbackRow.id).where(FeedbackRow.tenant_id == tenant_id)).all())
