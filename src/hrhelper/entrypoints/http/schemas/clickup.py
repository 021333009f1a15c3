"""Bodies of the ClickUp endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from hrhelper.domain.recruiting.bulk_import import ImportRequest
from hrhelper.domain.recruiting.clickup_model import (
    CachedTask,
    ClickUpSettings,
    HuntflowFilter,
    SyncLog,
)
from hrhelper.domain.recruiting.clickup_sync import MAX_INTERVAL, MIN_INTERVAL, SettingsInput
from hrhelper.entrypoints.http.schemas.bulk_import import HuntflowId

__all__ = [
    "ClickUpBulkImportIn",
    "ClickUpSettingsIn",
    "ClickUpSettingsOut",
    "HierarchyItemOut",
    "LegacyTaskOut",
    "SyncLogOut",
    "SyncStartedOut",
    "TaskOut",
]

ClickUpId = Annotated[str, msgspec.Meta(max_length=64, examples=["9001"])]


class ClickUpSettingsIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``team_id``, ``space_id`` and ``list_id`` are required (a missing one is named in the
    answer); ``sync_interval`` is in minutes."""

    team_id: ClickUpId = ""
    space_id: ClickUpId = ""
    list_id: ClickUpId = ""
    folder_id: ClickUpId | None = None
    auto_sync: bool = False
    sync_interval: Annotated[int, msgspec.Meta(ge=MIN_INTERVAL, le=MAX_INTERVAL)] = 60
    huntflow_filter: HuntflowFilter = HuntflowFilter.ALL

    def command(self) -> SettingsInput:
        return SettingsInput(
            team_id=self.team_id,
            space_id=self.space_id,
            list_id=self.list_id,
            folder_id=self.folder_id,
            auto_sync=self.auto_sync,
            sync_interval=self.sync_interval,
            huntflow_filter=self.huntflow_filter,
        )


class ClickUpSettingsOut(msgspec.Struct):
    configured: bool
    team_id: str | None = None
    space_id: str | None = None
    folder_id: str | None = None
    list_id: str | None = None
    auto_sync: bool = False
    sync_interval: int = 60
    huntflow_filter: HuntflowFilter = HuntflowFilter.ALL
    updated_at: datetime | None = None

    @classmethod
    def of(cls, settings: ClickUpSettings | None) -> ClickUpSettingsOut:
        if settings is None:
            return cls(configured=False)
        return cls(
            configured=True,
            team_id=settings.team_id,
            space_id=settings.space_id,
            folder_id=settings.folder_id,
            list_id=settings.list_id,
            auto_sync=settings.auto_sync,
            sync_interval=settings.sync_interval,
            huntflow_filter=settings.huntflow_filter,
            updated_at=settings.updated_at,
        )


class HierarchyItemOut(msgspec.Struct):
    """A team, space, folder or list."""

    id: str
    name: str


class TaskOut(msgspec.Struct):
    id: int
    user: int
    task_id: str
    name: str
    description: str
    status: str | None
    status_color: str | None
    priority: str | None
    date_created: datetime | None
    date_updated: datetime | None
    due_date: datetime | None
    url: str
    list_id: str | None
    assignees: list[dict[str, Any]]
    tags: list[str]
    attachments: list[dict[str, Any]]
    custom_fields: list[dict[str, Any]]
    synced_at: datetime

    @classmethod
    def of(cls, task: CachedTask) -> TaskOut:
        return cls(
            id=task.id or 0,
            user=task.user_id,
            task_id=task.task_id,
            name=task.name,
            description=task.description,
            status=task.status,
            status_color=task.status_color,
            priority=task.priority,
            date_created=task.date_created,
            date_updated=task.date_updated,
            due_date=task.due_date,
            url=task.url,
            list_id=task.list_id,
            assignees=[dict(a) for a in task.assignees],
            tags=list(task.tags),
            attachments=[dict(a) for a in task.attachments],
            custom_fields=[dict(f) for f in task.custom_fields],
            synced_at=task.synced_at,
        )


class LegacyStatusOut(msgspec.Struct):
    status: str | None
    color: str | None


class LegacyAssigneeOut(msgspec.Struct):
    id: Any
    username: str


class LegacyTaskOut(msgspec.Struct):
    """The shape of the older ``GET /api/clickup/tasks/``."""

    id: str
    name: str
    description: str
    status: LegacyStatusOut
    assignees: list[LegacyAssigneeOut]
    date_created: datetime | None
    date_updated: datetime | None

    @classmethod
    def of(cls, task: CachedTask) -> LegacyTaskOut:
        return cls(
            id=task.task_id,
            name=task.name,
            description=task.description,
            status=LegacyStatusOut(task.status, task.status_color),
            assignees=[
                LegacyAssigneeOut(a.get("id"), str(a.get("username") or "")) for a in task.assignees
            ],
            date_created=task.date_created,
            date_updated=task.date_updated,
        )


class SyncLogOut(msgspec.Struct):
    id: int
    status: str
    processed: int
    skipped: int
    removed: int
    created: int
    updated: int
    duration: float | None
    """Seconds."""
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, log: SyncLog) -> SyncLogOut:
        return cls(
            id=log.id or 0,
            status=log.status.value,
            processed=log.processed,
            skipped=log.skipped,
            removed=log.removed,
            created=log.created,
            updated=log.updated,
            duration=log.duration_s,
            error=log.error,
            created_at=log.created_at,
            started_at=log.started_at,
            finished_at=log.finished_at,
        )


class SyncStartedOut(msgspec.Struct):
    success: bool
    message: str
    log_id: int
    status: str


class ClickUpBulkImportIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``sync_settings``: read the configured list live (true) or import the cached tasks
    (false); ``delay_between_tasks`` in seconds between the starts of two tasks."""

    account_id: HuntflowId
    vacancy_id: HuntflowId
    sync_settings: bool = True
    delay_between_tasks: float = 8.0
    max_tasks: int = 100

    def command(self) -> ImportRequest:
        return ImportRequest(
            account_id=self.account_id,
            vacancy_id=self.vacancy_id,
            delay_s=self.delay_between_tasks,
            max_items=self.max_tasks,
            sync_settings=self.sync_settings,
        )
