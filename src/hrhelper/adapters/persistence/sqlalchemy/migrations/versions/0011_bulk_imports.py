"""Bulk imports of candidate cards (ClickUp tasks, Notion pages) and their per-item ledger.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hrhelper.adapters.persistence.sqlalchemy.types import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulk_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("delay_s", sa.Float(), nullable=False),
        sa.Column("max_items", sa.Integer(), nullable=False),
        sa.Column("sync_settings", sa.Boolean(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("succeeded", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("current_item", sa.String(length=200), nullable=True),
        sa.Column("current_title", sa.String(length=500), nullable=True),
        sa.Column("stop_requested", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.CheckConstraint("source IN ('clickup', 'notion')", name=op.f("ck_bulk_imports_source")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_bulk_imports_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_imports")),
    )
    op.create_index(
        "ix_bulk_imports_user_id_source_id", "bulk_imports", ["user_id", "source", "id"]
    )
    op.create_index(
        "ix_bulk_imports_status_heartbeat_at", "bulk_imports", ["status", "heartbeat_at"]
    )
    op.create_table(
        "bulk_import_items",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("created", sa.Boolean(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["bulk_imports.id"],
            name=op.f("fk_bulk_import_items_import_id_bulk_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "source_id", name=op.f("pk_bulk_import_items")),
    )
    op.create_index(
        "ix_bulk_import_items_import_id_position",
        "bulk_import_items",
        ["import_id", "position"],
    )


def downgrade() -> None:
    op.drop_table("bulk_import_items")
    op.drop_table("bulk_imports")
