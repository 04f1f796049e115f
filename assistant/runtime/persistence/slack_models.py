"""Tables of the Slack channel in the app database (created by migration 0002_slack).

They live on the service's declarative `Base` so Alembic's metadata sees them, but in this package
so the Slack channel stays one folder.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.runtime.persistence.models import Base, utcnow


class SlackLinkRow(Base):
    """Workspace (channel '' = the whole workspace) → tenant, set by an admin."""

    __tablename__ = "slack_links"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True, default="")
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.tenant_id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SlackInstallationRow(Base):
    """The bot token of one workspace, written by the OAuth flow."""

    __tablename__ = "slack_installations"

    enterprise_id: Mapped[str] = mapped_column(String(32), primary_key=True, default="")
    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    bot_token: Mapped[str] = mapped_column(Text)
    bot_id: Mapped[str] = mapped_column(String(32), default="")
    bot_user_id: Mapped[str] = mapped_column(String(32), default="")
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    installed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SlackOAuthStateRow(Base):
    __tablename__ = "slack_oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SlackSeenRow(Base):
    """Event ids and request signatures already handled (retries and replays)."""

    __tablename__ = "slack_seen"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class SlackThreadRow(Base):
    """A Slack thread is one Mercurios conversation of each tenant that asks in it (migration
    0008: the tenant is part of the key, so a re-linked workspace keeps its own conversation)."""

    __tablename__ = "slack_thread_conversations"

    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.tenant_id"), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
