"""One run of a bulk import: the worker's side. No I/O of its own; everything goes through
ports, and time through the Clock and Sleeper ports (tests move a fake clock)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from hrhelper.domain.errors import Conflict, DomainError, OutsideServiceUnavailable, ServiceBusy
from hrhelper.domain.recruiting.bulk_import_model import (
    BulkImport,
    ImportItem,
    ImportStatus,
    ItemStatus,
    SourceItem,
)
from hrhelper.domain.recruiting.card import CandidateCard
from hrhelper.domain.recruiting.transfer import TransferResult
from hrhelper.ports.bulk_imports import BulkImportStore, ImportSource
from hrhelper.ports.clock import Clock, Sleeper
from hrhelper.ports.transfers import AttachmentFetcher, TransferKey, TransferLedger, TransferStep

__all__ = ["CardTransfer", "ImportRunner", "Pacing"]

T = TypeVar("T")
_log = logging.getLogger(__name__)
_INTERNAL = "The import stopped on an internal error; the worker's log has the details."
_ITEM_INTERNAL = "An internal error; the worker's log has the details."
_ALREADY = "Already transferred to Huntflow."


class CardTransfer(Protocol):
    """The exactly-once transfer of one card (``TransferService``)."""

    async def transfer(
        self,
        user_id: int,
        card: CandidateCard,
        account_id: int,
        vacancy_id: int,
        *,
        files: AttachmentFetcher | None = None,
    ) -> TransferResult: ...


@dataclass(frozen=True)
class Pacing:
    stale_after: timedelta = timedelta(minutes=5)
    """A run whose heartbeat is older than this is taken for dead."""
    beat_every_s: float = 1.0
    """How often a waiting run beats and looks for a stop request."""
    busy_retry_s: float = 5.0
    """How long to wait when another attempt (a dead worker's, until its lease ends) holds
    the card's transfer."""
    busy_attempts: int = 150
    outage_retry_s: float = 5.0
    """How long to wait before trying again when an outside service is out of reach; the
    wait doubles with each failed try, up to ``outage_max_retry_s``."""
    outage_max_retry_s: float = 60.0
    outage_give_up: timedelta = timedelta(hours=1)
    """An outage longer than this ends the import failed, its items still pending."""


class _Lost(Exception):
    """Another run took the import over (this one was taken for dead)."""


class _Stop(Exception):
    """The user asked to stop."""


class _GaveUp(Exception):
    """An outside service stayed out of reach longer than ``outage_give_up``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Run:
    job: BulkImport
    owner: str
    source: ImportSource
    interrupted: str | None
    """The item a dead run was working on when this run took over."""


class ImportRunner:
    """``run(user_id, import_id)``: take the import (unless a live run holds it), list its
    items once, then work through the pending ones in order.

    - Before each item the run beats (so a dead worker is noticed) and looks for a stop.
    - An item whose card the transfer ledger shows on a vacancy is ``skipped``, except the
      one a dead run was working on: that one it finished itself, so it is ``done``.
    - The next item starts ``delay_s`` after the previous one started, or later when the
      source's or Huntflow's limits slow the calls down: whichever is slower.
    - A card another attempt holds (a dead worker's lease) is tried again after a pause.
    - When Huntflow or the source is out of reach (``OutsideServiceUnavailable``: no answer
      in time, 429 or 502/503/504 after the client's own retries), the item stays pending and
      the run pauses, saying why (``pause_reason``, ``paused_until``), then tries the same
      item again, the pause doubling each time (from ``outage_retry_s`` to
      ``outage_max_retry_s``; a longer ``retry_after`` from the service is honoured up to
      that). It beats and honours a stop while it waits. An outage longer than
      ``outage_give_up`` ends the import failed with the items still pending, so
      retry-failed goes on from there. The transfer ledger keeps a card whose create did
      happen at Huntflow, unanswered, to that one applicant.
    - Any other error of an item (a refusal, a 500 that persists) fails that item alone.
    """

    def __init__(
        self,
        store: BulkImportStore,
        sources: Mapping[str, ImportSource],
        ledger: TransferLedger,
        transfers: CardTransfer,
        clock: Clock,
        sleeper: Sleeper,
        pacing: Pacing,
    ) -> None:
        self._store = store
        self._sources = sources
        self._ledger = ledger
        self._transfers = transfers
        self._clock = clock
        self._sleeper = sleeper
        self._pacing = pacing

    async def run(self, user_id: int, import_id: int, owner: str) -> BulkImport | None:
        """Answers the import as the run left it, or None when another run holds it."""
        if await self._store.get(user_id, import_id) is None:
            return None  # not this user's: never take it
        now = self._clock.now()
        job = await self._store.claim(import_id, owner, now, now - self._pacing.stale_after)
        if job is None:
            return None
        run = _Run(job, owner, self._sources[job.source], job.current_item)
        try:
            status, error = await self._work(run)
        except _Lost:
            return None
        except _Stop:
            status, error = ImportStatus.STOPPED, None
        except _GaveUp as gave_up:
            status, error = ImportStatus.FAILED, gave_up.message
        except Exception:
            await self._store.finish(import_id, owner, ImportStatus.FAILED, self._now(), _INTERNAL)
            raise
        return await self._store.finish(import_id, owner, status, self._now(), error)

    def _now(self) -> datetime:
        return self._clock.now()

    async def _work(self, run: _Run) -> tuple[ImportStatus, str | None]:
        job = run.job
        if job.stop_requested:
            raise _Stop
        if not job.listed:
            try:
                listed = await self._through_outages(
                    run,
                    lambda: run.source.items(job.user_id, job.max_items, live=job.sync_settings),
                )
            except DomainError as failure:
                return ImportStatus.FAILED, failure.message
            unique = list({item.id: item for item in listed}.values())[: job.max_items]
            if not await self._store.add_items(job.id or 0, run.owner, unique):
                raise _Lost
        next_start: datetime | None = None
        for item in await self._store.items(job.id or 0, ItemStatus.PENDING):
            if next_start is not None:
                await self._wait_until(run, next_start)
            await self._beat(run, SourceItem(item.source_id, item.title))
            started = self._now()
            next_start = started + timedelta(seconds=job.delay_s)
            outcome = await self._item(run, item)
            finished = replace(outcome, finished_at=self._now())
            if not await self._store.finish_item(job.id or 0, run.owner, finished):
                raise _Lost
        return ImportStatus.COMPLETED, None

    async def _beat(self, run: _Run, current: SourceItem | None = None) -> None:
        job = await self._store.beat(run.job.id or 0, run.owner, self._now(), current)
        if job is None:
            raise _Lost
        if job.stop_requested:
            raise _Stop

    async def _wait_until(self, run: _Run, moment: datetime) -> None:
        """Sleep until ``moment``, beating and looking for a stop request meanwhile."""
        while (left := (moment - self._now()).total_seconds()) > 0:
            await self._sleeper.sleep(min(left, self._pacing.beat_every_s))
            await self._beat(run)

    async def _item(self, run: _Run, item: ImportItem) -> ImportItem:
        job = run.job
        key = TransferKey(job.user_id, run.source.kind, item.source_id, job.account_id)
        known = await self._ledger.get(key)
        if known is not None and known.step is TransferStep.BOUND:
            if item.source_id != run.interrupted:
                return _ended(item, ItemStatus.SKIPPED, _ALREADY, known.applicant_id)
            # a dead run transferred it and died before recording it: finish its work
            return await self._mark(run, _ended(item, ItemStatus.DONE, None, known.applicant_id))
        try:
            result = await self._transfer(run, item)
        except Conflict as conflict:
            applicant = conflict.details.get("applicant_id")
            if isinstance(applicant, int):  # transferred meanwhile by someone else
                return _ended(item, ItemStatus.SKIPPED, _ALREADY, applicant)
            return _ended(item, ItemStatus.FAILED, conflict.message)
        except DomainError as failure:
            return _ended(item, ItemStatus.FAILED, failure.message)
        except (_Lost, _Stop, _GaveUp):
            raise
        except Exception:
            _log.exception("bulk import item %s failed", item.source_id)
            return _ended(item, ItemStatus.FAILED, _ITEM_INTERNAL)
        done = _ended(item, ItemStatus.DONE, None, result.applicant_id)
        return await self._mark(run, replace(done, created=result.created))

    async def _through_outages(self, run: _Run, call: Callable[[], Awaitable[T]]) -> T:
        """``await call()``, paused and tried again while an outside service is out of reach;
        ``_GaveUp`` once that has lasted ``outage_give_up``."""
        pacing = self._pacing
        since: datetime | None = None
        tries = 0
        while True:
            try:
                return await call()
            except OutsideServiceUnavailable as outage:
                now = self._now()
                since = since or now
                if now - since >= pacing.outage_give_up:
                    raise _GaveUp(_gave_up(outage, now - since)) from outage
                doubled = pacing.outage_retry_s * 2 ** min(tries, 32)
                wait = min(pacing.outage_max_retry_s, doubled)
                hint = outage.details.get("retry_after")
                if isinstance(hint, int | float):  # the service's own wait, within bounds
                    wait = max(wait, min(float(hint), pacing.outage_max_retry_s))
                until = min(now + timedelta(seconds=wait), since + pacing.outage_give_up)
                tries += 1
                _log.warning(
                    "bulk import %s paused for %.1f s: %s", run.job.id, wait, outage.message
                )
                reason = f"{outage.message} The import waits and tries again by itself."
                job = await self._store.pause(run.job.id or 0, run.owner, now, reason, until)
                if job is None:
                    raise _Lost from outage
                if job.stop_requested:
                    raise _Stop from outage
                await self._wait_until(run, until)

    async def _transfer(self, run: _Run, item: ImportItem) -> TransferResult:
        return await self._through_outages(run, lambda: self._transfer_busy(run, item))

    async def _transfer_busy(self, run: _Run, item: ImportItem) -> TransferResult:
        for _ in range(self._pacing.busy_attempts - 1):
            try:
                return await self._transfer_once(run, item)
            except ServiceBusy:
                pause = self._now() + timedelta(seconds=self._pacing.busy_retry_s)
                await self._wait_until(run, pause)
        return await self._transfer_once(run, item)

    async def _transfer_once(self, run: _Run, item: ImportItem) -> TransferResult:
        job = run.job
        fresh = await run.source.card(job.user_id, item.source_id)
        return await self._transfers.transfer(
            job.user_id, fresh.card, job.account_id, job.vacancy_id, files=fresh.files
        )

    async def _mark(self, run: _Run, item: ImportItem) -> ImportItem:
        try:
            await run.source.mark_transferred(run.job.user_id, item.source_id)
        except DomainError as failure:
            return replace(item, reason=f"Transferred; not marked in the source: {failure.message}")
        return item


def _gave_up(outage: OutsideServiceUnavailable, lasted: timedelta) -> str:
    minutes = max(1, round(lasted.total_seconds() / 60))
    return (
        f"{outage.message} The import waited {minutes} min for it and stopped; its remaining "
        "items are pending: retry-failed goes on from there."
    )


def _ended(
    item: ImportItem, status: ItemStatus, reason: str | None, applicant_id: int | None = None
) -> ImportItem:
    return replace(item, status=status, reason=reason, applicant_id=applicant_id)
