"""Migrated databases for tests, and a way to empty them between tests."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.adapters.persistence.sqlalchemy.tables import metadata

__all__ = ["truncate_all"]


async def truncate_all(engine: AsyncEngine) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{name}"' for name in tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await connection.execute(text(f'DELETE FROM "{name}"'))
