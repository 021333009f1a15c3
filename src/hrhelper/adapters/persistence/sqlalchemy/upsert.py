"""``INSERT ... ON CONFLICT`` for the two dialects hrhelper runs on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["upsert_into"]

_INSERTS: dict[str, Callable[[Table], Any]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def upsert_into(session: AsyncSession, table: Table) -> Any:
    """An insert into ``table`` that has ``on_conflict_do_update`` on the session's dialect."""
    dialect = session.get_bind().dialect.name
    if dialect not in _INSERTS:
        raise NotImplementedError(f"no portable upsert for the {dialect} dialect")
    return _INSERTS[dialect](table)
