"""`ConversationStore` in the app database: conversations survive restarts and are shared by workers.

Every query filters on the tenant first; a conversation id of another tenant is "not found",
exactly like an id that never existed, so ids leak nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from assistant.memory import Turn
from assistant.persistence.database import Database
from assistant.persistence.models import ConversationRow, TurnRow


@dataclass(frozen=True)
class ConversationInfo:
    tenant_id: str
    conversation_id: str
    user_id: str
    created_at: dt.datetime


@dataclass(frozen=True)
class TurnUsage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    model: str | None = None


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


class SqlConversationStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, tenant_id: str, conversation_id: str, user_id: str) -> None:
        with self.db.session() as s:
            s.add(ConversationRow(tenant_id=tenant_id, conversation_id=conversation_id, user_id=user_id))

    def info(self, tenant_id: str, conversation_id: str) -> ConversationInfo | None:
        with self.db.session() as s:
            row = s.get(ConversationRow, (tenant_id, conversation_id))
            if row is None:
                return None
            return ConversationInfo(row.tenant_id, row.conversation_id, row.user_id, row.created_at)

    def turns(self, tenant_id: str, conversation_id: str) -> list[Turn]:
        with self.db.session() as s:
            rows = s.scalars(
                select(TurnRow)
                .where(TurnRow.tenant_id == tenant_id, TurnRow.conversation_id == conversation_id)
                .order_by(TurnRow.seq)
            ).all()
            return [
                Turn.model_validate(
                    {
                        "turn_id": r.turn_id,
                        "question": r.question,
                        "plan": r.plan,
                        "sql": r.sql,
                        "answer": r.answer,
                        "kind": r.kind,
                        "created_at": r.created_at,
                        "timings_ms": r.timings_ms or {},
                    }
                )
                for r in rows
            ]

    def append(self, tenant_id: str, conversation_id: str, turn: Turn) -> None:
        """Appends a turn; creates the conversation if the engine started it (no channel did)."""
        with self.db.session() as s:
            if s.get(ConversationRow, (tenant_id, conversation_id)) is None:
                s.add(
                    ConversationRow(tenant_id=tenant_id, conversation_id=conversation_id, user_id="unknown")
                )
                s.flush()
            seq = s.scalar(
                select(func.coalesce(func.max(TurnRow.seq), 0)).where(
                    TurnRow.tenant_id == tenant_id, TurnRow.conversation_id == conversation_id
                )
            )
            s.add(
                TurnRow(
                    turn_id=turn.turn_id,
                    tenant_id=tenant_id,
                    conversation_id=conversation_id,
                    seq=int(seq or 0) + 1,
                    question=turn.question,
                    kind=turn.kind,
                    plan=turn.plan.model_dump(mode="json") if turn.plan is not None else None,
                    sql=turn.sql,
                    answer=turn.answer,
                    timings_ms=dict(turn.timings_ms),
                    created_at=turn.created_at,
                )
            )

    def record_usage(self, tenant_id: str, turn_id: str, usage: dict[str, float | str]) -> bool:
        """Stores a turn's LLM tokens and cost (the engine's `done` usage) on its row."""
        with self.db.session() as s:
            row = s.get(TurnRow, turn_id)
            if row is None or row.tenant_id != tenant_id:
                return False
            row.prompt_tokens = int(_number(usage.get("prompt_tokens")))
            row.completion_tokens = int(_number(usage.get("completion_tokens")))
            row.cost_usd = float(_number(usage.get("cost_usd")))
            model = usage.get("model")
            row.llm_model = str(model)[:200] if model else None
            return True

    def usage(self, tenant_id: str, conversation_id: str) -> dict[str, TurnUsage]:
        """Tokens and cost per turn id of one conversation (of this tenant only)."""
        with self.db.session() as s:
            rows = s.execute(
                select(
                    TurnRow.turn_id,
                    TurnRow.prompt_tokens,
                    TurnRow.completion_tokens,
                    TurnRow.cost_usd,
                    TurnRow.llm_model,
                ).where(TurnRow.tenant_id == tenant_id, TurnRow.conversation_id == conversation_id)
            ).all()
            return {r[0]: TurnUsage(int(r[1] or 0), int(r[2] or 0), float(r[3] or 0), r[4]) for r in rows}

    def delete(self, tenant_id: str, conversation_id: str) -> bool:
        with self.db.session() as s:
            if s.get(ConversationRow, (tenant_id, conversation_id)) is None:
                return False
            s.execute(
                delete(TurnRow).where(
                    TurnRow.tenant_id == tenant_id, TurnRow.conversation_id == conversation_id
                )
            )
            s.execute(
                delete(ConversationRow).where(
                    ConversationRow.tenant_id == tenant_id, ConversationRow.conversation_id == conversation_id
                )
            )
            return True

    def has_turn(self, tenant_id: str, conversation_id: str, turn_id: str) -> bool:
        with self.db.session() as s:
            row = s.get(TurnRow, turn_id)
            return row is not None and row.tenant_id == tenant_id and row.conversation_id == conversation_id
