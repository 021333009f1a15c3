"""Bulk imports of candidate cards into Huntflow, for any source (ClickUp tasks, Notion pages).

The user's side: start (answered at once, the work runs in the worker), list, look at the
progress, stop, retry the failed items; and the sweeper that picks up imports whose worker
died. The run itself is in ``bulk_import_run``.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from hrhelper.domain.errors import Conflict, InvalidInput, NotFound
from hrhelper.domain.recruiting.bulk_import_model import BulkImport, ImportItem, ImportStatus
from hrhelper.domain.recruiting.bulk_import_run import ImportRunner, Pacing
from hrhelper.ports.ats import AtsConnector
from hrhelper.ports.bulk_imports import BulkImportStore, ImportSource
from hrhelper.ports.clock import Clock
from hrhelper.ports.jobs import JobQueue

__all__ = ["BULK_IMPORT_JOB", "MAX_DELAY_S", "MAX_ITEMS", "BulkImportService", "ImportRequest"]

BULK_IMPORT_JOB = "run_bulk_import"
MAX_ITEMS = 1000
MAX_DELAY_S = 600.0


@dataclass(frozen=True)
class ImportRequest:
    account_id: int
    vacancy_id: int
    delay_s: float = 8.0
    max_items: int = 100
    sync_settings: bool = True
    """True: list the cards live from the source as the saved settings say; False: take
    them from the cache of the last sync."""

    def errors(self, items_name: str, delay_name: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        if not (math.isfinite(self.delay_s) and 0 <= self.delay_s <= MAX_DELAY_S):
            found[delay_name] = [f"Seconds from 0 to {MAX_DELAY_S:g}."]
        if not 1 <= self.max_items <= MAX_ITEMS:
            found[items_name] = [f"From 1 to {MAX_ITEMS}."]
        for name in ("account_id", "vacancy_id"):
            if getattr(self, name) < 1:
                found[name] = ["A positive Huntflow id."]
        return found


class BulkImportService:
    """Bulk imports of one source kind at a time (``source`` names it on every call).

    - Start checks what the user must set (the source's key and settings, the Huntflow
      connection) and that the vacancy exists, then answers the pending import at once.
    - Stop: a pending import stops at once, a running one before its next item.
    - Retry-failed is a new run of the same import over its failed items, and over the items
      a stop left pending; done and skipped items are never run again.
    - ``resume_stale`` (the scheduler's sweeper) queues again the imports whose worker died
      (no heartbeat for ``stale_after``) or whose job was lost; the new run goes on from the
      first pending item, and the transfer ledger keeps each card to one applicant.
    """

    def __init__(
        self,
        store: BulkImportStore,
        sources: Sequence[ImportSource],
        connector: AtsConnector,
        runner: ImportRunner,
        jobs: JobQueue,
        clock: Clock,
        pacing: Pacing,
        *,
        new_owner: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self._store = store
        self._sources: Mapping[str, ImportSource] = {s.kind: s for s in sources}
        self._connector = connector
        self._runner = runner
        self._jobs = jobs
        self._clock = clock
        self._pacing = pacing
        self._new_owner = new_owner

    async def start(
        self,
        user_id: int,
        source: str,
        request: ImportRequest,
        *,
        names: tuple[str, str] = ("max_items", "delay_s"),
    ) -> BulkImport:
        """``names``: what the caller calls the item limit and the delay, for the errors."""
        errors = request.errors(*names)
        if errors:
            raise InvalidInput.for_fields(errors, "The bulk import request is invalid.")
        await self._sources[source].check(user_id)
        ats = await self._connector.for_user(user_id)
        await ats.vacancy(request.account_id, request.vacancy_id)  # NotFound before queueing
        job = await self._store.create(
            BulkImport(
                user_id=user_id,
                source=source,
                account_id=request.account_id,
                vacancy_id=request.vacancy_id,
                created_at=self._clock.now(),
                delay_s=request.delay_s,
                max_items=request.max_items,
                sync_settings=request.sync_settings,
            )
        )
        await self._queue(job)
        return job

    async def imports(
        self, user_id: int, source: str, offset: int, limit: int
    ) -> tuple[int, Sequence[BulkImport]]:
        return await self._store.list(user_id, source, offset, limit)

    async def get(self, user_id: int, source: str, import_id: int) -> BulkImport:
        job = await self._store.get(user_id, import_id)
        if job is None or job.source != source:
            raise NotFound("Bulk import not found.", {"id": import_id})
        return job

    async def progress(
        self, user_id: int, source: str, import_id: int
    ) -> tuple[BulkImport, timedelta | None]:
        """The import and the time it still needs at the pace so far."""
        job = await self.get(user_id, source, import_id)
        return job, job.eta(self._clock.now())

    async def items(self, user_id: int, source: str, import_id: int) -> Sequence[ImportItem]:
        job = await self.get(user_id, source, import_id)
        return await self._store.items(job.id or 0)

    async def stop(self, user_id: int, source: str, import_id: int) -> BulkImport:
        job = await self.get(user_id, source, import_id)
        if job.status.finished:
            raise Conflict(f"The import already ended ({job.status.value}).", {"id": import_id})
        stopped = await self._store.request_stop(user_id, import_id, self._clock.now())
        return stopped or job

    async def retry_failed(self, user_id: int, source: str, import_id: int) -> BulkImport:
        job = await self.get(user_id, source, import_id)
        if not job.status.finished:
            raise Conflict("The import is still running; stop it or let it end first.")
        if job.status is ImportStatus.COMPLETED and not job.failed:
            raise Conflict("The import has no failed items to retry.", {"id": import_id})
        retried = await self._store.retry(user_id, import_id)
        if retried is None:  # it changed meanwhile
            raise Conflict("The import is running again already.", {"id": import_id})
        await self._queue(retried)
        return retried

    async def run(self, user_id: int, import_id: int) -> BulkImport | None:
        """The worker's job: one run of the import (None when a live run holds it)."""
        return await self._runner.run(user_id, import_id, self._new_owner())

    async def resume_stale(self) -> int:
        now = self._clock.now()
        lost = await self._store.stale(now - self._pacing.stale_after)
        for job in lost:
            await self._queue(job)
        return len(lost)

    async def _queue(self, job: BulkImport) -> None:
        await self._jobs.enqueue(BULK_IMPORT_JOB, {"import_id": job.id, "user_id": job.user_id})
