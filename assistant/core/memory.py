"""Conversation memory behind a `ConversationStore` protocol (in-memory default).

A turn keeps what a follow-up needs (the plan), what an audit needs (question, SQL, timings) and
what a user sees again (the answer). Keys are (tenant, conversation): a conversation id from
another tenant is simply not found.

One turn at a time per conversation: `hold` is taken by the engine for a question that continues a
conversation, so a follow-up sent while the previous question is still being answered waits for
that turn and reads it, instead of planning without it (two Slack mentions in one thread, a
double-clicked widget, two API workers). Waiting is bounded: past `wait_s` the question goes on
without the hold rather than never answering.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
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

    def hold(self, tenant_id: str, conversation_id: str) -> AbstractContextManager[bool]:
        """One turn of this conversation at a time (across threads, and processes where the store
        is shared): yields True once held, False when the wait ran out (the turn goes on anyway)."""
        ...


# How long a turn waits for the one before it, and how often it looks. A turn is seconds; a
# question may take up to the warehouse timeout (30 s by default) — past that, answer anyway.
HOLD_WAIT_S = 45.0
HOLD_POLL_S = 0.05


def wait_until(take: Callable[[], bool], wait_s: float, poll_s: float = HOLD_POLL_S) -> bool:
    """Calls `take` until it returns True or `wait_s` has passed. Polls with time.sleep (a timed
    Lock/Event wait would hang under libfaketime, which CI's second pass runs under)."""
    deadline = time.monotonic() + wait_s
    while not take():
        if time.monotonic() >= deadline:
            return False
        time.sleep(poll_s)
    return True


class InMemoryConversationStore:
    """Process-local, bounded (oldest conversations dropped first), thread-safe."""

    def __init__(self, max_conversations: int = 10_000) -> None:
        self._data: OrderedDict[tuple[str, str], list[Turn]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_conversations
        self._held: set[tuple[str, str]] = set()

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

    @contextmanager
    def hold(self, tenant_id: str, conversation_id: str, *, wait_s: float = HOLD_WAIT_S) -> Iterator[bool]:
        key = (tenant_id, conversation_id)

        def take() -> bool:
            with self._lock:
                if key in self._held:
                    return False
                self._held.add(key)
                return True

        held = wait_until(take, wait_s)
        try:
            yield held
        finally:
            if held:
                with self._lock:
                    self._held.discard(key)
