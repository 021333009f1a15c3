"""Queueing the syncs of a user's cached source (ClickUp, Notion): by hand, or by the
scheduler's sweep for users whose ``auto_sync`` interval has passed.

A sync is a ``pending`` log plus a job carrying its id, enqueued only once the log is
committed; the source's own job then runs it. A job that cannot be queued (Redis down) ends
its log in error at once: a log must never stay ``pending`` with no job behind it, and the
caller of a sync by hand gets a 503 to try again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from hrhelper.domain.errors import OutsideServiceUnavailable
from hrhelper.domain.recruiting.sync_log import SyncLog, SyncStatus
from hrhelper.ports.jobs import JobQueue
from hrhelper.ports.sync_logs import SyncLogRepository
from hrhelper.ports.transaction import Transaction

__all__ = [
    "QUEUE_UNAVAILABLE",
    "AutoSynced",
    "auto_sync_due",
    "dispatch",
    "queue_due_syncs",
    "queue_sync",
]

QUEUE_UNAVAILABLE = "The job queue was unavailable, so this sync never started; start it again."


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


async def queue_sync(logs: SyncLogRepository, user_id: int, now: datetime) -> SyncLog:
    """Add a ``pending`` log; ``dispatch`` it once the caller has committed."""
    return await logs.add(SyncLog(user_id=user_id, status=SyncStatus.PENDING, created_at=now))


async def queue_due_syncs(
    settings: _SettingsStore[S], logs: SyncLogRepository, now: datetime
) -> list[SyncLog]:
    """A pending log for each user whose interval has passed, noting when; the caller commits,
    then dispatches them."""
    due = [s for s in await settings.auto_synced() if auto_sync_due(s, now)]
    queued = []
    for one in due:
        await settings.put(replace(one, last_auto_sync_at=now))  # type: ignore[type-var]
        queued.append(await queue_sync(logs, one.user_id, now))
    return queued


U = TypeVar("U", bound=Transaction)


async def dispatch(
    uow_factory: Callable[[], U],
    logs_of: Callable[[U], SyncLogRepository],
    jobs: JobQueue,
    job: str,
    logs: Sequence[SyncLog],
    now: datetime,
) -> list[SyncLog]:
    """Enqueue the job of each committed pending log. Those whose job could not be queued are
    ended in error (``QUEUE_UNAVAILABLE``) and answered."""
    failed = []
    for log in logs:
        try:
            await jobs.enqueue(job, {"log_id": log.id, "user_id": log.user_id})
        except OutsideServiceUnavailable:
            failed.append(
                replace(log, status=SyncStatus.ERROR, finished_at=now, error=QUEUE_UNAVAILABLE)
            )
    if failed:
        async with uow_factory() as uow:
            for log in failed:
                await logs_of(uow).save(log)
            await uow.commit()
    return failed
