"""Access to the real PostgreSQL and Redis named by TEST_DATABASE_URL / TEST_REDIS_URL.

When CI=true a missing service fails the test; elsewhere it skips it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

__all__ = ["fresh_postgres_database", "require", "test_redis_url"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(service: str, url: str | None) -> str:
    if url:
        return url
    message = f"{service} is not configured (set TEST_{service.upper()}_URL)"
    if _in_ci():
        pytest.fail(message + " and CI=true: services must be present", pytrace=False)
    pytest.skip(message)


def test_redis_url() -> str:
    return require("redis", os.environ.get("TEST_REDIS_URL"))


def _plain(url: str) -> str:
    """psycopg wants a libpq URL: drop any '+driver' suffix."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database next to TEST_DATABASE_URL, yield its URL, drop it after."""
    server_url = require("database", os.environ.get("TEST_DATABASE_URL"))
    name = f"hrhelper_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(_plain(server_url), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if _in_ci():
            pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is down: {error}", pytrace=False)
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is down: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(_plain(server_url)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with psycopg.connect(_plain(server_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
