"""The ClickUp and Notion sync logs in one table, each repository seeing its own source."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.tables import sync_logs as _l
from hrhelper.domain.recruiting.sync_log import SyncLog, SyncSource, SyncStatus
from hrhelper.ports.sync_logs import SyncLogRepository

__all__ = ["SqlSyncLogRepository"]


def _log(row: Mapping[Any, Any]) -> SyncLog:
    values = dict(row)
    del values["source"]
    values["status"] = SyncStatus(values["status"])
    return SyncLog(**values)


class SqlSyncLogRepository(SyncLogRepository):
    def __init__(self, session: AsyncSession, source: SyncSource) -> None:
        self._session = session
        self._source = source.value

    async def add(self, log: SyncLog) -> SyncLog:
        values = self._values(log)
        statement = _l.insert().values(**values).returning(_l.c.id)
        log_id = (await self._session.execute(statement)).scalar_one()
        return _log({**values, "id": log_id})

    async def save(self, log: SyncLog) -> None:
        statement = (
            update(_l)
            .where(_l.c.id == log.id, _l.c.source == self._source)
            .values(**self._values(log))
        )
        await self._session.execute(statement)

    async def get(self, user_id: int, log_id: int) -> SyncLog | None:
        query = select(_l).where(
            _l.c.user_id == user_id, _l.c.source == self._source, _l.c.id == log_id
        )
        row = (await self._session.execute(query)).mappings().one_or_none()
        return _log(row) if row else None

    async def list(self, user_id: int, offset: int, limit: int) -> tuple[int, Sequence[SyncLog]]:
        where = (_l.c.user_id == user_id, _l.c.source == self._source)
        count = (await self._session.execute(select(func.count()).where(*where))).scalar_one()
        rows = await self._session.execute(
            select(_l).where(*where).order_by(_l.c.id.desc()).offset(offset).limit(limit)
        )
        return int(count), [_log(row) for row in rows.mappings()]

    def _values(self, log: SyncLog) -> dict[str, Any]:
        values = {c.name: getattr(log, c.name) for c in _l.c if c.name not in ("id", "source")}
        values["status"] = log.status.value
        values["source"] = self._source
        return values
