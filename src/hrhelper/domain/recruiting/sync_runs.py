"""Queueing the syncs of a user's cached source (ClickUp, Notion): by hand, or by the
scheduler's sweep for users whose ``auto_sync`` interval has passed.

A sync is a ``pending`` log plus a job carrying its id, enqueued only once the log is
committed; the source's own job then runs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from hrhelper.domain.recruiting.sync_log import SyncLog, SyncStatus
from hrhelper.ports.jobs import JobQueue
from hrhelper.ports.sync_logs import SyncLogRepository
from hrhelper.ports.transaction import Transaction

__all__ = ["AutoSynced", "auto_sync_due", "queue_due_syncs", "queue_sync"]


def auto_sync_due(settings: AutoSynced, now: datetime) -> bool:
    """Whether the sweep should queue a sync of these settings' user at ``now``."""
    if not settings.auto_sync:
        return False
    last = settings.last_auto_sync_at
    return last is None or last + timedelta(minutes=settings.sync_interval) <= now


class AutoSynced(Protocol):
    """Sync settings of one user, as the sweep sees them (frozen dataclasses)."""

    @property
    def user_id(self) -> int: ...
    @property
    def auto_sync(self) -> bool: ...
    @property
    def sync_interval(self) -> int:
        """Minutes between automatic syncs."""
        ...

    @property
    def last_auto_sync_at(self) -> datetime | None: ...


S = TypeVar("S", bound=AutoSynced)


class _SettingsStore(Protocol[S]):
    async def put(self, settings: S) -> None: ...

    async def auto_synced(self) -> Sequence[S]: ...


async def queue_sync(
    uow: Transaction,
    logs: SyncLogRepository,
    jobs: JobQueue,
    job: str,
    user_id: int,
    now: datetime,
) -> SyncLog:
    """Add a ``pending`` log; its job is enqueued after the caller commits."""
    log = await logs.add(SyncLog(user_id=user_id, status=SyncStatus.PENDING, created_at=now))
    payload = {"log_id": log.id, "user_id": user_id}
    uow.after_commit(lambda: jobs.enqueue(job, payload))
    return log


async def queue_due_syncs(
    uow: Transaction,
    settings: _SettingsStore[S],
    logs: SyncLogRepository,
    jobs: JobQueue,
    job: str,
    now: datetime,
) -> int:
    """Queue a sync for each user whose interval has passed, noting when; the caller
    commits."""
    due = [s for s in await settings.auto_synced() if auto_sync_due(s, now)]
    for one in due:
        await settings.put(replace(one, last_auto_sync_at=now))  # type: ignore[type-var]
        await queue_sync(uow, logs, jobs, job, one.user_id, now)
    return len(due)
