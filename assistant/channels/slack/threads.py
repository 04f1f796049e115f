"""Slack thread → (tenant, conversation): a reply in the thread continues the same conversation."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.slack_models import SlackThreadRow


class ThreadConversations:
    def __init__(self, db: Database) -> None:
        self.db = db

    def find(self, team_id: str, channel_id: str, thread_ts: str, tenant_id: str) -> str | None:
        """The conversation of this thread, only if it belongs to `tenant_id` (a re-linked workspace
        starts afresh rather than continuing another tenant's conversation)."""
        with self.db.session() as s:
            row = s.get(SlackThreadRow, (team_id, channel_id, thread_ts))
            if row is None or row.tenant_id != tenant_id:
                return None
            return row.conversation_id

    def remember(
        self, team_id: str, channel_id: str, thread_ts: str, tenant_id: str, conversation_id: str
    ) -> None:
        try:
            with self.db.session() as s:
                s.add(
                    SlackThreadRow(
                        team_id=team_id,
                        channel_id=channel_id,
                        thread_ts=thread_ts,
                        tenant_id=tenant_id,
                        conversation_id=conversation_id,
                    )
                )
        except IntegrityError:
            pass  # already known: the first conversation of the thread stays
