"""Shared fixtures: settings, migrated databases (SQLite per test, PostgreSQL per session),
unit-of-work factories for the memory / SQLite / PostgreSQL backends, and an app client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.adapters.persistence.sqlalchemy import SqlUnitOfWork, create_engine
from hrhelper.adapters.persistence.sqlalchemy.migrate import upgrade
from hrhelper.ports.persistence import UnitOfWork
from hrhelper.settings import Settings, load_settings
from tests.support.database import truncate_all
from tests.support.services import fresh_postgres_database

SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Settings for a test: embedded defaults on a SQLite file in tmp_path, overridable."""

    def make(**env: str) -> Settings:
        base = {
            "ENVIRONMENT": "test",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}",
            "PUBLIC_URL": "http://testserver.local",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "JOB_MIN_BACKOFF_MS": "50",
            "JOB_MAX_BACKOFF_MS": "200",
            "CURRENCY_RATES_URL": "",  # no scheduled call to the real bank from a test
        }
        base.update(env)
        return load_settings(base, env_file=None)

    return make


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'contract.sqlite3'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One migrated PostgreSQL database for the whole run; tests empty it after use."""
    with fresh_postgres_database() as url:
        upgrade(url)
        yield url


@pytest.fixture
async def postgres_engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(postgres_url, pool_size=5)
    try:
        yield engine
    finally:
        await truncate_all(engine)
        await engine.dispose()


@pytest.fixture
async def sqlite_engine(sqlite_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(sqlite_url)
    yield engine
    await engine.dispose()


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def uow_factory(request: pytest.FixtureRequest) -> Callable[[], UnitOfWork]:
    """The same contract tests run against every persistence implementation."""
    if request.param == "memory":
        store = MemoryStore()
        return lambda: MemoryUnitOfWork(store)
    engine: AsyncEngine = request.getfixturevalue(f"{request.param}_engine")
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    return lambda: SqlUnitOfWork(sessions)
