"""In-memory ClickUp settings and cached tasks over a MemoryUnitOfWork's tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hrhelper.adapters.persistence.memory.identity import next_id
from hrhelper.domain.recruiting.clickup_model import CachedTask, ClickUpSettings, TaskListQuery
from hrhelper.ports.clickup_cache import ClickUpSettingsRepository, ClickUpTaskRepository

__all__ = ["MemoryClickUpSettingsRepository", "MemoryClickUpTaskRepository"]


class MemoryClickUpSettingsRepository(ClickUpSettingsRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._rows: dict[int, ClickUpSettings] = tables["clickup_settings"]

    async def get(self, user_id: int) -> ClickUpSettings | None:
        return self._rows.get(user_id)

    async def put(self, settings: ClickUpSettings) -> None:
        self._rows[settings.user_id] = settings

    async def auto_synced(self) -> Sequence[ClickUpSettings]:
        return [row for row in self._rows.values() if row.auto_sync]


class MemoryClickUpTaskRepository(ClickUpTaskRepository):
    """Rows keyed by (user id, task id) in ``tables["clickup_tasks"]``."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._rows: dict[tuple[int, str], CachedTask] = tables["clickup_tasks"]

    async def versions(self, user_id: int, task_ids: Sequence[str]) -> dict[str, datetime | None]:
        rows = (self._rows.get((user_id, task_id)) for task_id in task_ids)
        return {row.task_id: row.date_updated for row in rows if row is not None}

    async def upsert(self, task: CachedTask) -> None:
        key = (task.user_id, task.task_id)
        old = self._rows.get(key)
        row_id = old.id if old else next_id(self._tables, "clickup_tasks")
        self._rows[key] = dataclasses.replace(
            task,
            id=row_id,
            assignees=list(task.assignees),
            tags=list(task.tags),
            attachments=list(task.attachments),
            custom_fields=list(task.custom_fields),
        )

    async def ids(self, user_id: int) -> set[str]:
        return {task_id for owner, task_id in self._rows if owner == user_id}

    async def remove(self, user_id: int, task_ids: Sequence[str]) -> int:
        found = [key for key in ((user_id, t) for t in set(task_ids)) if key in self._rows]
        for key in found:
            del self._rows[key]
        return len(found)

    async def clear(self, user_id: int) -> int:
        keys = [key for key in self._rows if key[0] == user_id]
        for key in keys:
            del self._rows[key]
        return len(keys)

    async def list(self, user_id: int, query: TaskListQuery) -> tuple[int, Sequence[CachedTask]]:
        rows = [row for row in self._rows.values() if _matches(row, user_id, query)]
        rows.sort(key=lambda row: row.task_id)
        field = query.sort_field
        present = [row for row in rows if getattr(row, field) is not None]
        present.sort(key=lambda row: getattr(row, field), reverse=query.descending)
        ordered = present + [row for row in rows if getattr(row, field) is None]
        return len(ordered), ordered[query.offset : query.offset + query.limit]

    async def get(self, user_id: int, task_id: str) -> CachedTask | None:
        return self._rows.get((user_id, task_id))


def _matches(row: CachedTask, user_id: int, query: TaskListQuery) -> bool:
    def same(value: str | None, wanted: str | None) -> bool:
        return wanted is None or (value is not None and value.lower() == wanted.lower())

    return (
        row.user_id == user_id
        and query.search.casefold() in row.name.casefold()
        and same(row.status, query.status)
        and same(row.priority, query.priority)
    )
