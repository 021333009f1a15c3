"""Notion pages as a source of candidate cards for bulk imports."""

from __future__ import annotations

from collections.abc import Sequence

from hrhelper.domain.recruiting.bulk_import_model import SourceItem
from hrhelper.domain.recruiting.card import CardSource
from hrhelper.domain.recruiting.notion_access import NotionAccess
from hrhelper.domain.recruiting.notion_model import PageListQuery
from hrhelper.domain.recruiting.notion_service import NotionService
from hrhelper.ports.bulk_imports import ImportSource, SourceCard

__all__ = ["NotionPages"]

_PAGE = 100


class NotionPages(ImportSource):
    """The user's cached Notion pages, each read fresh from Notion when its turn comes.

    - Notion pages are imported from the cache the syncs keep: with ``live`` (the request's
      ``sync_settings``) the pages of the configured database, otherwise every cached page;
      newest edited first.
    - A page is not marked in Notion after its transfer; the transfer ledger remembers it.
    """

    kind = CardSource.NOTION.value

    def __init__(self, notion: NotionService, access: NotionAccess) -> None:
        self._notion = notion
        self._access = access

    async def check(self, user_id: int) -> None:
        await self._access.source(user_id)
        await self._notion.configured(user_id)

    async def items(self, user_id: int, limit: int, *, live: bool) -> Sequence[SourceItem]:
        parent = (await self._notion.configured(user_id)).database_id if live else None
        found: list[SourceItem] = []
        while len(found) < limit:
            size = min(_PAGE, limit - len(found))
            query = PageListQuery(parent_id=parent, offset=len(found), limit=size)
            _, pages = await self._notion.pages(user_id, query)
            found.extend(SourceItem(page.page_id, page.title) for page in pages)
            if len(pages) < size:
                break
        return found

    async def card(self, user_id: int, item_id: str) -> SourceCard:
        fresh = await self._access.card(user_id, item_id)
        return SourceCard(fresh.card, fresh.files)

    async def mark_transferred(self, user_id: int, item_id: str) -> None:
        return None
