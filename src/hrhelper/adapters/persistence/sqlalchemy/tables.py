"""Table definitions. The naming convention keeps constraint names stable for error mapping."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from hrhelper.adapters.persistence.sqlalchemy.types import UtcDateTime
from hrhelper.domain.identity.model import AuthType, CredentialKind, HuntflowSystem, Role

__all__ = [
    "MIGRATION_ONLY_INDEXES",
    "bulk_import_items",
    "bulk_imports",
    "candidate_profiles",
    "chat_messages",
    "chat_sessions",
    "clickup_settings",
    "clickup_tasks",
    "currency_rates",
    "google_accounts",
    "google_calendar_events",
    "google_drive_files",
    "grades",
    "hr_profiles",
    "huntflow_tokens",
    "include_in_autogenerate",
    "interviewers",
    "mail_outbox",
    "metadata",
    "notion_pages",
    "notion_settings",
    "refresh_tokens",
    "sessions",
    "sync_logs",
    "telegram_bot_state",
    "telegram_chats",
    "telegram_messages",
    "transfer_ledger",
    "user_credentials",
    "users",
    "vacancies",
    "vacancy_grades",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

MIGRATION_ONLY_INDEXES = frozenset({"ix_vacancies_search_trgm"})
"""PostgreSQL-only expression indexes created by migrations; autogenerate must ignore them."""


def include_in_autogenerate(obj: object, name: str | None, kind: str, *_: object) -> bool:
    return not (kind == "index" and name in MIGRATION_ONLY_INDEXES)


mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("recipient", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("claimed_until", UtcDateTime, nullable=True),
    Column("sent_at", UtcDateTime, nullable=True),
    Index("ix_mail_outbox_status_created_at", "status", "created_at"),
)


def _enum(
    kind: type[Role] | type[AuthType] | type[CredentialKind] | type[HuntflowSystem], name: str
) -> Enum:
    """Stored as the enum's value in a checked VARCHAR (no native PostgreSQL type to migrate)."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("username", String(254), nullable=False),
    Column("first_name", String(150), nullable=False, default=""),
    Column("last_name", String(150), nullable=False, default=""),
    Column("role", _enum(Role, "user_role"), nullable=False),
    Column("password_hash", String(255), nullable=True),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("is_verified", Boolean, nullable=False, default=False),
    Column("auth_type", _enum(AuthType, "auth_type"), nullable=False),
    Column("last_login", UtcDateTime, nullable=True),
    Column("huntflow_prod_url", String(500), nullable=False, default=""),
    Column("huntflow_sandbox_url", String(500), nullable=False, default=""),
    Column(
        "huntflow_active_system",
        _enum(HuntflowSystem, "huntflow_system"),
        nullable=False,
        default=HuntflowSystem.SANDBOX,
    ),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("email", name="uq_users_email"),
    UniqueConstraint("username", name="uq_users_username"),
)

