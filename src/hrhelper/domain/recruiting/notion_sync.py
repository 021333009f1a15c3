"""The Notion sync job: the user's database into their page cache, incrementally.

- The query asks for pages edited on or after ``SyncWindow.start(watermark)``, ordered by
  creation time (a read that stays whole while pages are edited); the first sync reads all.
- A page's body (its blocks) is read only when ``SyncWindow.must_read`` says so: the page is
  new, its time moved, or its stored version may not be final yet. The fingerprint of
  properties and body then tells a real change from a page merely listed again.
- ``created`` counts pages new to the cache, ``updated`` cached pages that changed; pages
  listed again unchanged count only as ``processed``.
- The watermark moves only after a sync without errors, so a failed page is read again by
  the next sync. After a complete first read the cache mirrors the database: cached pages it
  no longer holds are dropped and counted as ``removed``.
- A sync job runs at most once per log: a redelivered job finds its log finished.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from hrhelper.domain.errors import DomainError, InvalidInput, NotFound
from hrhelper.domain.recruiting.notion import page_fingerprint
from hrhelper.domain.recruiting.notion_access import NotionAccess
from hrhelper.domain.recruiting.notion_model import NotionSettings, cached_page
from hrhelper.domain.recruiting.sync_log import SyncLog
from hrhelper.domain.recruiting.sync_window import Change, PageVersion, SyncWindow, classify
from hrhelper.ports.clock import Clock
from hrhelper.ports.notion import PAGE_SIZE_MAX, NotionPage, NotionSort, PageSource
from hrhelper.ports.notion_cache import NotionUnitOfWorkFactory

__all__ = ["SYNC_NOTION_JOB", "NotionSync"]

SYNC_NOTION_JOB = "sync_notion_pages"
_INTERNAL = "The sync stopped on an internal error; the worker's log has the details."
_BY_CREATION = (NotionSort("created_time"),)


@dataclass
class _Run:
    """What one sync has done so far."""

    log: SyncLog
    seen: set[str] = field(default_factory=set)
    times: list[datetime] = field(default_factory=list)
    error: str | None = None


class NotionSync:
    def __init__(
        self,
        uow_factory: NotionUnitOfWorkFactory,
        access: NotionAccess,
        clock: Clock,
        window: SyncWindow | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._access = access
        self._clock = clock
        self._window = window or SyncWindow()

    async def run(self, user_id: int, log_id: int) -> SyncLog:
        """The job: read what changed, store it, finish the log."""
        async with self._uow_factory() as uow:
            log = await uow.notion_sync_logs.get(user_id, log_id)
            settings = await uow.notion_settings.get(user_id)
        if log is None:
            raise NotFound("Notion sync log not found.", {"log_id": log_id})
        if log.status.finished:
            return log
        log = await self._save(log.restarted(self._clock.now()))
        try:
            finished = await self._read(user_id, settings, log)
        except Exception:
            await self._save(log.finish(self._clock.now(), _INTERNAL))
            raise
        return await self._save(finished)

    async def _read(self, user_id: int, settings: NotionSettings | None, log: SyncLog) -> SyncLog:
        try:
            if settings is None:
                raise InvalidInput("Notion settings are not set.")
            source = await self._access.source(user_id)
        except DomainError as failure:
            return log.finish(self._clock.now(), failure.message)
        run = _Run(log)
        since = self._window.start(settings.watermark)
        batch: list[NotionPage] = []
        try:
            async for page in source.iter_pages(
                settings.database_id, edited_on_or_after=since, sorts=_BY_CREATION
            ):
                batch.append(page)
                if len(batch) == PAGE_SIZE_MAX:
                    await self._store(source, user_id, run, batch)
                    batch = []
            await self._store(source, user_id, run, batch)
            complete = True
        except DomainError as failure:
            run.error = run.error or f"The database query: {failure.message}"
            complete = False
        if complete and run.error is None:
            await self._finish_read(settings, run, whole=since is None)
        return run.log.finish(self._clock.now(), run.error)

    async def _store(
        self, source: PageSource, user_id: int, run: _Run, pages: Sequence[NotionPage]
    ) -> None:
        if not pages:
            return
        async with self._uow_factory() as uow:
            known = await uow.notion_pages.known(user_id, [p.id for p in pages])
        changed, same = [], []
        now = self._clock.now()
        for page in pages:
            run.seen.add(page.id)
            run.times.append(page.last_edited_time)
            stored = known.get(page.id)
            version = stored.version if stored else None
            read_at = stored.synced_at if stored else None
            if not self._window.must_read(version, read_at, page.last_edited_time):
                continue
            try:
                content = await source.page_text(page.id)
            except DomainError as failure:
                run.error = run.error or f"Page {page.id}: {failure.message}"
                continue
            fingerprint = page_fingerprint(page, content)
            change = classify(version, PageVersion(page.last_edited_time, fingerprint))
            if change.counts:
                changed.append((cached_page(user_id, page, content, fingerprint, now), change))
            elif change is Change.SAME:
                same.append(page.id)
        async with self._uow_factory() as uow:
            for cached, _ in changed:
                await uow.notion_pages.upsert(cached)
            if same:
                await uow.notion_pages.confirm(user_id, same, now)
            await uow.commit()
        created = sum(1 for _, change in changed if change is Change.NEW)
        run.log = replace(
            run.log,
            processed=run.log.processed + len(pages),
            created=run.log.created + created,
            updated=run.log.updated + len(changed) - created,
        )

    async def _finish_read(self, settings: NotionSettings, run: _Run, *, whole: bool) -> None:
        """After a read without errors: move the watermark; after a whole read, also drop the
        cached pages the database no longer holds (archived, deleted or unshared)."""
        async with self._uow_factory() as uow:
            current = await uow.notion_settings.get(settings.user_id)
            if current is not None and current.database_id == settings.database_id:
                watermark = SyncWindow.advance(current.watermark, run.times)
                await uow.notion_settings.put(replace(current, watermark=watermark))
            if whole:
                stale = await uow.notion_pages.ids(settings.user_id) - run.seen
                if stale:
                    removed = await uow.notion_pages.remove(settings.user_id, sorted(stale))
                    run.log = replace(run.log, removed=removed)
            await uow.commit()

    async def _save(self, log: SyncLog) -> SyncLog:
        async with self._uow_factory() as uow:
            await uow.notion_sync_logs.save(log)
            await uow.commit()
        return log
