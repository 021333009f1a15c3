"""ClickUp: per-user settings, the cached tasks and the sync logs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hrhelper.adapters.persistence.sqlalchemy.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _user() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("user_id", sa.Integer(), nullable=False)


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "clickup_settings",
        _user(),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("folder_id", sa.String(64), nullable=True),
        sa.Column("list_id", sa.String(64), nullable=False),
        sa.Column("auto_sync", sa.Boolean(), nullable=False),
        sa.Column("sync_interval", sa.Integer(), nullable=False),
        sa.Column("huntflow_filter", sa.String(32), nullable=False),
        sa.Column("last_auto_sync_at", UtcDateTime(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_clickup_settings"),
        _user_fk("clickup_settings"),
    )
    op.create_table(
        "clickup_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        _user(),
        sa.Column("task_id", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("search_name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(100), nullable=True),
        sa.Column("status_color", sa.String(32), nullable=True),
        sa.Column("priority", sa.String(32), nullable=True),
        sa.Column("date_created", UtcDateTime(), nullable=True),
        sa.Column("date_updated", UtcDateTime(), nullable=True),
        sa.Column("due_date", UtcDateTime(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("list_id", sa.String(64), nullable=True),
        sa.Column("assignees", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("custom_fields", sa.JSON(), nullable=False),
        sa.Column("synced_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clickup_tasks"),
        _user_fk("clickup_tasks"),
        sa.UniqueConstraint("user_id", "task_id", name="uq_clickup_tasks_user_id_task_id"),
    )
    op.create_table(
        "clickup_sync_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        _user(),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_clickup_sync_logs"),
        _user_fk("clickup_sync_logs"),
    )
    op.create_index("ix_clickup_sync_logs_user_id", "clickup_sync_logs", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_clickup_sync_logs_user_id", table_name="clickup_sync_logs")
    op.drop_table("clickup_sync_logs")
    op.drop_table("clickup_tasks")
    op.drop_table("clickup_settings")
