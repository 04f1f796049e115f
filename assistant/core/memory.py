"""Conversation memory behind a `ConversationStore` protocol (in-memory default).

A turn keeps what a follow-up needs (the plan), what an audit needs (question, SQL, timings) and
what a user sees again (the answer). Keys are (tenant, conversation): a conversation id from
another tenant is simply not found.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from assistant.core.planning.plans import Plan


class Turn(BaseModel):
    model_config = ConfigDict(frozen=True)

    turn_id: str
    question: str
    plan: Plan | None = None
    sql: str | None = None
    answer: str = ""
    kind: str = "data"
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    timings_ms: dict[str, float] = Field(default_factory=dict)


class ConversationStore(Protocol):
    def turns(self, tenant_id: str, conversation_id: str) -> list[Turn]: ...

    def append(self, tenant_id: str, conversation_id: str, turn: Turn, *, user_id: str = "unknown") -> None:
        """Adds a turn, starting the conversation (owned by `user_id`) if it is new."""
        ...

    def delete(self, tenant_id: str, conversation_id: str) -> bool: ...


class InMemoryConversationStore:
    """Process-local, bounded (oldest conversations dropped first), thread-safe."""

    def __init__(self, max_conversations: int = 10_000) -> None:
        self._data: OrderedDict[tuple[str, str], list[Turn]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_conversations

    def turns(self, tenant_id: str, conversation_id: str) -> list[Turn]:
        with self._lock:
            return list(self._data.get((tenant_id, conversation_id), []))

    def append(self, tenant_id: str, conversation_id: str, turn: Turn, *, user_id: str = "unknown") -> None:
        with self._lock:
            key = (tenant_id, conversation_id)
            self._data.setdefault(key, []).append(turn)
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def delete(self, tenant_id: str, conversation_id: str) -> bool:
        with self._lock:
            return self._data.pop((tenant_id, conversation_id), None) is not None
