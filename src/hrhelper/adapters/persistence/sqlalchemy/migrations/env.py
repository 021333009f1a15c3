"""Alembic environment: runs on the async engine for both PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from hrhelper.adapters.persistence.sqlalchemy.engine import create_engine, is_sqlite
from hrhelper.adapters.persistence.sqlalchemy.tables import include_in_autogenerate, metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=is_sqlite(str(connection.engine.url)),  # SQLite alters tables by copy
        compare_type=True,
        include_object=include_in_autogenerate,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "", pool_size=1)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def _run_to_completion(coroutine: Coroutine[Any, Any, None]) -> None:
    """Alembic is synchronous; when called from inside an event loop, use a fresh thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    _run_to_completion(_run_online())
