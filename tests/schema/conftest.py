"""An app for checking the served schema: a migrated SQLite database with one user per role,
nothing reaching beyond the loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from hrhelper.adapters.persistence.sqlalchemy.migrate import upgrade
from hrhelper.container import create_container
from hrhelper.domain.identity.model import Role
from hrhelper.settings import Settings, load_settings
from tests.fakes.telegram import TOKEN as TELEGRAM_TOKEN
from tests.fakes.telegram import serve_fake_telegram
from tests.support.identity_fakes import PASSWORD, Sha256PasswordHasher

NOWHERE = "http://127.0.0.1:9"  # discard port: connections are refused at once
ROLES = ("admin", "hr", "user")
OUTSIDE_URLS = (
    "HUNTFLOW_API_URL",
    "HUNTFLOW_SANDBOX_API_URL",
    "CLICKUP_API_URL",
    "NOTION_API_URL",
    "GEMINI_API_URL",
    "GOOGLE_OAUTH_URL",
    "GOOGLE_CERTS_URL",
    "GOOGLE_API_URL",
)


def schema_app_settings(tmp: Path, telegram_url: str, **env: str) -> Settings:
    """Every outside service but the Telegram bot (a server-wide setting, faked) points at a
    closed port; users have no keys of their own."""
    return load_settings(
        {
            "ENVIRONMENT": "test",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'schema.sqlite3'}",
            "PUBLIC_URL": "http://localhost",
            "MEDIA_ROOT": str(tmp / "media"),
            "CURRENCY_RATES_URL": "",
            "GOOGLE_CLIENT_ID": "schema-client",
            "GOOGLE_CLIENT_SECRET": "schema-secret",
            "TELEGRAM_API_URL": telegram_url,
            "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            **dict.fromkeys(OUTSIDE_URLS, NOWHERE),
            **env,
        },
        env_file=None,
    )


async def _create_users(settings: Settings) -> None:
    container = create_container(settings, password_hasher=Sha256PasswordHasher())
    try:
        users = container.user_service()
        admin = await users.create_superuser("admin@example.com", PASSWORD)
        for role in (Role.HR, Role.USER):
            values = {"email": f"{role.value}@example.com", "role": role.value}
            await users.create(admin, values, PASSWORD)
    finally:
        await container.engine().dispose()


@pytest.fixture(scope="module")
def schema_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A migrated database with one user per role (``<role>@example.com``), and the fake
    Telegram."""
    with serve_fake_telegram() as telegram:
        settings = schema_app_settings(tmp_path_factory.mktemp("schema"), telegram.url)
        upgrade(settings.database_url)
        asyncio.run(_create_users(settings))
        yield settings
