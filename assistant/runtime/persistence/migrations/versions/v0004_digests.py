"""Insight digests: subscriptions (who gets which tenant's digest, when, where) and delivery claims.

`digest_claims` has one row per (subscription, period): its primary key is what makes two
schedulers unable to send the same digest twice (see assistant/channels/digests/claims.py).

Revision ID: 0004_digests
Revises: 0003_theming
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_digests"
down_revision = "0003_theming"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "digest_subscriptions",
        sa.Column("subscription_id", sa.String(64), primary_key=True),
        sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.tenant_id"), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("cron", sa.String(120), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("cadence", sa.String(8), nullable=False),
        sa.Column("focus_metrics", sa.JSON, nullable=False),
        sa.Column("focus_stores", sa.JSON, nullable=False),
        sa.Column("focus_categories", sa.JSON, nullable=False),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("slack_channel", sa.String(64), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_index("ix_digest_subscriptions_tenant", "digest_subscriptions", ["tenant_id", "active"])
    op.create_table(
        "digest_claims",
        sa.Column("subscription_id", sa.String(64), primary_key=True),
        sa.Column("period_key", sa.String(32), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(128), nullable=False),
        sa.Column("lease_until", _TS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("digest_claims")
    op.drop_index("ix_digest_subscriptions_tenant", table_name="digest_subscriptions")
    op.drop_table("digest_subscriptions")
