"""Bulk imports in ``bulk_imports`` and ``bulk_import_items``; each call is one short
transaction. Who holds an import is decided by conditional ``UPDATE``s (``owner`` and the
heartbeat in the ``WHERE``), so two runs never both hold one, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hrhelper.adapters.persistence.sqlalchemy.tables import bulk_import_items, bulk_imports
from hrhelper.domain.recruiting.bulk_import_model import (
    BulkImport,
    ImportItem,
    ImportStatus,
    ItemStatus,
    SourceItem,
)
from hrhelper.ports.bulk_imports import BulkImportStore

__all__ = ["SqlBulkImportStore"]

_j = bulk_imports
_i = bulk_import_items
_COUNTERS = {ItemStatus.DONE: _j.c.succeeded, ItemStatus.SKIPPED: _j.c.skipped}
_COUNTERS[ItemStatus.FAILED] = _j.c.failed
_RUNNING, _PENDING = ImportStatus.RUNNING.value, ImportStatus.PENDING.value


def _job(row: Any) -> BulkImport:
    values = dict(row._mapping)
    values["status"] = ImportStatus(values["status"])
    return BulkImport(**values)


def _item(row: Any) -> ImportItem:
    values = dict(row._mapping)
    values["status"] = ItemStatus(values["status"])
    return ImportItem(**values)


def _claimable(stale_before: datetime) -> Any:
    """Pending, or running without a live run."""
    orphaned = or_(_j.c.owner.is_(None), _j.c.heartbeat_at < stale_before)
    return or_(_j.c.status == _PENDING, and_(_j.c.status == _RUNNING, orphaned))


class SqlBulkImportStore(BulkImportStore):
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _update(
        self, connection: AsyncConnection, where: Any, **values: Any
    ) -> BulkImport | None:
        row = (
            await connection.execute(update(_j).where(where).values(**values).returning(*_j.c))
        ).first()
        return _job(row) if row is not None else None

    async def create(self, job: BulkImport) -> BulkImport:
        values = {k: v for k, v in vars(job).items() if k != "id"}
        values["status"] = job.status.value
        async with self._engine.begin() as connection:
            row = (await connection.execute(insert(_j).values(**values).returning(*_j.c))).one()
        return _job(row)

    async def get(self, user_id: int, import_id: int) -> BulkImport | None:
        async with self._engine.connect() as connection:
            query = select(_j).where(_j.c.id == import_id, _j.c.user_id == user_id)
            row = (await connection.execute(query)).first()
        return _job(row) if row is not None else None

    async def list(
        self, user_id: int, source: str, offset: int, limit: int
    ) -> tuple[int, Sequence[BulkImport]]:
        mine = and_(_j.c.user_id == user_id, _j.c.source == source)
        async with self._engine.connect() as connection:
            count = (await connection.execute(select(func.count()).where(mine))).scalar_one()
            query = select(_j).where(mine).order_by(_j.c.id.desc()).offset(offset).limit(limit)
            rows = (await connection.execute(query)).all()
        return count, [_job(row) for row in rows]

    async def items(self, import_id: int, status: ItemStatus | None = None) -> Sequence[ImportItem]:
        query = select(_i).where(_i.c.import_id == import_id).order_by(_i.c.position)
        if status is not None:
            query = query.where(_i.c.status == status.value)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [_item(row) for row in rows]

    async def claim(
        self, import_id: int, owner: str, now: datetime, stale_before: datetime
    ) -> BulkImport | None:
        async with self._engine.begin() as connection:
            return await self._update(
                connection,
                and_(_j.c.id == import_id, _claimable(stale_before)),
                status=_RUNNING,
                owner=owner,
                heartbeat_at=now,
                started_at=func.coalesce(_j.c.started_at, now),
                finished_at=None,
                runs=_j.c.runs + 1,
                pause_reason=None,
                paused_until=None,
            )

    async def add_items(self, import_id: int, owner: str, items: Sequence[SourceItem]) -> bool:
        async with self._engine.begin() as connection:
            held = and_(_j.c.id == import_id, _j.c.owner == owner)
            job = await self._update(
                connection,
                held,
                listed=True,
                total=len(items),
                pause_reason=None,
                paused_until=None,
            )
            if job is None:
                return False
            if items:
                rows = [
                    {
                        "import_id": import_id,
                        "source_id": item.id,
                        "position": n,
                        "title": item.title[:500],
                        "status": ItemStatus.PENDING.value,
                    }
                    for n, item in enumerate(items)
                ]
                await connection.execute(insert(_i), rows)
        return True

    async def beat(
        self, import_id: int, owner: str, now: datetime, current: SourceItem | None = None
    ) -> BulkImport | None:
        values: dict[str, Any] = {"heartbeat_at": now}
        if current is not None:
            values.update(current_item=current.id, current_title=current.title[:500])
        async with self._engine.begin() as connection:
            held = and_(_j.c.id == import_id, _j.c.owner == owner)
            return await self._update(connection, held, **values)

    async def pause(
        self, import_id: int, owner: str, now: datetime, reason: str, until: datetime
    ) -> BulkImport | None:
        async with self._engine.begin() as connection:
            held = and_(_j.c.id == import_id, _j.c.owner == owner)
            return await self._update(
                connection, held, heartbeat_at=now, pause_reason=reason, paused_until=until
            )

    async def finish_item(self, import_id: int, owner: str, item: ImportItem) -> bool:
        counter = _COUNTERS[item.status]
        async with self._engine.begin() as connection:
            held = and_(_j.c.id == import_id, _j.c.owner == owner)
            # lock the import row first: ownership and the counters move together
            cleared = {"pause_reason": None, "paused_until": None}
            if await self._update(connection, held, owner=owner, **cleared) is None:
                return False
            changed = await connection.execute(
                update(_i)
                .where(
                    _i.c.import_id == import_id,
                    _i.c.source_id == item.source_id,
                    _i.c.status == ItemStatus.PENDING.value,
                )
                .values(
                    status=item.status.value,
                    reason=item.reason,
                    applicant_id=item.applicant_id,
                    created=item.created,
                    finished_at=item.finished_at,
                )
                .returning(_i.c.source_id)
            )
            if changed.first() is not None:
                await connection.execute(
                    update(_j).where(_j.c.id == import_id).values({counter: counter + 1})
                )
        return True

    async def finish(
        self, import_id: int, owner: str, status: ImportStatus, now: datetime, error: str | None
    ) -> BulkImport | None:
        async with self._engine.begin() as connection:
            return await self._update(
                connection,
                and_(_j.c.id == import_id, _j.c.owner == owner),
                status=status.value,
                finished_at=now,
                error=error,
                owner=None,
                current_item=None,
                current_title=None,
                stop_requested=False,
                pause_reason=None,
                paused_until=None,
            )

    async def release(self, import_id: int, owner: str) -> None:
        async with self._engine.begin() as connection:
            await self._update(
                connection, and_(_j.c.id == import_id, _j.c.owner == owner), owner=None
            )

    async def request_stop(self, user_id: int, import_id: int, now: datetime) -> BulkImport | None:
        mine = and_(_j.c.id == import_id, _j.c.user_id == user_id)
        async with self._engine.begin() as connection:
            stopped = await self._update(
                connection,
                and_(mine, _j.c.status == _PENDING),
                status=ImportStatus.STOPPED.value,
                finished_at=now,
                owner=None,
            )
            asked = stopped or await self._update(
                connection, and_(mine, _j.c.status == _RUNNING), stop_requested=True
            )
        return asked or await self.get(user_id, import_id)

    async def retry(self, user_id: int, import_id: int) -> BulkImport | None:
        finished = [s.value for s in ImportStatus if s.finished]
        async with self._engine.begin() as connection:
            job = await self._update(
                connection,
                and_(_j.c.id == import_id, _j.c.user_id == user_id, _j.c.status.in_(finished)),
                status=_PENDING,
                failed=0,
                finished_at=None,
                error=None,
                stop_requested=False,
            )
            if job is not None:
                await connection.execute(
                    update(_i)
                    .where(_i.c.import_id == import_id, _i.c.status == ItemStatus.FAILED.value)
                    .values(
                        status=ItemStatus.PENDING.value,
                        reason=None,
                        applicant_id=None,
                        created=None,
                        finished_at=None,
                    )
                )
        return job

    async def stale(self, stale_before: datetime) -> Sequence[BulkImport]:
        lost = or_(_j.c.status == _RUNNING, _j.c.created_at < stale_before)
        query = select(_j).where(_claimable(stale_before), lost).order_by(_j.c.id)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [_job(row) for row in rows]
