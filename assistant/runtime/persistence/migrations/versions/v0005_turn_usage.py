"""LLM tokens and cost per turn (what each answer cost to produce), and an index for retention.

Revision ID: 0005_turn_usage
Revises: 0004_digests
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_turn_usage"
down_revision = "0004_digests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("prompt_tokens", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("completion_tokens", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("cost_usd", sa.Float, nullable=False, server_default="0"))
        batch.add_column(sa.Column("llm_model", sa.String(200), nullable=True))
    op.create_index("ix_turns_tenant_created", "turns", ["tenant_id", "created_at"])
    op.create_index("ix_conversations_tenant_created", "conversations", ["tenant_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_conversations_tenant_created", table_name="conversations")
    op.drop_index("ix_turns_tenant_created", table_name="turns")
    with op.batch_alter_table("turns") as batch:
        for column in ("llm_model", "cost_usd", "completion_tokens", "prompt_tokens"):
            batch.drop_column(column)
