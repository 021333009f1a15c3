"""Huntflow connections: the active system per user and one sealed token pair per system;
the ledger of candidate transfers.

Huntflow keys stored before (``user_credentials`` of kind ``huntflow_api_key``) become the
sandbox system's access token, sealed as they were.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hrhelper.adapters.persistence.sqlalchemy.types import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _system(name: str) -> sa.Enum:
    return sa.Enum(
        "prod", "sandbox", name=name, native_enum=False, create_constraint=True, length=32
    )


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "huntflow_active_system",
                _system("huntflow_system"),
                nullable=False,
                server_default="sandbox",
            )
        )
    with op.batch_alter_table("users") as batch:
        batch.alter_column("huntflow_active_system", server_default=None)
    op.create_table(
        "huntflow_tokens",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("system", _system("huntflow_token_system"), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("access_tail", sa.String(length=16), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("access_expires_at", UtcDateTime(), nullable=True),
        sa.Column("refresh_expires_at", UtcDateTime(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_huntflow_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "system", name=op.f("pk_huntflow_tokens")),
    )
    op.create_index(
        "ix_huntflow_tokens_access_expires_at", "huntflow_tokens", ["access_expires_at"]
    )
    op.execute(
        "INSERT INTO huntflow_tokens (user_id, system, access_token, access_tail, updated_at) "
        "SELECT user_id, 'sandbox', ciphertext, tail, updated_at FROM user_credentials "
        "WHERE kind = 'huntflow_api_key'"
    )
    op.execute("DELETE FROM user_credentials WHERE kind = 'huntflow_api_key'")
    op.create_table(
        "transfer_ledger",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("vacancy_id", sa.Integer(), nullable=True),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_transfer_ledger_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id", "source", "source_id", "account_id", name=op.f("pk_transfer_ledger")
        ),
    )


def downgrade() -> None:
    op.drop_table("transfer_ledger")
    op.execute(
        "INSERT INTO user_credentials (user_id, kind, ciphertext, tail, updated_at) "
        "SELECT t.user_id, 'huntflow_api_key', t.access_token, t.access_tail, t.updated_at "
        "FROM huntflow_tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.system = u.huntflow_active_system"
    )
    op.drop_index("ix_huntflow_tokens_access_expires_at", table_name="huntflow_tokens")
    op.drop_table("huntflow_tokens")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_huntflow_system"), type_="check")
        batch.drop_column("huntflow_active_system")
