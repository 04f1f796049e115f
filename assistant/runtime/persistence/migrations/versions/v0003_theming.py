"""Tenant theming (white-label widget): colours, logo, assistant name, greeting, suggestions.

Revision ID: 0003_theming
Revises: 0002_slack
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_theming"
down_revision = "0002_slack"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("theme", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("theme")
