"""A user's ClickUp: settings, browsing the hierarchy, and the cached copy of the candidates'
list kept fresh by syncs.

Everything is per user: the token is the user's own ClickUp key (stored encrypted) and every
read and write is scoped to the user, so another user's tasks and logs are simply not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from hrhelper.domain.errors import DomainError, InvalidInput, NotFound
from hrhelper.domain.identity.model import CredentialKind
from hrhelper.domain.recruiting.clickup_model import (
    CachedTask,
    ClickUpSettings,
    HuntflowFilter,
    SyncLog,
    TaskListQuery,
    cached_task,
)
from hrhelper.domain.recruiting.sync_runs import SyncRuns
from hrhelper.ports.clickup import (
    Task,
    TaskFolder,
    TaskList,
    TaskQuery,
    TaskSource,
    TaskSpace,
    TaskTeam,
)
from hrhelper.ports.clickup_cache import (
    ClickUpUnitOfWorkFactory,
    TaskSourceFactory,
)
from hrhelper.ports.clock import Clock
from hrhelper.ports.jobs import JobQueue
from hrhelper.ports.security import SecretBox

__all__ = ["SYNC_CLICKUP_JOB", "ClickUpService", "SettingsInput"]

SYNC_CLICKUP_JOB = "sync_clickup_tasks"
MIN_INTERVAL, MAX_INTERVAL = 5, 24 * 60
_MAX_PAGES = 1000
_NO_KEY = (
    "Set your ClickUp API key first: PATCH /api/users/{id}/ with clickup_api_key "
    "(ClickUp → Settings → Apps → API Token)."
)
_INTERNAL = "The sync stopped on an internal error; the worker's log has the details."
_NO_SETTINGS = "Not set: save it with POST /api/v1/clickup-int/settings/."


@dataclass(frozen=True)
class SettingsInput:
    team_id: str = ""
    space_id: str = ""
    list_id: str = ""
    folder_id: str | None = None
    auto_sync: bool = False
    sync_interval: int = 60
    huntflow_filter: HuntflowFilter = HuntflowFilter.ALL


class ClickUpService:
    """The ClickUp integration of one user at a time.

    - A sync reads the configured list page by page (closed tasks too), keeps the tasks the
      ``huntflow_filter`` lets through and stores them by task id. A new or changed task is
      read once more on its own, for its attachments. A page or task that cannot be read ends
      the log as ``partial`` (or ``error`` when nothing was stored); the rest is kept.
    - ``created`` counts tasks new to the cache, ``updated`` cached tasks that changed in
      ClickUp; unchanged tasks count only as ``processed``.
    - After a complete read without errors the cache mirrors the list: cached tasks it no
      longer holds (or that the filter now leaves out) are dropped and counted as ``removed``.
    - A sync job runs at most once per log: a redelivered job finds its log finished.
    """

    def __init__(
        self,
        uow_factory: ClickUpUnitOfWorkFactory,
        sources: TaskSourceFactory,
        box: SecretBox,
        jobs: JobQueue,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._sources = sources
        self._box = box
        self._jobs = jobs
        self._clock = clock
        self._syncs = SyncRuns(
            uow_factory,
            lambda uow: uow.clickup_sync_logs,
            lambda uow: uow.clickup_settings,
            jobs,
            SYNC_CLICKUP_JOB,
            clock,
        )

    # -- settings and the hierarchy -------------------------------------------------------

    async def settings(self, user_id: int) -> ClickUpSettings | None:
        async with self._uow_factory() as uow:
            return await uow.clickup_settings.get(user_id)

    async def save_settings(self, user_id: int, values: SettingsInput) -> ClickUpSettings:
        errors = {
            name: ["This field is required."]
            for name in ("team_id", "space_id", "list_id")
            if not getattr(values, name).strip()
        }
        if not MIN_INTERVAL <= values.sync_interval <= MAX_INTERVAL:
            errors["sync_interval"] = [f"Minutes from {MIN_INTERVAL} to {MAX_INTERVAL}."]
        if errors:
            raise InvalidInput.for_fields(errors, "The ClickUp settings are incomplete.")
        async with self._uow_factory() as uow:
            previous = await uow.clickup_settings.get(user_id)
            saved = ClickUpSettings(
                user_id=user_id,
                team_id=values.team_id.strip(),
                space_id=values.space_id.strip(),
                list_id=values.list_id.strip(),
                folder_id=(values.folder_id or "").strip() or None,
                auto_sync=values.auto_sync,
                sync_interval=values.sync_interval,
                huntflow_filter=values.huntflow_filter,
                updated_at=self._clock.now(),
                last_auto_sync_at=previous.last_auto_sync_at if previous else None,
            )
            await uow.clickup_settings.put(saved)
            await uow.commit()
        return saved

    async def teams(self, user_id: int) -> list[TaskTeam]:
        """The workspaces the user's key can see; also the connection test."""
        return await (await self.source(user_id)).teams()

    async def spaces(self, user_id: int, team_id: str) -> list[TaskSpace]:
        return await (await self.source(user_id)).spaces(_required("team_id", team_id))

    async def folders(self, user_id: int, space_id: str) -> list[TaskFolder]:
        return await (await self.source(user_id)).folders(_required("space_id", space_id))

    async def lists(self, user_id: int, folder_id: str, space_id: str) -> list[TaskList]:
        """The lists of a folder, or the folderless lists of a space."""
        if folder_id.strip():
            return await (await self.source(user_id)).lists(folder_id.strip())
        if space_id.strip():
            return await (await self.source(user_id)).folderless_lists(space_id.strip())
        raise InvalidInput.for_fields(
            {"folder_id": ["Give folder_id or space_id."]}, "Give folder_id or space_id."
        )

    async def source(self, user_id: int) -> TaskSource:
        """ClickUp with the user's own key."""
        async with self._uow_factory() as uow:
            stored = (await uow.credentials.of([user_id])).get(user_id, {})
        credential = stored.get(CredentialKind.CLICKUP_API_KEY)
        if credential is None:
            raise InvalidInput.for_fields({"clickup_api_key": [_NO_KEY]}, "No ClickUp API key.")
        return self._sources(self._box.open(credential.ciphertext))

    # -- syncs ----------------------------------------------------------------------------

    async def start_sync(self, user_id: int) -> SyncLog:
        """Queue a sync; answers its log (``pending``)."""
        settings = await self.settings(user_id)
        if settings is None:
            raise InvalidInput.for_fields(
                {name: [_NO_SETTINGS] for name in ("team_id", "space_id", "list_id")},
                "ClickUp settings are not set: team_id, space_id and list_id are missing.",
            )
        await self.source(user_id)  # a missing key is the caller's to fix, now
        return await self._syncs.start(user_id)

    async def queue_due_syncs(self) -> int:
        """Queue a sync for each user whose ``auto_sync`` interval has passed."""
        return await self._syncs.start_due()

    async def run_sync(self, user_id: int, log_id: int) -> SyncLog:
        """The sync job: read the list, store what the filter keeps, finish the log."""
        async with self._uow_factory() as uow:
            log = await uow.clickup_sync_logs.get(user_id, log_id)
            settings = await uow.clickup_settings.get(user_id)
        if log is None:
            raise NotFound("ClickUp sync log not found.", {"log_id": log_id})
        if log.status.finished:
            return log
        log = await self._save(log.restarted(self._clock.now()))
        try:
            finished = await self._read_list(user_id, settings, log)
        except Exception:
            await self._save(log.finish(self._clock.now(), _INTERNAL))
            raise
        return await self._save(finished)

    async def _read_list(
        self, user_id: int, settings: ClickUpSettings | None, log: SyncLog
    ) -> SyncLog:
        try:
            if settings is None:
                raise InvalidInput("ClickUp settings are not set.")
            source = await self.source(user_id)
        except DomainError as failure:
            return log.finish(self._clock.now(), failure.message)
        error: str | None = None
        complete = False
        seen: set[str] = set()
        for page in range(_MAX_PAGES):
            try:
                result = await source.task_page(settings.list_id, page, _ALL_TASKS)
            except DomainError as failure:
                error = f"Page {page + 1} of the list: {failure.message}"
                break
            seen.update(t.id for t in result.tasks if settings.huntflow_filter.keeps(t))
            log, task_error = await self._store(source, settings, log, result.tasks)
            error = error or task_error
            if result.last_page:
                complete = True
                break
        if complete and error is None:
            log = replace(log, removed=await self._drop_all_but(user_id, seen))
        return log.finish(self._clock.now(), error)

    async def _drop_all_but(self, user_id: int, seen: set[str]) -> int:
        """After a complete read: the cache mirrors the list as the filter sees it."""
        async with self._uow_factory() as uow:
            stale = await uow.clickup_tasks.ids(user_id) - seen
            removed = await uow.clickup_tasks.remove(user_id, sorted(stale)) if stale else 0
            await uow.commit()
        return removed

    async def _store(
        self, source: TaskSource, settings: ClickUpSettings, log: SyncLog, tasks: Sequence[Task]
    ) -> tuple[SyncLog, str | None]:
        kept = [task for task in tasks if settings.huntflow_filter.keeps(task)]
        async with self._uow_factory() as uow:
            known = await uow.clickup_tasks.versions(settings.user_id, [t.id for t in kept])
        error: str | None = None
        fresh: list[Task] = []
        for task in kept:
            if task.id in known and known[task.id] == task.updated_at:
                continue  # unchanged: the cached copy (with its files) stands
            try:
                fresh.append(await source.task(task.id))
            except DomainError as failure:
                error = error or f"Task {task.id}: {failure.message}"
        now = self._clock.now()
        async with self._uow_factory() as uow:
            for task in fresh:
                await uow.clickup_tasks.upsert(cached_task(settings.user_id, task, now))
            await uow.commit()
        created = sum(1 for task in fresh if task.id not in known)
        log = replace(
            log,
            processed=log.processed + len(tasks),
            skipped=log.skipped + len(tasks) - len(kept),
            created=log.created + created,
            updated=log.updated + len(fresh) - created,
        )
        return log, error

    async def _save(self, log: SyncLog) -> SyncLog:
        async with self._uow_factory() as uow:
            await uow.clickup_sync_logs.save(log)
            await uow.commit()
        return log

    # -- the cache ------------------------------------------------------------------------

    async def tasks(self, user_id: int, query: TaskListQuery) -> tuple[int, Sequence[CachedTask]]:
        async with self._uow_factory() as uow:
            return await uow.clickup_tasks.list(user_id, query)

    async def task(self, user_id: int, task_id: str) -> CachedTask:
        async with self._uow_factory() as uow:
            task = await uow.clickup_tasks.get(user_id, task_id)
        if task is None:
            raise NotFound("ClickUp task not found in your cache.", {"task_id": task_id})
        return task

    async def clear_cache(self, user_id: int) -> int:
        async with self._uow_factory() as uow:
            deleted = await uow.clickup_tasks.clear(user_id)
            await uow.commit()
        return deleted

    async def sync_logs(
        self, user_id: int, offset: int, limit: int
    ) -> tuple[int, Sequence[SyncLog]]:
        async with self._uow_factory() as uow:
            return await uow.clickup_sync_logs.list(user_id, offset, limit)


_ALL_TASKS = TaskQuery(include_closed=True)


def _required(name: str, value: str) -> str:
    if not value.strip():
        raise InvalidInput.for_fields({name: ["This parameter is required."]}, f"Give {name}.")
    return value.strip()
