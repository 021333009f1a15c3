"""Where the ClickUp settings, cached tasks and sync logs of each user are kept.

Every method is scoped to one user: another user's rows are never seen. Transactional like
every repository: nothing is kept until the unit of work commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from hrhelper.domain.recruiting.clickup_model import CachedTask, ClickUpSettings, TaskListQuery
from hrhelper.ports.clickup import TaskSource
from hrhelper.ports.identity import CredentialRepository
from hrhelper.ports.sync_logs import SyncLogRepository
from hrhelper.ports.transaction import Transaction

__all__ = [
    "ClickUpSettingsRepository",
    "ClickUpTaskRepository",
    "ClickUpUnitOfWork",
    "ClickUpUnitOfWorkFactory",
    "SyncLogRepository",
    "TaskSourceFactory",
]

TaskSourceFactory = Callable[[str], TaskSource]
"""A ``TaskSource`` talking with the given user token."""


class ClickUpSettingsRepository(Protocol):
    async def get(self, user_id: int) -> ClickUpSettings | None: ...

    async def put(self, settings: ClickUpSettings) -> None:
        """Create or replace the user's settings."""
        ...

    async def auto_synced(self) -> Sequence[ClickUpSettings]:
        """Settings of every user with ``auto_sync`` on."""
        ...


class ClickUpTaskRepository(Protocol):
    async def versions(self, user_id: int, task_ids: Sequence[str]) -> dict[str, datetime | None]:
        """``date_updated`` of those of ``task_ids`` already cached; one query."""
        ...

    async def upsert(self, task: CachedTask) -> None:
        """Store the task by (user, task id), replacing what was cached."""
        ...

    async def ids(self, user_id: int) -> set[str]:
        """The task ids cached for the user."""
        ...

    async def remove(self, user_id: int, task_ids: Sequence[str]) -> int:
        """Drop those of the user's cached tasks; answers how many were there."""
        ...

    async def clear(self, user_id: int) -> int:
        """Drop every cached task of the user; answers how many."""
        ...

    async def list(self, user_id: int, query: TaskListQuery) -> tuple[int, Sequence[CachedTask]]:
        """The total matching ``query`` and one page of them; two queries whatever the page.
        ``search`` looks in the name, ignoring case; ties of the sort go by task id."""
        ...

    async def get(self, user_id: int, task_id: str) -> CachedTask | None: ...


class ClickUpUnitOfWork(Transaction, Protocol):
    """The part of the unit of work the ClickUp service needs."""

    credentials: CredentialRepository
    clickup_settings: ClickUpSettingsRepository
    clickup_tasks: ClickUpTaskRepository
    clickup_sync_logs: SyncLogRepository


ClickUpUnitOfWorkFactory = Callable[[], ClickUpUnitOfWork]
