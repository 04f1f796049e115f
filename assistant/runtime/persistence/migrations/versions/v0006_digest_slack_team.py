"""Slack digests: the workspace (team id) of a subscription's Slack channel.

A channel id alone does not say which workspace it lives in, and the workspace decides which
tenant may post there (its admin link) and with which bot token. Existing Slack subscriptions get
NULL and are refused at delivery with that reason until they are re-created with a workspace.

Revision ID: 0006_digest_slack_team
Revises: 0005_turn_usage
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_digest_slack_team"
down_revision = "0005_turn_usage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("digest_subscriptions") as batch:
        batch.add_column(sa.Column("slack_team_id", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("digest_subscriptions") as batch:
        batch.drop_column("slack_team_id")
