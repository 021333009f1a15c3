"""ClickUp tasks as a source of candidate cards: one task's transfer into Huntflow, and the
``ImportSource`` a bulk import reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.recruiting.bulk_import_model import SourceItem
from hrhelper.domain.recruiting.card import CardSource
from hrhelper.domain.recruiting.clickup import card_from_task
from hrhelper.domain.recruiting.clickup_model import HUNTFLOW_TAG, TaskListQuery
from hrhelper.domain.recruiting.clickup_sync import ClickUpService
from hrhelper.domain.recruiting.transfer import TransferResult, TransferService
from hrhelper.ports.bulk_imports import ImportSource, SourceCard
from hrhelper.ports.clickup import TaskQuery, TaskSource
from hrhelper.ports.clickup_cache import ClickUpUnitOfWorkFactory

__all__ = ["ClickUpCards"]

_CACHE_PAGE = 100


class ClickUpCards(ImportSource):
    """The user's ClickUp tasks as cards, read with the user's own key.

    - ``transfer``: the task, fresh from ClickUp with its files and comments, goes through
      the exactly-once transfer; then it gets the ``huntflow`` tag in ClickUp and in the
      cached copy.
    - As an import source it lists the configured list live (closed tasks too) or the
      cached tasks, newest changed first.
    """

    kind = CardSource.CLICKUP.value

    def __init__(
        self,
        clickup: ClickUpService,
        uow_factory: ClickUpUnitOfWorkFactory,
        transfers: TransferService,
    ) -> None:
        self._clickup = clickup
        self._uow_factory = uow_factory
        self._transfers = transfers
        self._sources: dict[int, TaskSource] = {}

    async def _source(self, user_id: int) -> TaskSource:
        """The user's ClickUp, opened once per instance (one request or one import run)."""
        if user_id not in self._sources:
            self._sources[user_id] = await self._clickup.source(user_id)
        return self._sources[user_id]

    async def transfer(
        self, user_id: int, task_id: str, account_id: int, vacancy_id: int
    ) -> TransferResult:
        fresh = await self.card(user_id, task_id)
        result = await self._transfers.transfer(user_id, fresh.card, account_id, vacancy_id)
        await self.mark_transferred(user_id, task_id)
        return result

    async def check(self, user_id: int) -> None:
        await self._clickup.source(user_id)
        if await self._clickup.settings(user_id) is None:
            raise InvalidInput.for_fields(
                {
                    "list_id": [
                        "Save the ClickUp settings first: POST /api/v1/clickup-int/settings/."
                    ]
                },
                "ClickUp settings are not set.",
            )

    async def items(self, user_id: int, limit: int, *, live: bool) -> Sequence[SourceItem]:
        if not live:
            return await self._cached(user_id, limit)
        settings = await self._clickup.settings(user_id)
        if settings is None:
            raise InvalidInput("ClickUp settings are not set.")
        source = await self._source(user_id)
        tasks = await source.tasks(settings.list_id, TaskQuery(include_closed=True), limit=limit)
        return [SourceItem(task.id, task.name) for task in tasks]

    async def _cached(self, user_id: int, limit: int) -> list[SourceItem]:
        found: list[SourceItem] = []
        while len(found) < limit:
            query = TaskListQuery(offset=len(found), limit=min(_CACHE_PAGE, limit - len(found)))
            _, tasks = await self._clickup.tasks(user_id, query)
            found.extend(SourceItem(task.task_id, task.name) for task in tasks)
            if len(tasks) < query.limit:
                break
        return found

    async def card(self, user_id: int, item_id: str) -> SourceCard:
        source = await self._source(user_id)
        task = await source.task(item_id)
        return SourceCard(card_from_task(task, await source.comments(item_id)))

    async def mark_transferred(self, user_id: int, item_id: str) -> None:
        source = await self._source(user_id)
        await source.add_tag(item_id, HUNTFLOW_TAG)
        async with self._uow_factory() as uow:
            cached = await uow.clickup_tasks.get(user_id, item_id)
            if cached is not None and HUNTFLOW_TAG not in cached.tags:
                tags = [*cached.tags, HUNTFLOW_TAG]
                await uow.clickup_tasks.upsert(replace(cached, tags=tags))
                await uow.commit()
