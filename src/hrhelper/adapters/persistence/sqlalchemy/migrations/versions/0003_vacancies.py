"""Grades (with the usual ladder), vacancies, their grades, interviewers.

On PostgreSQL, vacancy search gets a trigram index over the searched text.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from hrhelper.adapters.persistence.sqlalchemy.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LADDER = [
    ("Junior", "Начинающий специалист"),
    ("Junior+", "Начинающий специалист с опытом"),
    ("Middle", "Самостоятельный специалист"),
    ("Middle+", "Опытный самостоятельный специалист"),
    ("Senior", "Опытный специалист"),
    ("Senior+", "Опытный старший специалист"),
    ("Lead", "Ведущий специалист, руководит группой"),
    ("Head", "Руководитель направления"),
]

# Must stay the same expression as SEARCH_TEXT in adapters/persistence/sqlalchemy/vacancies.py
SEARCH_INDEX = (
    "CREATE INDEX ix_vacancies_search_trgm ON vacancies USING gin "
    "(lower(name || ' ' || external_id || ' ' || invite_title || ' ' || scorecard_title) "
    "gin_trgm_ops)"
)


def upgrade() -> None:
    grades = op.create_table(
        "grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_grades"),
        sa.UniqueConstraint("name_key", name="uq_grades_name_key"),
    )
    op.create_table(
        "vacancies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("recruiter_id", sa.Integer(), nullable=True),
        sa.Column("invite_title", sa.String(300), nullable=False),
        sa.Column("invite_text", sa.Text(), nullable=False),
        sa.Column("scorecard_title", sa.String(300), nullable=False),
        sa.Column("scorecard_text", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recruiter_id"],
            ["users.id"],
            name="fk_vacancies_recruiter_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_vacancies"),
    )
    op.create_index("ix_vacancies_recruiter_id", "vacancies", ["recruiter_id"])
    op.create_index("ix_vacancies_created_at", "vacancies", ["created_at"])
    op.create_index("ix_vacancies_is_active", "vacancies", ["is_active"])
    op.create_index(
        "uq_vacancies_external_id",
        "vacancies",
        ["external_id"],
        unique=True,
        postgresql_where=sa.text("external_id <> ''"),
        sqlite_where=sa.text("external_id <> ''"),
    )
    op.create_table(
        "vacancy_grades",
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("grade_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name="fk_vacancy_grades_vacancy_id_vacancies",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["grade_id"],
            ["grades.id"],
            name="fk_vacancy_grades_grade_id_grades",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("vacancy_id", "grade_id", name="pk_vacancy_grades"),
    )
    op.create_index("ix_vacancy_grades_grade_id", "vacancy_grades", ["grade_id"])
    op.create_table(
        "interviewers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("specialization", sa.String(200), nullable=False),
        sa.Column("experience_years", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_interviewers_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_interviewers"),
        sa.UniqueConstraint("user_id", name="uq_interviewers_user_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(SEARCH_INDEX)
    now = datetime.now(UTC)
    op.bulk_insert(
        grades,
        [
            {
                "name": name,
                "name_key": name.lower(),
                "description": description,
                "is_active": True,
                "position": position,
                "created_at": now,
                "updated_at": now,
            }
            for position, (name, description) in enumerate(LADDER, start=1)
        ],
    )


def downgrade() -> None:
    op.drop_table("interviewers")
    op.drop_index("ix_vacancy_grades_grade_id", table_name="vacancy_grades")
    op.drop_table("vacancy_grades")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_vacancies_search_trgm")
    op.drop_index("uq_vacancies_external_id", table_name="vacancies")
    op.drop_index("ix_vacancies_is_active", table_name="vacancies")
    op.drop_index("ix_vacancies_created_at", table_name="vacancies")
    op.drop_index("ix_vacancies_recruiter_id", table_name="vacancies")
    op.drop_table("vacancies")
    op.drop_table("grades")
