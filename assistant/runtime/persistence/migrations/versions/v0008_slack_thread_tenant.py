"""Slack threads keyed by tenant: (tenant, workspace, channel, thread) → one conversation.

The old key (workspace, channel, thread) held one tenant per thread, so a workspace re-linked to
another tenant could never remember its own conversation for a thread the first tenant had seen
(every reply started afresh). The new table carries the tenant in its primary key, which is also
what the atomic get-or-create (INSERT … ON CONFLICT DO NOTHING, then read) relies on. Rows are
copied over.

Revision ID: 0008_slack_thread_tenant
Revises: 0007_tenant_ask_url
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_slack_thread_tenant"
down_revision = "0007_tenant_ask_url"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)
_COLUMNS = "tenant_id, team_id, channel_id, thread_ts, conversation_id, created_at"


def upgrade() -> None:
    op.create_table(
        "slack_thread_conversations",
        sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.tenant_id"), primary_key=True),
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("channel_id", sa.String(32), primary_key=True),
        sa.Column("thread_ts", sa.String(32), primary_key=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.execute(f"INSERT INTO slack_thread_conversations ({_COLUMNS}) SELECT {_COLUMNS} FROM slack_threads")
    op.drop_table("slack_threads")


def downgrade() -> None:
    op.create_table(
        "slack_threads",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("channel_id", sa.String(32), primary_key=True),
        sa.Column("thread_ts", sa.String(32), primary_key=True),
        sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.tenant_id"), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )
    # One tenant per thread again: the earliest row of each thread stays.
    op.execute(
        f"INSERT INTO slack_threads ({_COLUMNS}) SELECT {_COLUMNS} FROM slack_thread_conversations s "
        "WHERE NOT EXISTS (SELECT 1 FROM slack_thread_conversations o WHERE o.team_id = s.team_id "
        "AND o.channel_id = s.channel_id AND o.thread_ts = s.thread_ts "
        "AND (o.created_at < s.created_at OR (o.created_at = s.created_at AND o.tenant_id < s.tenant_id)))"
    )
    op.drop_table("slack_thread_conversations")
