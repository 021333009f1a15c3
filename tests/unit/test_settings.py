"""Settings: environment over .env, typed conversion, production guards."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrhelper.adapters.persistence.sqlalchemy.engine import normalize_database_url
from hrhelper.container import close_container, create_container
from hrhelper.settings import SettingsError, load_settings


def test_defaults_are_the_embedded_mode() -> None:
    sut = load_settings({}, env_file=None)
    assert sut.embedded
    assert sut.database_url.startswith("sqlite+aiosqlite:///./var/")
    assert sut.environment == "development"


def test_environment_wins_over_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment\nPUBLIC_URL=https://from-file.example\n"
        "export DATABASE_POOL_SIZE='7'\nREDIS_URL=\"redis://file:6379/1\"\n"
    )
    sut = load_settings({"PUBLIC_URL": "https://from-env.example"}, env_file=env_file)
    assert sut.public_url == "https://from-env.example"
    assert sut.database_pool_size == 7
    assert sut.redis_url == "redis://file:6379/1"
    assert not sut.embedded


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings({"ENVIRONMENT": "production"}, env_file=None)
    with pytest.raises(SettingsError, match="32 characters"):
        load_settings({"ENVIRONMENT": "production", "SECRET_KEY": "short"}, env_file=None)
    ok = load_settings({"ENVIRONMENT": "production", "SECRET_KEY": "x" * 40}, env_file=None)
    assert ok.is_production


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_POOL_SIZE": "many"}, "whole number"),
        ({"ENVIRONMENT": "staging"}, "ENVIRONMENT"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"DATABASE_POOL_SIZE": "0"}, "at least 1"),
        ({"LOGIN_LIMIT_PER_IP": "30"}, "LOGIN_LIMIT_PER_IP must read attempts/seconds"),
        ({"LOGIN_LIMIT_PER_ACCOUNT": "0/60"}, "LOGIN_LIMIT_PER_ACCOUNT"),
        ({"LOGIN_LIMIT_PER_ACCOUNT": "five/60"}, "LOGIN_LIMIT_PER_ACCOUNT"),
        ({"CORS_ALLOWED_ORIGINS": "*"}, "wildcards"),
        ({"CORS_ALLOWED_ORIGINS": "https://a.example, https://*.example"}, "wildcards"),
        ({"MAX_REQUEST_BODY_BYTES": "0"}, "MAX_REQUEST_BODY_BYTES"),
        ({"OUTSIDE_TIMEOUT_SECONDS": "soon"}, "OUTSIDE_TIMEOUT_SECONDS must be a number"),
        ({"OUTSIDE_TIMEOUT_SECONDS": "0"}, "OUTSIDE_TIMEOUT_SECONDS must be a positive"),
        ({"BULK_IMPORT_OUTAGE_RETRY_SECONDS": "nan"}, "BULK_IMPORT_OUTAGE_RETRY_SECONDS"),
        ({"BULK_IMPORT_OUTAGE_GIVE_UP_SECONDS": "0"}, "at least 1"),
    ],
)
def test_bad_values_are_clear_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(env, env_file=None)


def test_login_limits_read_attempts_per_window() -> None:
    assert load_settings({}, env_file=None).login_limits == ((30, 300), (10, 900))
    sut = load_settings({"LOGIN_LIMIT_PER_IP": "100/60", "LOGIN_LIMIT_PER_ACCOUNT": "3/30"}, None)
    assert sut.login_limits == ((100, 60), (3, 30))


def test_cors_origins_are_a_comma_separated_list() -> None:
    sut = load_settings({"CORS_ALLOWED_ORIGINS": "https://a.example, https://b.example/,"}, None)
    assert sut.cors_origins == ["https://a.example", "https://b.example"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///./var/x.sqlite3", "sqlite+aiosqlite:///./var/x.sqlite3"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
    ],
)
def test_database_urls_get_the_async_drivers(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


async def test_the_outside_timeout_and_the_outage_pauses_reach_the_clients_and_imports(
    tmp_path: Path,
) -> None:
    settings = load_settings(
        {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3",
            "OUTSIDE_TIMEOUT_SECONDS": "2.5",
            "BULK_IMPORT_OUTAGE_RETRY_SECONDS": "0.5",
            "BULK_IMPORT_OUTAGE_GIVE_UP_SECONDS": "900",
        },
        env_file=None,
    )
    container = create_container(settings)
    try:
        assert container.outside_client_options() == {"read_timeout_s": 2.5}
        assert container.ats_connector()._options == {"read_timeout_s": 2.5}
        assert container.clickup_sources()("pk_token")._timeout.read == 2.5  # type: ignore[attr-defined]
        assert container.notion_sources().connect("secret_x")._timeout.read == 2.5
        pacing = container.import_pacing()
        assert (pacing.outage_retry_s, pacing.outage_max_retry_s) == (0.5, 6.0)
        assert pacing.outage_give_up.total_seconds() == 900
    finally:
        await close_container(container)
