"""Currency rates: one row per (currency, date), the per-unit rate and what was published.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hrhelper.adapters.persistence.sqlalchemy.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "currency_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("rate", sa.Numeric(18, 6), nullable=False),
        sa.Column("official_rate", sa.Numeric(18, 6), nullable=False),
        sa.Column("scale", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_currency_rates"),
        sa.UniqueConstraint("currency", "date", name="uq_currency_rates_currency_date"),
    )


def downgrade() -> None:
    op.drop_table("currency_rates")
