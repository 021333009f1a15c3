"""A bulk import that waits out an outside service's outage says why and until when.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hrhelper.adapters.persistence.sqlalchemy.types import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bulk_imports") as batch:
        batch.add_column(sa.Column("pause_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("paused_until", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bulk_imports") as batch:
        batch.drop_column("paused_until")
        batch.drop_column("pause_reason")
