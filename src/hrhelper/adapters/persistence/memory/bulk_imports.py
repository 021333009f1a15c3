"""Bulk imports and their items in dicts: each call is atomic (no await inside)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from hrhelper.domain.recruiting.bulk_import_model import (
    BulkImport,
    ImportItem,
    ImportStatus,
    ItemStatus,
    SourceItem,
)
from hrhelper.ports.bulk_imports import BulkImportStore

__all__ = ["MemoryBulkImportStore"]

_COUNTERS = {
    ItemStatus.DONE: "succeeded",
    ItemStatus.SKIPPED: "skipped",
    ItemStatus.FAILED: "failed",
}


class MemoryBulkImportStore(BulkImportStore):
    def __init__(self) -> None:
        self.imports: dict[int, BulkImport] = {}
        self.ledger: dict[int, dict[str, ImportItem]] = {}

    def _held(self, import_id: int, owner: str) -> BulkImport | None:
        job = self.imports.get(import_id)
        return job if job is not None and job.owner == owner else None

    async def create(self, job: BulkImport) -> BulkImport:
        job = replace(job, id=len(self.imports) + 1)
        self.imports[job.id or 0] = job
        self.ledger[job.id or 0] = {}
        return job

    async def get(self, user_id: int, import_id: int) -> BulkImport | None:
        job = self.imports.get(import_id)
        return job if job is not None and job.user_id == user_id else None

    async def list(
        self, user_id: int, source: str, offset: int, limit: int
    ) -> tuple[int, Sequence[BulkImport]]:
        rows = [j for j in self.imports.values() if (j.user_id, j.source) == (user_id, source)]
        rows.sort(key=lambda j: j.id or 0, reverse=True)
        return len(rows), rows[offset : offset + limit]

    async def items(self, import_id: int, status: ItemStatus | None = None) -> Sequence[ImportItem]:
        rows = sorted(self.ledger.get(import_id, {}).values(), key=lambda i: i.position)
        return [i for i in rows if status is None or i.status is status]

    async def claim(
        self, import_id: int, owner: str, now: datetime, stale_before: datetime
    ) -> BulkImport | None:
        job = self.imports.get(import_id)
        if job is None or not _claimable(job, stale_before):
            return None
        job = replace(
            job,
            status=ImportStatus.RUNNING,
            owner=owner,
            heartbeat_at=now,
            started_at=job.started_at or now,
            finished_at=None,
            runs=job.runs + 1,
            pause_reason=None,
            paused_until=None,
        )
        self.imports[import_id] = job
        return job

    async def add_items(self, import_id: int, owner: str, items: Sequence[SourceItem]) -> bool:
        job = self._held(import_id, owner)
        if job is None:
            return False
        self.ledger[import_id] = {
            item.id: ImportItem(import_id, n, item.id, item.title) for n, item in enumerate(items)
        }
        self.imports[import_id] = replace(
            job, listed=True, total=len(items), pause_reason=None, paused_until=None
        )
        return True

    async def beat(
        self, import_id: int, owner: str, now: datetime, current: SourceItem | None = None
    ) -> BulkImport | None:
        job = self._held(import_id, owner)
        if job is None:
            return None
        job = replace(job, heartbeat_at=now)
        if current is not None:
            job = replace(job, current_item=current.id, current_title=current.title)
        self.imports[import_id] = job
        return job

    async def pause(
        self, import_id: int, owner: str, now: datetime, reason: str, until: datetime
    ) -> BulkImport | None:
        job = self._held(import_id, owner)
        if job is None:
            return None
        job = replace(job, heartbeat_at=now, pause_reason=reason, paused_until=until)
        self.imports[import_id] = job
        return job

    async def finish_item(self, import_id: int, owner: str, item: ImportItem) -> bool:
        job = self._held(import_id, owner)
        if job is None:
            return False
        job = replace(job, pause_reason=None, paused_until=None)
        self.imports[import_id] = job
        stored = self.ledger[import_id].get(item.source_id)
        if stored is None or stored.status is not ItemStatus.PENDING:
            return True
        self.ledger[import_id][item.source_id] = replace(item, position=stored.position)
        counter = _COUNTERS[item.status]
        self.imports[import_id] = replace(job, **{counter: getattr(job, counter) + 1})
        return True

    async def finish(
        self, import_id: int, owner: str, status: ImportStatus, now: datetime, error: str | None
    ) -> BulkImport | None:
        job = self._held(import_id, owner)
        if job is None:
            return None
        job = replace(
            job,
            status=status,
            finished_at=now,
            error=error,
            owner=None,
            current_item=None,
            current_title=None,
            stop_requested=False,
            pause_reason=None,
            paused_until=None,
        )
        self.imports[import_id] = job
        return job

    async def release(self, import_id: int, owner: str) -> None:
        job = self._held(import_id, owner)
        if job is not None:
            self.imports[import_id] = replace(job, owner=None)

    async def request_stop(self, user_id: int, import_id: int, now: datetime) -> BulkImport | None:
        job = await self.get(user_id, import_id)
        if job is None or job.status.finished:
            return job
        if job.status is ImportStatus.PENDING:
            job = replace(job, status=ImportStatus.STOPPED, finished_at=now, owner=None)
        else:
            job = replace(job, stop_requested=True)
        self.imports[import_id] = job
        return job

    async def retry(self, user_id: int, import_id: int) -> BulkImport | None:
        job = await self.get(user_id, import_id)
        if job is None or not job.status.finished:
            return None
        items = self.ledger[import_id]
        for key, item in list(items.items()):
            if item.status is ItemStatus.FAILED:
                items[key] = ImportItem(import_id, item.position, item.source_id, item.title)
        job = replace(
            job,
            status=ImportStatus.PENDING,
            failed=0,
            finished_at=None,
            error=None,
            stop_requested=False,
        )
        self.imports[import_id] = job
        return job

    async def stale(self, stale_before: datetime) -> Sequence[BulkImport]:
        return [
            job
            for job in self.imports.values()
            if _claimable(job, stale_before)
            and (job.status is ImportStatus.RUNNING or job.created_at < stale_before)
        ]


def _claimable(job: BulkImport, stale_before: datetime) -> bool:
    if job.status is ImportStatus.PENDING:
        return True
    if job.status is not ImportStatus.RUNNING:
        return False
    return job.owner is None or job.heartbeat_at is None or job.heartbeat_at < stale_before
