"""In-memory Notion settings and cached pages over a MemoryUnitOfWork's tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hrhelper.adapters.persistence.memory.identity import next_id
from hrhelper.domain.recruiting.notion_model import CachedPage, NotionSettings, PageListQuery
from hrhelper.ports.notion_cache import NotionPageRepository, NotionSettingsRepository

__all__ = ["MemoryNotionPageRepository", "MemoryNotionSettingsRepository"]


class MemoryNotionSettingsRepository(NotionSettingsRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._rows: dict[int, NotionSettings] = tables["notion_settings"]

    async def get(self, user_id: int) -> NotionSettings | None:
        return self._rows.get(user_id)

    async def put(self, settings: NotionSettings) -> None:
        self._rows[settings.user_id] = settings

    async def auto_synced(self) -> Sequence[NotionSettings]:
        return [row for row in self._rows.values() if row.auto_sync]


class MemoryNotionPageRepository(NotionPageRepository):
    """Rows keyed by (user id, page id) in ``tables["notion_pages"]``."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._rows: dict[tuple[int, str], CachedPage] = tables["notion_pages"]

    async def known(self, user_id: int, page_ids: Sequence[str]) -> dict[str, CachedPage]:
        rows = (self._rows.get((user_id, page_id)) for page_id in page_ids)
        return {row.page_id: dataclasses.replace(row, content="") for row in rows if row}

    async def upsert(self, page: CachedPage) -> None:
        key = (page.user_id, page.page_id)
        old = self._rows.get(key)
        row_id = old.id if old else next_id(self._tables, "notion_pages")
        self._rows[key] = dataclasses.replace(
            page,
            id=row_id,
            properties=dict(page.properties),
            files=[dict(f) for f in page.files],
        )

    async def confirm(self, user_id: int, page_ids: Sequence[str], at: datetime) -> None:
        for page_id in set(page_ids):
            row = self._rows.get((user_id, page_id))
            if row is not None:
                self._rows[(user_id, page_id)] = dataclasses.replace(row, synced_at=at)

    async def ids(self, user_id: int) -> set[str]:
        return {page_id for owner, page_id in self._rows if owner == user_id}

    async def remove(self, user_id: int, page_ids: Sequence[str]) -> int:
        found = [key for key in ((user_id, p) for p in set(page_ids)) if key in self._rows]
        for key in found:
            del self._rows[key]
        return len(found)

    async def clear(self, user_id: int) -> int:
        return await self.remove(user_id, sorted(await self.ids(user_id)))

    async def list(self, user_id: int, query: PageListQuery) -> tuple[int, Sequence[CachedPage]]:
        rows = [row for row in self._rows.values() if _matches(row, user_id, query)]
        rows.sort(key=lambda row: row.page_id)
        rows.sort(key=lambda row: getattr(row, query.sort_field), reverse=query.descending)
        return len(rows), rows[query.offset : query.offset + query.limit]

    async def get(self, user_id: int, page_id: str) -> CachedPage | None:
        return self._rows.get((user_id, page_id))


def _matches(row: CachedPage, user_id: int, query: PageListQuery) -> bool:
    return (
        row.user_id == user_id
        and query.search.casefold() in row.title.casefold()
        and (query.parent_id is None or row.parent_id == query.parent_id)
    )
