"""Engine creation: URL normalisation, SQLite pragmas, pool settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from hrhelper.adapters.persistence.sqlalchemy.orm import map_tables

__all__ = ["create_engine", "is_sqlite", "normalize_database_url"]

_DRIVERS = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg2": "postgresql+psycopg",
    "postgresql+asyncpg": "postgresql+psycopg",
    "sqlite": "sqlite+aiosqlite",
}


def normalize_database_url(url: str) -> str:
    """Accept the usual ``postgresql://`` / ``sqlite:///`` forms and pick the async drivers."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"DATABASE_URL has no scheme: {url!r}")
    return f"{_DRIVERS.get(scheme, scheme)}://{rest}"


def is_sqlite(url: str) -> bool:
    return normalize_database_url(url).startswith("sqlite")


def create_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    map_tables()  # every use of the database starts here
    url = normalize_database_url(url)
    if is_sqlite(url):
        return _sqlite_engine(url, echo=echo)
    return create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping (it costs a round trip per checkout): after a restart the first request
        # on a dead connection fails with 503, and SQLAlchemy then invalidates the whole pool.
        pool_pre_ping=False,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_engine(url: str, *, echo: bool) -> AsyncEngine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        # SQLite's lower() folds ASCII only; searches must fold Cyrillic too
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    return engine
