"""Slack thread → conversation: a reply in the thread continues the same conversation.

The key is (tenant, workspace, channel, thread): a thread is exactly one conversation of each
tenant asking in it, so a re-linked workspace starts its own conversation rather than continuing
another tenant's, and keeps it. Two questions arriving at the same moment in a new thread (two
background tasks, two workers, two app processes) get the same conversation: the mapping is
created with INSERT … ON CONFLICT DO NOTHING and then read back, in one transaction that also
starts the conversation, so whichever insert lost reads the winner's id.
"""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import Table, bindparam, select

from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.models import ConversationRow
from assistant.runtime.persistence.slack_models import SlackThreadRow

_THREADS = cast(Table, SlackThreadRow.__table__)
_CONVERSATIONS = cast(Table, ConversationRow.__table__)
_t = _THREADS.c
_SELECT = select(_t.conversation_id).where(
    _t.tenant_id == bindparam("tenant"),
    _t.team_id == bindparam("team"),
    _t.channel_id == bindparam("channel"),
    _t.thread_ts == bindparam("thread"),
)


class ThreadConversations:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._claim = db.insert_ignoring_duplicates(_THREADS)
        self._start = db.insert_ignoring_duplicates(_CONVERSATIONS)

    def find(self, team_id: str, channel_id: str, thread_ts: str, tenant_id: str) -> str | None:
        """The conversation of this thread for `tenant_id`, or None when that tenant never asked in it."""
        with self.db.transaction() as conn:
            return conn.execute(
                _SELECT, {"tenant": tenant_id, "team": team_id, "channel": channel_id, "thread": thread_ts}
            ).scalar_one_or_none()

    def conversation_for(
        self, tenant_id: str, team_id: str, channel_id: str, thread_ts: str, user_id: str
    ) -> str:
        """The thread's conversation for this tenant, started (owned by `user_id`) if it is new."""
        key = {"tenant": tenant_id, "team": team_id, "channel": channel_id, "thread": thread_ts}
        known = self.find(team_id, channel_id, thread_ts, tenant_id)
        if known is not None:
            return known
        candidate = uuid.uuid4().hex
        with self.db.transaction() as conn:
            conn.execute(
                self._claim,
                {
                    "tenant_id": tenant_id,
                    "team_id": team_id,
                    "channel_id": channel_id,
                    "thread_ts": thread_ts,
                    "conversation_id": candidate,
                },
            )
            # PostgreSQL (read committed) waits on a concurrent insert of the same key and then
            # skips ours; this statement's fresh snapshot sees the winner. SQLite serialises writers.
            conversation_id = str(conn.execute(_SELECT, key).scalar_one())
            if conversation_id == candidate:
                conn.execute(
                    self._start,
                    {"tenant_id": tenant_id, "conversation_id": candidate, "user_id": user_id[:200]},
                )
        return conversation_id
