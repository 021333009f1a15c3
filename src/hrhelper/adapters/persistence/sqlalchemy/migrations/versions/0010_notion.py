"""Notion: per-user settings and the cached pages; the ClickUp sync logs become the sync logs
of every source (``source``: clickup | notion).

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hrhelper.adapters.persistence.sqlalchemy.types import UtcDateTime

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def _rename_table(old: str, new: str) -> None:
    """Rename a log table with its key, foreign key and id sequence (PostgreSQL keeps their
    names apart from the table's; SQLite has no names to keep for them)."""
    op.rename_table(old, new)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {new} RENAME CONSTRAINT pk_{old} TO pk_{new}")
        op.execute(
            f"ALTER TABLE {new} RENAME CONSTRAINT fk_{old}_user_id_users TO fk_{new}_user_id_users"
        )
        op.execute(f"ALTER SEQUENCE {old}_id_seq RENAME TO {new}_id_seq")


def upgrade() -> None:
    op.drop_index("ix_clickup_sync_logs_user_id", table_name="clickup_sync_logs")
    _rename_table("clickup_sync_logs", "sync_logs")
    with op.batch_alter_table("sync_logs") as batch:
        batch.add_column(
            sa.Column("source", sa.String(16), nullable=False, server_default="clickup")
        )
    with op.batch_alter_table("sync_logs") as batch:
        batch.alter_column("source", server_default=None)
    op.create_index("ix_sync_logs_user_id_source", "sync_logs", ["user_id", "source"])
    op.create_table(
        "notion_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("database_id", sa.String(64), nullable=False),
        sa.Column("auto_sync", sa.Boolean(), nullable=False),
        sa.Column("sync_interval", sa.Integer(), nullable=False),
        sa.Column("last_auto_sync_at", UtcDateTime(), nullable=True),
        sa.Column("watermark", UtcDateTime(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_notion_settings"),
        _user_fk("notion_settings"),
    )
    op.create_table(
        "notion_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("search_title", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("parent_id", sa.String(64), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("created_time", UtcDateTime(), nullable=False),
        sa.Column("last_edited_time", UtcDateTime(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("synced_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notion_pages"),
        _user_fk("notion_pages"),
        sa.UniqueConstraint("user_id", "page_id", name="uq_notion_pages_user_id_page_id"),
    )


def downgrade() -> None:
    op.drop_table("notion_pages")
    op.drop_table("notion_settings")
    op.execute("DELETE FROM sync_logs WHERE source <> 'clickup'")
    op.drop_index("ix_sync_logs_user_id_source", table_name="sync_logs")
    with op.batch_alter_table("sync_logs") as batch:
        batch.drop_column("source")
    _rename_table("sync_logs", "clickup_sync_logs")
    op.create_index("ix_clickup_sync_logs_user_id", "clickup_sync_logs", ["user_id"])
