"""A user's Notion: settings, the connection test, syncs of the cached pages, browsing them,
and a page's transfer into Huntflow.

Everything is per user: the token is the user's own Notion integration token (stored
encrypted) and every read and write is scoped to the user, so another user's pages and logs
are simply not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from hrhelper.domain.errors import InvalidInput, NotFound
from hrhelper.domain.recruiting.notion import notion_id
from hrhelper.domain.recruiting.notion_access import NotionAccess
from hrhelper.domain.recruiting.notion_model import CachedPage, NotionSettings, PageListQuery
from hrhelper.domain.recruiting.notion_sync import SYNC_NOTION_JOB
from hrhelper.domain.recruiting.sync_log import SyncLog
from hrhelper.domain.recruiting.sync_runs import SyncRuns
from hrhelper.domain.recruiting.transfer import TransferResult, TransferService
from hrhelper.ports.clock import Clock
from hrhelper.ports.jobs import JobQueue
from hrhelper.ports.notion import NotionBot
from hrhelper.ports.notion_cache import NotionUnitOfWorkFactory

__all__ = ["MAX_INTERVAL", "MIN_INTERVAL", "NotionService", "NotionSettingsInput"]

MIN_INTERVAL, MAX_INTERVAL = 5, 24 * 60
_NO_SETTINGS = "Not set: save it with POST /api/v1/notion-int/settings/."


@dataclass(frozen=True)
class NotionSettingsInput:
    database_id: str = ""
    """The database's id or its link, as copied from Notion."""
    auto_sync: bool = False
    sync_interval: int = 60


class NotionService:
    """The Notion integration of one user at a time.

    - Saving settings for another database starts the next sync from scratch (no watermark).
    - A sync is queued with a ``pending`` log and run by ``NotionSync`` in the worker.
    - A transfer reads the page fresh from Notion (properties, body, files) and hands its card
      to the exactly-once ``TransferService``.
    """

    def __init__(
        self,
        uow_factory: NotionUnitOfWorkFactory,
        access: NotionAccess,
        transfers: TransferService,
        jobs: JobQueue,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._access = access
        self._transfers = transfers
        self._jobs = jobs
        self._clock = clock
        self._syncs = SyncRuns(
            uow_factory,
            lambda uow: uow.notion_sync_logs,
            lambda uow: uow.notion_settings,
            jobs,
            SYNC_NOTION_JOB,
            clock,
        )

    # -- settings -------------------------------------------------------------------------

    async def settings(self, user_id: int) -> NotionSettings | None:
        async with self._uow_factory() as uow:
            return await uow.notion_settings.get(user_id)

    async def save_settings(self, user_id: int, values: NotionSettingsInput) -> NotionSettings:
        errors: dict[str, list[str]] = {}
        if not values.database_id.strip():
            errors["database_id"] = ["This field is required."]
        if not MIN_INTERVAL <= values.sync_interval <= MAX_INTERVAL:
            errors["sync_interval"] = [f"Minutes from {MIN_INTERVAL} to {MAX_INTERVAL}."]
        if errors:
            raise InvalidInput.for_fields(errors, "The Notion settings are incomplete.")
        database_id = notion_id(values.database_id.strip(), "database_id")
        async with self._uow_factory() as uow:
            previous = await uow.notion_settings.get(user_id)
            same = previous is not None and previous.database_id == database_id
            saved = NotionSettings(
                user_id=user_id,
                database_id=database_id,
                auto_sync=values.auto_sync,
                sync_interval=values.sync_interval,
                updated_at=self._clock.now(),
                last_auto_sync_at=previous.last_auto_sync_at if previous else None,
                watermark=previous.watermark if previous and same else None,
            )
            await uow.notion_settings.put(saved)
            await uow.commit()
        return saved

    async def test_connection(self, user_id: int) -> NotionBot:
        """The integration behind the user's token, once the configured database has been
        read with it (a database not shared with the integration is a 404 saying so)."""
        settings = await self.configured(user_id)
        source = await self._access.source(user_id)
        bot = await source.whoami()
        await source.query_pages(settings.database_id, page_size=1)
        return bot

    # -- syncs ----------------------------------------------------------------------------

    async def start_sync(self, user_id: int) -> SyncLog:
        """Queue a sync; answers its log (``pending``)."""
        await self.configured(user_id)
        await self._access.source(user_id)  # a missing token is the caller's to fix, now
        return await self._syncs.start(user_id)

    async def queue_due_syncs(self) -> int:
        """Queue a sync for each user whose ``auto_sync`` interval has passed."""
        return await self._syncs.start_due()

    async def sync_logs(
        self, user_id: int, offset: int, limit: int
    ) -> tuple[int, Sequence[SyncLog]]:
        async with self._uow_factory() as uow:
            return await uow.notion_sync_logs.list(user_id, offset, limit)

    # -- the cache ------------------------------------------------------------------------

    async def pages(self, user_id: int, query: PageListQuery) -> tuple[int, Sequence[CachedPage]]:
        async with self._uow_factory() as uow:
            return await uow.notion_pages.list(user_id, query)

    async def page(self, user_id: int, page_id: str) -> CachedPage:
        async with self._uow_factory() as uow:
            page = await uow.notion_pages.get(user_id, page_id)
        if page is None:
            raise NotFound("Notion page not found in your cache.", {"page_id": page_id})
        return page

    async def clear_cache(self, user_id: int) -> int:
        """Drop the cached pages; the next sync reads the whole database again."""
        async with self._uow_factory() as uow:
            deleted = await uow.notion_pages.clear(user_id)
            settings = await uow.notion_settings.get(user_id)
            if settings is not None:
                await uow.notion_settings.put(replace(settings, watermark=None))
            await uow.commit()
        return deleted

    # -- transfer -------------------------------------------------------------------------

    async def transfer(
        self, user_id: int, page_id: str, account_id: int, vacancy_id: int
    ) -> TransferResult:
        """The cached page ``page_id``, as Notion has it now, into Huntflow on the vacancy."""
        fresh = await self._access.card(user_id, page_id)
        return await self._transfers.transfer(
            user_id, fresh.card, account_id, vacancy_id, files=fresh.files
        )

    async def configured(self, user_id: int) -> NotionSettings:
        """The user's settings; InvalidInput naming what to set when there are none."""
        settings = await self.settings(user_id)
        if settings is None:
            raise InvalidInput.for_fields(
                {"database_id": [_NO_SETTINGS]},
                "Notion settings are not set: database_id is missing.",
            )
        return settings
