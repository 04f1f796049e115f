"""A tenant's ask URL: the retailer's page embedding the widget, where a digest's "Ask about this"
opens its question (`{q}` in the URL); NULL = this service's `/ask` page.

Revision ID: 0007_tenant_ask_url
Revises: 0006_digest_slack_team
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_tenant_ask_url"
down_revision = "0006_digest_slack_team"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("ask_url", sa.String(2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("ask_url")
