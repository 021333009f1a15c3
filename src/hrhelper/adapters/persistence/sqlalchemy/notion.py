"""Notion settings and cached pages on Core tables.

- The page upsert is one ``INSERT ... ON CONFLICT (user_id, page_id) DO UPDATE``.
- A page of the page list is two queries (count, rows) whatever its size.
- Search looks in ``search_title``, the title casefolded by Python when stored (as for
  ClickUp: SQLite's ``lower()`` only knows ASCII).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, RowMapping, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.bulk import chunks, upsert_into
from hrhelper.adapters.persistence.sqlalchemy.tables import notion_pages, notion_settings
from hrhelper.domain.recruiting.notion_model import CachedPage, NotionSettings, PageListQuery
from hrhelper.ports.notion_cache import NotionPageRepository, NotionSettingsRepository

__all__ = ["SqlNotionPageRepository", "SqlNotionSettingsRepository"]

_s, _p = notion_settings, notion_pages


class SqlNotionSettingsRepository(NotionSettingsRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> NotionSettings | None:
        rows = await self._session.execute(select(_s).where(_s.c.user_id == user_id))
        found = rows.mappings().one_or_none()
        return NotionSettings(**found) if found else None

    async def put(self, settings: NotionSettings) -> None:
        values = {c.name: getattr(settings, c.name) for c in _s.c}
        changes = {k: v for k, v in values.items() if k != "user_id"}
        statement = (
            upsert_into(self._session, _s)
            .values(**values)
            .on_conflict_do_update(index_elements=[_s.c.user_id], set_=changes)
        )
        await self._session.execute(statement)

    async def auto_synced(self) -> Sequence[NotionSettings]:
        rows = await self._session.execute(select(_s).where(_s.c.auto_sync.is_(True)))
        return [NotionSettings(**row) for row in rows.mappings()]


_FIELDS = [c.name for c in _p.c if c.name not in ("id", "search_title")]
_VERSION_COLUMNS = [c for c in _p.c if c.name not in ("content", "search_title")]


def _page(row: RowMapping) -> CachedPage:
    values = {k: v for k, v in row.items() if k != "search_title"}
    return CachedPage(**values)


class SqlNotionPageRepository(NotionPageRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def known(self, user_id: int, page_ids: Sequence[str]) -> dict[str, CachedPage]:
        if not page_ids:
            return {}
        query = select(*_VERSION_COLUMNS).where(
            _p.c.user_id == user_id, _p.c.page_id.in_(list(page_ids))
        )
        rows = (await self._session.execute(query)).mappings()
        return {row["page_id"]: CachedPage(**row) for row in rows}

    async def upsert(self, page: CachedPage) -> None:
        values = {name: getattr(page, name) for name in _FIELDS}
        values["properties"] = dict(page.properties)
        values["files"] = [dict(f) for f in page.files]
        values["search_title"] = page.title.casefold()
        changes = {k: v for k, v in values.items() if k not in ("user_id", "page_id")}
        statement = (
            upsert_into(self._session, _p)
            .values(**values)
            .on_conflict_do_update(index_elements=[_p.c.user_id, _p.c.page_id], set_=changes)
        )
        await self._session.execute(statement)

    async def confirm(self, user_id: int, page_ids: Sequence[str], at: datetime) -> None:
        for chunk in chunks(page_ids):
            await self._session.execute(
                update(_p)
                .where(_p.c.user_id == user_id, _p.c.page_id.in_(chunk))
                .values(synced_at=at)
            )

    async def ids(self, user_id: int) -> set[str]:
        query = select(_p.c.page_id).where(_p.c.user_id == user_id)
        return set((await self._session.execute(query)).scalars())

    async def remove(self, user_id: int, page_ids: Sequence[str]) -> int:
        removed = 0
        for chunk in chunks(page_ids):
            result = await self._session.execute(
                delete(_p).where(_p.c.user_id == user_id, _p.c.page_id.in_(chunk))
            )
            removed += int(result.rowcount)  # type: ignore[attr-defined]
        return removed

    async def clear(self, user_id: int) -> int:
        result = await self._session.execute(delete(_p).where(_p.c.user_id == user_id))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def list(self, user_id: int, query: PageListQuery) -> tuple[int, Sequence[CachedPage]]:
        where = _page_filter(user_id, query)
        count = (await self._session.execute(select(func.count()).where(*where))).scalar_one()
        column = _p.c[query.sort_field]
        order = column.desc() if query.descending else column.asc()
        rows = await self._session.execute(
            select(_p)
            .where(*where)
            .order_by(order, _p.c.page_id)
            .offset(query.offset)
            .limit(query.limit)
        )
        return int(count), [_page(row) for row in rows.mappings()]

    async def get(self, user_id: int, page_id: str) -> CachedPage | None:
        query = select(_p).where(_p.c.user_id == user_id, _p.c.page_id == page_id)
        row = (await self._session.execute(query)).mappings().one_or_none()
        return _page(row) if row else None


def _page_filter(user_id: int, query: PageListQuery) -> list[ColumnElement[bool]]:
    where = [_p.c.user_id == user_id]
    if query.search:
        where.append(_p.c.search_title.contains(query.search.casefold(), autoescape=True))
    if query.parent_id is not None:
        where.append(_p.c.parent_id == query.parent_id)
    return where
