"""ClickUp settings and cached tasks on Core tables.

- The sync logs are shared with Notion (``sync_logs.py``).
- The task upsert is one ``INSERT ... ON CONFLICT (user_id, task_id) DO UPDATE`` on
  PostgreSQL and SQLite alike.
- A page of the task list is two queries (count, rows) whatever its size.
- Search looks in ``search_name``, the name casefolded by Python when stored, so that it
  ignores case in any script on SQLite too (whose ``lower()`` only knows ASCII).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, RowMapping, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.bulk import chunks
from hrhelper.adapters.persistence.sqlalchemy.bulk import upsert_into as _upsert
from hrhelper.adapters.persistence.sqlalchemy.tables import clickup_settings, clickup_tasks
from hrhelper.domain.recruiting.clickup_model import (
    CachedTask,
    ClickUpSettings,
    HuntflowFilter,
    TaskListQuery,
)
from hrhelper.ports.clickup_cache import ClickUpSettingsRepository, ClickUpTaskRepository

__all__ = ["SqlClickUpSettingsRepository", "SqlClickUpTaskRepository"]

_s, _t = clickup_settings, clickup_tasks


def _settings(row: RowMapping) -> ClickUpSettings:
    values = dict(row)
    values["huntflow_filter"] = HuntflowFilter(values["huntflow_filter"])
    return ClickUpSettings(**values)


class SqlClickUpSettingsRepository(ClickUpSettingsRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> ClickUpSettings | None:
        row = (await self._session.execute(select(_s).where(_s.c.user_id == user_id))).mappings()
        found = row.one_or_none()
        return _settings(found) if found else None

    async def put(self, settings: ClickUpSettings) -> None:
        values = {c.name: getattr(settings, c.name) for c in _s.c}
        values["huntflow_filter"] = settings.huntflow_filter.value
        changes = {k: v for k, v in values.items() if k != "user_id"}
        statement = (
            _upsert(self._session, _s)
            .values(**values)
            .on_conflict_do_update(index_elements=[_s.c.user_id], set_=changes)
        )
        await self._session.execute(statement)

    async def auto_synced(self) -> Sequence[ClickUpSettings]:
        rows = await self._session.execute(select(_s).where(_s.c.auto_sync.is_(True)))
        return [_settings(row) for row in rows.mappings()]


_TASK_FIELDS = [c.name for c in _t.c if c.name not in ("id", "search_name")]


def _task(row: RowMapping) -> CachedTask:
    values = dict(row)
    del values["search_name"]
    return CachedTask(**values)


class SqlClickUpTaskRepository(ClickUpTaskRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def versions(self, user_id: int, task_ids: Sequence[str]) -> dict[str, datetime | None]:
        if not task_ids:
            return {}
        query = select(_t.c.task_id, _t.c.date_updated).where(
            _t.c.user_id == user_id, _t.c.task_id.in_(list(task_ids))
        )
        return dict((await self._session.execute(query)).all())

    async def upsert(self, task: CachedTask) -> None:
        values = {name: getattr(task, name) for name in _TASK_FIELDS}
        for name in ("assignees", "tags", "attachments", "custom_fields"):
            values[name] = list(values[name])
        values["search_name"] = task.name.casefold()
        changes = {k: v for k, v in values.items() if k not in ("user_id", "task_id")}
        statement = (
            _upsert(self._session, _t)
            .values(**values)
            .on_conflict_do_update(index_elements=[_t.c.user_id, _t.c.task_id], set_=changes)
        )
        await self._session.execute(statement)

    async def ids(self, user_id: int) -> set[str]:
        query = select(_t.c.task_id).where(_t.c.user_id == user_id)
        return set((await self._session.execute(query)).scalars())

    async def remove(self, user_id: int, task_ids: Sequence[str]) -> int:
        removed = 0
        for chunk in chunks(task_ids):
            result = await self._session.execute(
                delete(_t).where(_t.c.user_id == user_id, _t.c.task_id.in_(chunk))
            )
            removed += int(result.rowcount)  # type: ignore[attr-defined]
        return removed

    async def clear(self, user_id: int) -> int:
        result = await self._session.execute(delete(_t).where(_t.c.user_id == user_id))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def list(self, user_id: int, query: TaskListQuery) -> tuple[int, Sequence[CachedTask]]:
        where = _task_filter(user_id, query)
        count = (await self._session.execute(select(func.count()).where(*where))).scalar_one()
        column = _t.c[query.sort_field]
        # NULLs last either way, so tasks without the field never lead the page
        order = column.desc().nulls_last() if query.descending else column.asc().nulls_last()
        rows = await self._session.execute(
            select(_t)
            .where(*where)
            .order_by(order, _t.c.task_id)
            .offset(query.offset)
            .limit(query.limit)
        )
        return int(count), [_task(row) for row in rows.mappings()]

    async def get(self, user_id: int, task_id: str) -> CachedTask | None:
        query = select(_t).where(_t.c.user_id == user_id, _t.c.task_id == task_id)
        row = (await self._session.execute(query)).mappings().one_or_none()
        return _task(row) if row else None


def _task_filter(user_id: int, query: TaskListQuery) -> list[ColumnElement[bool]]:
    where = [_t.c.user_id == user_id]
    if query.search:
        where.append(_t.c.search_name.contains(query.search.casefold(), autoescape=True))
    if query.status is not None:
        where.append(func.lower(_t.c.status) == query.status.lower())
    if query.priority is not None:
        where.append(func.lower(_t.c.priority) == query.priority.lower())
    return where
