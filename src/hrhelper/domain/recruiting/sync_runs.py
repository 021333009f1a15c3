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
from typing import Generic, Protocol, TypeVar

from hrhelper.domain.errors import OutsideServiceUnavailable
from hrhelper.domain.recruiting.sync_log import SyncLog, SyncStatus
from hrhelper.ports.clock import Clock
from hrhelper.ports.jobs import JobQueue
from hrhelper.ports.sync_logs import SyncLogRepository
from hrhelper.ports.transaction import Transaction

__all__ = ["QUEUE_UNAVAILABLE", "AutoSynced", "SyncRuns", "auto_sync_due"]

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


U = TypeVar("U", bound=Transaction)


class SyncRuns(Generic[U, S]):
    """Queueing one source's syncs: ``logs_of`` and ``settings_of`` pick that source's stores
    from its unit of work, ``job`` names the job that runs a log."""

    def __init__(
        self,
        uow_factory: Callable[[], U],
        logs_of: Callable[[U], SyncLogRepository],
        settings_of: Callable[[U], _SettingsStore[S]],
        jobs: JobQueue,
        job: str,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._logs_of = logs_of
        self._settings_of = settings_of
        self._jobs = jobs
        self._job = job
        self._clock = clock

    async def start(self, user_id: int) -> SyncLog:
        """Queue a sync by hand; answers its log (``pending``), or raises a 503 when the
        queue refused its job (the log then says so)."""
        async with self._uow_factory() as uow:
            log = await self._pending(uow, user_id)
            await uow.commit()
        if await self._dispatch([log]):
            raise OutsideServiceUnavailable(QUEUE_UNAVAILABLE)
        return log

    async def start_due(self) -> int:
        """Queue a sync for each user whose ``auto_sync`` interval has passed, noting when;
        answers how many were queued."""
        now = self._clock.now()
        async with self._uow_factory() as uow:
            settings = self._settings_of(uow)
            due = [s for s in await settings.auto_synced() if auto_sync_due(s, now)]
            logs = []
            for one in due:
                await settings.put(replace(one, last_auto_sync_at=now))  # type: ignore[type-var]
                logs.append(await self._pending(uow, one.user_id))
            await uow.commit()
        return len(logs) - len(await self._dispatch(logs))

    async def _pending(self, uow: U, user_id: int) -> SyncLog:
        log = SyncLog(user_id=user_id, status=SyncStatus.PENDING, created_at=self._clock.now())
        return await self._logs_of(uow).add(log)

    async def _dispatch(self, logs: Sequence[SyncLog]) -> list[SyncLog]:
        """Enqueue the job of each committed pending log. Those whose job could not be queued
        are ended in error (``QUEUE_UNAVAILABLE``) and answered."""
        now = self._clock.now()
        failed = []
        for log in logs:
            try:
                await self._jobs.enqueue(self._job, {"log_id": log.id, "user_id": log.user_id})
            except OutsideServiceUnavailable:
                failed.append(
                    replace(log, status=SyncStatus.ERROR, finished_at=now, error=QUEUE_UNAVAILABLE)
                )
        if failed:
            async with self._uow_factory() as uow:
                for log in failed:
                    await self._logs_of(uow).save(log)
                await uow.commit()
        return failed
