"""`ConversationStore` in the app database: conversations survive restarts and are shared by workers.

Every query filters on the tenant first; a conversation id of another tenant is "not found",
exactly like an id that never existed, so ids leak nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, select, update

from assistant.core.memory import HOLD_WAIT_S, Turn, wait_until
from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import ConversationLeaseRow, ConversationRow, TurnRow

_CONVERSATIONS = cast(Table, ConversationRow.__table__)
_TURNS = cast(Table, TurnRow.__table__)
_LEASES = cast(Table, ConversationLeaseRow.__table__)
# A lease outlives any one turn (the warehouse times out at 30 s); a worker killed mid-turn leaves a
# row that the next turn takes over once it has expired.
LEASE_TTL_S = 120.0


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


_c, _t = _CONVERSATIONS.c, _TURNS.c
# Prebuilt statements with bound parameters: built (and cache-keyed) once, not per question.
_SELECT_INFO = select(_c.tenant_id, _c.conversation_id, _c.user_id, _c.created_at).where(
    _c.tenant_id == bindparam("tenant"), _c.conversation_id == bindparam("conversation")
)
_SELECT_TURNS = (
    select(_t.turn_id, _t.question, _t.plan, _t.sql, _t.answer, _t.kind, _t.created_at, _t.timings_ms)
    .where(_t.tenant_id == bindparam("tenant"), _t.conversation_id == bindparam("conversation"))
    .order_by(_t.seq)
)
_NEXT_SEQ = (
    select(func.coalesce(func.max(_t.seq), 0) + 1)
    .where(_t.tenant_id == bindparam("tenant"), _t.conversation_id == bindparam("conversation"))
    .scalar_subquery()
)
_INSERT_TURN = _TURNS.insert().values(seq=_NEXT_SEQ)


class SqlConversationStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._start_conversation = db.insert_ignoring_duplicates(_CONVERSATIONS)
        self._new_lease = db.insert_ignoring_duplicates(_LEASES)

    # The per-question paths (create, info, turns, append) use prebuilt Core statements: they run
    # on every request, and the ORM's unit of work cost more than the SQL itself (bench api).

    def create(self, tenant_id: str, conversation_id: str, user_id: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                _CONVERSATIONS.insert(),
                {"tenant_id": tenant_id, "conversation_id": conversation_id, "user_id": user_id[:200]},
            )

    def info(self, tenant_id: str, conversation_id: str) -> ConversationInfo | None:
        with self.db.transaction() as conn:
            row = conn.execute(_SELECT_INFO, {"tenant": tenant_id, "conversation": conversation_id}).first()
        return None if row is None else ConversationInfo(row[0], row[1], row[2], row[3])

    def turns(self, tenant_id: str, conversation_id: str) -> list[Turn]:
        with self.db.transaction() as conn:
            rows = conn.execute(_SELECT_TURNS, {"tenant": tenant_id, "conversation": conversation_id}).all()
        return [
            Turn.model_validate(
                {
                    "turn_id": r[0],
                    "question": r[1],
                    "plan": r[2],
                    "sql": r[3],
                    "answer": r[4],
                    "kind": r[5],
                    "created_at": r[6],
                    "timings_ms": r[7] or {},
                }
            )
            for r in rows
        ]

    def append(self, tenant_id: str, conversation_id: str, turn: Turn, *, user_id: str = "unknown") -> None:
        """Appends a turn in one transaction, starting the conversation (owned by `user_id`) if it
        is new; an existing conversation keeps its owner."""
        with self.db.transaction() as conn:
            conn.execute(
                self._start_conversation,
                {"tenant_id": tenant_id, "conversation_id": conversation_id, "user_id": user_id[:200]},
            )
            conn.execute(
                _INSERT_TURN,
                {
                    "tenant": tenant_id,
                    "conversation": conversation_id,
                    "turn_id": turn.turn_id,
                    "tenant_id": tenant_id,
                    "conversation_id": conversation_id,
                    "question": turn.question,
                    "kind": turn.kind,
                    "plan": turn.plan.model_dump(mode="json") if turn.plan is not None else None,
                    "sql": turn.sql,
                    "answer": turn.answer,
                    "timings_ms": dict(turn.timings_ms),
                    "created_at": turn.created_at,
                },
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

    @contextmanager
    def hold(
        self,
        tenant_id: str,
        conversation_id: str,
        *,
        wait_s: float = HOLD_WAIT_S,
        ttl_s: float = LEASE_TTL_S,
    ) -> Iterator[bool]:
        """One turn of a conversation at a time across every worker sharing this database: a lease
        row is inserted (or an expired one taken over) and read back; whoever's id it holds goes on."""
        me = uuid.uuid4().hex
        key = {"tenant_id": tenant_id, "conversation_id": conversation_id}
        mine = (_LEASES.c.tenant_id == tenant_id) & (_LEASES.c.conversation_id == conversation_id)

        def take() -> bool:
            now = dt.datetime.now(dt.UTC)
            expires = now + dt.timedelta(seconds=ttl_s)
            with self.db.transaction() as conn:
                conn.execute(self._new_lease, {**key, "holder": me, "expires_at": expires})
                conn.execute(
                    update(_LEASES)
                    .where(mine, _LEASES.c.expires_at < now)
                    .values(holder=me, expires_at=expires)
                )
                holder = conn.execute(select(_LEASES.c.holder).where(mine)).scalar()
            return bool(holder == me)

        held = wait_until(take, wait_s)
        try:
            yield held
        finally:
            if held:
                with self.db.transaction() as conn:
                    conn.execute(delete(_LEASES).where(mine, _LEASES.c.holder == me))