candidate_profiles = Table(
    "candidate_profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("bio", Text, nullable=False, default=""),
    Column("phone", String(32), nullable=False, default=""),
    Column("linkedin", String(500), nullable=False, default=""),
    Column("resume_key", String(300), nullable=False, default=""),
    Column("resume_name", String(255), nullable=False, default=""),
    Column("resume_type", String(100), nullable=False, default=""),
    Column("resume_size", Integer, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

hr_profiles = Table(
    "hr_profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("company", String(200), nullable=False, default=""),
    Column("department", String(200), nullable=False, default=""),
    Column("phone", String(32), nullable=False, default=""),
    Column("bio", Text, nullable=False, default=""),
    Column("linkedin", String(500), nullable=False, default=""),
    Column("contacts", Text, nullable=False, default=""),
    Column("website", String(500), nullable=False, default=""),
    Column("created_by", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

user_credentials = Table(
    "user_credentials",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", _enum(CredentialKind, "credential_kind"), primary_key=True),
    Column("ciphertext", Text, nullable=False),
    Column("tail", String(16), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("jti", String(32), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("expires_at", UtcDateTime, nullable=False),
)

grades = Table(
    "grades",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("name_key", String(100), nullable=False),  # lowercased: unique whatever the case
    Column("description", Text, nullable=False, default=""),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("position", Integer, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("name_key", name="uq_grades_name_key"),
)

vacancies = Table(
    "vacancies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("external_id", String(64), nullable=False, default=""),
    Column(
        "recruiter_id",
        ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
    Column("invite_title", String(300), nullable=False, default=""),
    Column("invite_text", Text, nullable=False, default=""),
    Column("scorecard_title", String(300), nullable=False, default=""),
    Column("scorecard_text", Text, nullable=False, default=""),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_vacancies_created_at", "created_at"),
    Index("ix_vacancies_is_active", "is_active"),
    Index(
        "uq_vacancies_external_id",
        "external_id",
        unique=True,
        postgresql_where=text("external_id <> ''"),
        sqlite_where=text("external_id <> ''"),
    ),
)

vacancy_grades = Table(
    "vacancy_grades",
    metadata,
    Column("vacancy_id", ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
    Column("grade_id", ForeignKey("grades.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_vacancy_grades_grade_id", "grade_id"),
)

interviewers = Table(
    "interviewers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("specialization", String(200), nullable=False, default=""),
    Column("experience_years", Integer, nullable=False, default=0),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

currency_rates = Table(
    "currency_rates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("rate", Numeric(18, 6), nullable=False),  # BYN per one unit
    Column("official_rate", Numeric(18, 6), nullable=False),  # BYN per `scale` units
    Column("scale", Integer, nullable=False),
    Column("date", Date, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # also the index behind "latest date per currency" and the currency filter
    UniqueConstraint("currency", "date", name="uq_currency_rates_currency_date"),
)

huntflow_tokens = Table(
    "huntflow_tokens",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("system", _enum(HuntflowSystem, "huntflow_token_system"), primary_key=True),
    Column("access_token", Text, nullable=False),  # sealed by the SecretBox
    Column("access_tail", String(16), nullable=False),
    Column("refresh_token", Text, nullable=True),  # sealed
    Column("access_expires_at", UtcDateTime, nullable=True),
    Column("refresh_expires_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_huntflow_tokens_access_expires_at", "access_expires_at"),
)

transfer_ledger = Table(
    "transfer_ledger",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("source", String(16), primary_key=True),
    Column("source_id", String(200), primary_key=True),
    Column("account_id", Integer, primary_key=True),
    Column("step", String(16), nullable=False),
    Column("applicant_id", Integer, nullable=True),
    Column("vacancy_id", Integer, nullable=True),
    Column("owner", String(64), nullable=True),  # the attempt holding the record
    Column("lease_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
chat_sessions = Table(
    "chat_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # the owner's list, latest activity first
    Index("ix_chat_sessions_user_id_updated_at", "user_id", "updated_at"),
)

chat_messages = Table(
    "chat_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", ForeignKey("chat_sessions.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(10), nullable=False),  # user | model
    Column("content", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # a session's messages in order, its recent history and its count
    Index("ix_chat_messages_session_id_id", "session_id", "id"),
)

telegram_chats = Table(
    "telegram_chats",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, nullable=False, unique=True),  # Telegram's id
    Column("chat_type", String(20), nullable=False),
    Column("title", String(300), nullable=False, default=""),
    Column("username", String(100), nullable=False, default=""),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

telegram_messages = Table(
    "telegram_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_pk", ForeignKey("telegram_chats.id", ondelete="CASCADE"), nullable=False),
    Column("message_id", BigInteger, nullable=False),  # unique within its chat only
    Column("message_type", String(30), nullable=False),
    Column("text", Text, nullable=False, default=""),
    Column("date", UtcDateTime, nullable=False),
    Column("sender_id", BigInteger, nullable=True),
    Column("sender_name", String(300), nullable=False, default=""),
    Column("reply_to_message_id", BigInteger, nullable=True),
    Column("outgoing", Boolean, nullable=False, default=False),
    Column("edited", Boolean, nullable=False, default=False),
    UniqueConstraint("chat_pk", "message_id", name="uq_telegram_messages_chat_pk_message_id"),
    Index("ix_telegram_messages_date", "date"),
)

telegram_bot_state = Table(
    "telegram_bot_state",
    metadata,
    Column("id", Integer, primary_key=True),  # one row, id 1
    Column("update_offset", BigInteger, nullable=False),
)

clickup_settings = Table(
    "clickup_settings",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", String(64), nullable=False),
    Column("space_id", String(64), nullable=False),
    Column("folder_id", String(64), nullable=True),
    Column("list_id", String(64), nullable=False),
    Column("auto_sync", Boolean, nullable=False),
    Column("sync_interval", Integer, nullable=False),  # minutes
    Column("huntflow_filter", String(32), nullable=False),
    Column("last_auto_sync_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

clickup_tasks = Table(
    "clickup_tasks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("task_id", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("search_name", Text, nullable=False),  # casefolded in Python: SQLite's lower() is ASCII
    Column("description", Text, nullable=False),
    Column("status", String(100), nullable=True),
    Column("status_color", String(32), nullable=True),
    Column("priority", String(32), nullable=True),
    Column("date_created", UtcDateTime, nullable=True),
    Column("date_updated", UtcDateTime, nullable=True),
    Column("due_date", UtcDateTime, nullable=True),
    Column("url", Text, nullable=False),
    Column("list_id", String(64), nullable=True),
    Column("assignees", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("attachments", JSON, nullable=False),
    Column("custom_fields", JSON, nullable=False),
    Column("synced_at", UtcDateTime, nullable=False),
    # the upsert key, and the index behind every per-user read
    UniqueConstraint("user_id", "task_id", name="uq_clickup_tasks_user_id_task_id"),
)

sync_logs = Table(
    "sync_logs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("source", String(16), nullable=False),  # clickup | notion
    Column("status", String(16), nullable=False),
    Column("processed", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("created", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Index("ix_sync_logs_user_id_source", "user_id", "source"),
)

notion_settings = Table(
    "notion_settings",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("database_id", String(64), nullable=False),
    Column("auto_sync", Boolean, nullable=False),
    Column("sync_interval", Integer, nullable=False),  # minutes
    Column("last_auto_sync_at", UtcDateTime, nullable=True),
    Column("watermark", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

notion_pages = Table(
    "notion_pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("page_id", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("search_title", Text, nullable=False),  # casefolded in Python, as for ClickUp
    Column("content", Text, nullable=False),
    Column("properties", JSON, nullable=False),
    Column("files", JSON, nullable=False),
    Column("parent_id", String(64), nullable=True),
    Column("url", Text, nullable=False),
    Column("created_time", UtcDateTime, nullable=False),
    Column("last_edited_time", UtcDateTime, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("synced_at", UtcDateTime, nullable=False),
    # the upsert key, and the index behind every per-user read
    UniqueConstraint("user_id", "page_id", name="uq_notion_pages_user_id_page_id"),
)

google_accounts = Table(
    "google_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("email", String(320), nullable=False),
    Column("subject", String(255), nullable=True),
    Column("scopes", Text, nullable=False),  # space-separated, as Google sends them
    Column("access_token", Text, nullable=False),  # sealed by the SecretBox
    Column("refresh_token", Text, nullable=True),  # sealed
    Column("expires_at", UtcDateTime, nullable=True),
    Column("is_active", Boolean, nullable=False),
    Column("last_sync_at", UtcDateTime, nullable=True),
    Column("error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("user_id", "email"),
)

google_calendar_events = Table(
    "google_calendar_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("google_accounts.id", ondelete="CASCADE"), nullable=False),
    Column("google_id", String(1024), nullable=False),
    Column("summary", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("location", Text, nullable=True),
    Column("start_at", UtcDateTime, nullable=True),
    Column("end_at", UtcDateTime, nullable=True),
    Column("all_day", Boolean, nullable=False),
    Column("status", String(32), nullable=False),
    Column("html_link", Text, nullable=True),
    Column("meet_link", Text, nullable=True),
    Column("organizer_email", String(320), nullable=True),
    Column("attendees", JSON, nullable=False),
    Column("updated", UtcDateTime, nullable=True),  # Google's last change
    Column("synced_at", UtcDateTime, nullable=True),
    UniqueConstraint("account_id", "google_id"),
    Index("ix_google_calendar_events_start_at", "start_at"),
)

google_drive_files = Table(
    "google_drive_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("google_accounts.id", ondelete="CASCADE"), nullable=False),
    Column("google_id", String(255), nullable=False),
    Column("name", Text, nullable=False),
    Column("mime_type", String(255), nullable=False),
    Column("size", BigInteger, nullable=True),
    Column("created_time", UtcDateTime, nullable=True),
    Column("modified_time", UtcDateTime, nullable=True),
    Column("web_view_link", Text, nullable=True),
    Column("owners", JSON, nullable=False),
    Column("synced_at", UtcDateTime, nullable=True),
    UniqueConstraint("account_id", "google_id"),
    Index("ix_google_drive_files_modified_time", "modified_time"),
)

bulk_imports = Table(
    "bulk_imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("source", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("account_id", Integer, nullable=False),
    Column("vacancy_id", Integer, nullable=False),
    Column("delay_s", Float, nullable=False),
    Column("max_items", Integer, nullable=False),
    Column("sync_settings", Boolean, nullable=False),
    Column("listed", Boolean, nullable=False),
    Column("total", Integer, nullable=False),
    Column("succeeded", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("current_item", String(200), nullable=True),
    Column("current_title", String(500), nullable=True),
    Column("stop_requested", Boolean, nullable=False),
    Column("owner", String(64), nullable=True),  # the run holding the import
    Column("heartbeat_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("error", Text, nullable=True),
    Column("runs", Integer, nullable=False),
    # while the run waits out an outside service's outage: why, and when it tries again
    Column("pause_reason", Text, nullable=True),
    Column("paused_until", UtcDateTime, nullable=True),
    CheckConstraint("source IN ('clickup', 'notion')", name="source"),
    # a user's imports of one source, newest first
    Index("ix_bulk_imports_user_id_source_id", "user_id", "source", "id"),
    # the sweeper looks for running imports whose worker died
    Index("ix_bulk_imports_status_heartbeat_at", "status", "heartbeat_at"),
)

bulk_import_items = Table(
    "bulk_import_items",
    metadata,
    Column("import_id", ForeignKey("bulk_imports.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", String(200), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("title", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=True),
    Column("applicant_id", Integer, nullable=True),
    Column("created", Boolean, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Index("ix_bulk_import_items_import_id_position", "import_id", "position"),
)
