"""Conversation leases: one turn of a conversation at a time, across workers.

Two questions of one conversation arriving together (two Slack mentions in a thread, a follow-up
sent before the answer came) used to be planned side by side, the second without the first's
turn. A turn now holds a row here while it runs; the next one waits for it.

Revision ID: 0009_conversation_leases
Revises: 0008_slack_thread_tenant
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_conversation_leases"
down_revision = "0008_slack_thread_tenant"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_leases",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("conversation_id", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("conversation_leases")
