"""Connected Google accounts (tokens sealed) and their synced calendar events and Drive files.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hrhelper.adapters.persistence.sqlalchemy.types import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"],
        ["google_accounts.id"],
        name=op.f(f"fk_{table}_account_id_google_accounts"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "google_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("expires_at", UtcDateTime(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_sync_at", UtcDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_google_accounts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_google_accounts")),
        sa.UniqueConstraint("user_id", "email", name=op.f("uq_google_accounts_user_id_email")),
    )
    op.create_table(
        "google_calendar_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("google_id", sa.String(length=1024), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("start_at", UtcDateTime(), nullable=True),
        sa.Column("end_at", UtcDateTime(), nullable=True),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("html_link", sa.Text(), nullable=True),
        sa.Column("meet_link", sa.Text(), nullable=True),
        sa.Column("organizer_email", sa.String(length=320), nullable=True),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("updated", UtcDateTime(), nullable=True),
        sa.Column("synced_at", UtcDateTime(), nullable=True),
        _account_fk("google_calendar_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_google_calendar_events")),
        sa.UniqueConstraint(
            "account_id",
            "google_id",
            name=op.f("uq_google_calendar_events_account_id_google_id"),
        ),
    )
    op.create_index("ix_google_calendar_events_start_at", "google_calendar_events", ["start_at"])
    op.create_table(
        "google_drive_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("google_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("mime_type", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("created_time", UtcDateTime(), nullable=True),
        sa.Column("modified_time", UtcDateTime(), nullable=True),
        sa.Column("web_view_link", sa.Text(), nullable=True),
        sa.Column("owners", sa.JSON(), nullable=False),
        sa.Column("synced_at", UtcDateTime(), nullable=True),
        _account_fk("google_drive_files"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_google_drive_files")),
        sa.UniqueConstraint(
            "account_id", "google_id", name=op.f("uq_google_drive_files_account_id_google_id")
        ),
    )
    op.create_index("ix_google_drive_files_modified_time", "google_drive_files", ["modified_time"])


def downgrade() -> None:
    op.drop_index("ix_google_drive_files_modified_time", table_name="google_drive_files")
    op.drop_table("google_drive_files")
    op.drop_index("ix_google_calendar_events_start_at", table_name="google_calendar_events")
    op.drop_table("google_calendar_events")
    op.drop_table("google_accounts")
