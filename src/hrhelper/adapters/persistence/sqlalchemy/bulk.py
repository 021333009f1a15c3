"""Statements over many rows: ``INSERT ... ON CONFLICT`` for the two dialects hrhelper runs
on, and ids cut into bounded ``IN`` lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["CHUNK", "chunks", "upsert_into"]

CHUNK = 500
"""Ids per ``IN`` list, so that statements stay bounded whatever the count."""

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


def chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    """The distinct ``ids``, sorted, ``CHUNK`` at a time."""
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]
