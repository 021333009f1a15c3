"""What hrhelper keeps about a user's ClickUp: the sync settings, the cached tasks and the
log of each sync. No I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from hrhelper.domain.recruiting.sorting import Sorted
from hrhelper.domain.recruiting.sync_log import SyncLog, SyncStatus
from hrhelper.domain.recruiting.sync_runs import auto_sync_due
from hrhelper.ports.clickup import Task

__all__ = [
    "HUNTFLOW_TAG",
    "TASK_SORTS",
    "CachedTask",
    "ClickUpSettings",
    "HuntflowFilter",
    "SyncLog",
    "SyncStatus",
    "TaskListQuery",
    "cached_task",
]

HUNTFLOW_TAG = "huntflow"
"""The tag a task gets once its candidate is in Huntflow."""

TASK_SORTS = ("date_updated", "date_created", "name", "status", "priority")
"""Fields the cached tasks can be sorted by (``-`` in front for descending)."""


class HuntflowFilter(StrEnum):
    """Which tasks a sync keeps, by the ``huntflow`` tag."""

    ALL = "all"
    WITH_HUNTFLOW = "with_huntflow"
    WITHOUT_HUNTFLOW = "without_huntflow"

    def keeps(self, task: Task) -> bool:
        tagged = HUNTFLOW_TAG in (tag.lower() for tag in task.tags)
        if self is HuntflowFilter.WITH_HUNTFLOW:
            return tagged
        if self is HuntflowFilter.WITHOUT_HUNTFLOW:
            return not tagged
        return True


@dataclass(frozen=True)
class ClickUpSettings:
    """Where a user's candidates live in ClickUp and how often to sync them."""

    user_id: int
    team_id: str
    space_id: str
    list_id: str
    updated_at: datetime
    folder_id: str | None = None
    auto_sync: bool = False
    sync_interval: int = 60
    """Minutes between automatic syncs."""
    huntflow_filter: HuntflowFilter = HuntflowFilter.ALL
    last_auto_sync_at: datetime | None = None
    """When the scheduler last queued a sync of this user."""

    def auto_sync_due(self, now: datetime) -> bool:
        return auto_sync_due(self, now)


@dataclass(frozen=True)
class CachedTask:
    """A ClickUp task as last read by a sync of its user."""

    user_id: int
    task_id: str
    name: str
    url: str
    synced_at: datetime
    description: str = ""
    status: str | None = None
    status_color: str | None = None
    priority: str | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None
    due_date: datetime | None = None
    list_id: str | None = None
    assignees: Sequence[Mapping[str, Any]] = ()
    tags: Sequence[str] = ()
    attachments: Sequence[Mapping[str, Any]] = ()
    custom_fields: Sequence[Mapping[str, Any]] = ()
    id: int | None = None


def cached_task(user_id: int, task: Task, synced_at: datetime) -> CachedTask:
    """The cached form of ``task`` (JSON-safe lists for assignees, files and custom fields)."""
    return CachedTask(
        user_id=user_id,
        task_id=task.id,
        name=task.name,
        url=task.url,
        synced_at=synced_at,
        description=task.description,
        status=task.status.name if task.status else None,
        status_color=task.status.color if task.status and task.status.color else None,
        priority=task.priority.name if task.priority else None,
        date_created=task.created_at,
        date_updated=task.updated_at,
        due_date=task.due_at,
        list_id=task.list_id,
        assignees=[{"id": u.id, "username": u.name, "email": u.email} for u in task.assignees],
        tags=list(task.tags),
        attachments=[
            {
                "id": a.id,
                "name": a.name,
                "url": a.url,
                "content_type": a.content_type,
                "size": a.size,
            }
            for a in task.attachments
        ],
        custom_fields=[
            {"id": f.id, "name": f.name, "type": f.type, "value": _json(f.value)}
            for f in task.custom_fields
        ],
    )


def _json(value: object) -> Any:
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class TaskListQuery(Sorted):
    search: str = ""
    status: str | None = None
    priority: str | None = None
    sort: str = "-date_updated"
    offset: int = 0
    limit: int = 20

    def __post_init__(self) -> None:
        self.check_sort(TASK_SORTS)
