"""What a bulk import needs: a source of candidate cards and a ledger of imports and items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from hrhelper.domain.recruiting.bulk_import_model import (
    BulkImport,
    ImportItem,
    ImportStatus,
    ItemStatus,
    SourceItem,
)
from hrhelper.domain.recruiting.card import CandidateCard
from hrhelper.ports.transfers import AttachmentFetcher

__all__ = ["BulkImportStore", "ImportSource", "SourceCard"]


@dataclass(frozen=True)
class SourceCard:
    card: CandidateCard
    files: AttachmentFetcher | None = None
    """How to download the card's attachments when the source has its own way (Notion);
    None for the shared fetcher."""


class ImportSource(Protocol):
    """Where cards come from (ClickUp tasks, Notion pages), with one user's credentials.

    Every method may raise the domain errors of the source (``NotFound``, ``InvalidInput``
    for missing credentials or settings, ``OutsideServiceError``,
    ``OutsideServiceUnavailable``)."""

    kind: str
    """``clickup`` | ``notion``: the ``source`` of the imports and transfers it feeds."""

    async def check(self, user_id: int) -> None:
        """Raise ``InvalidInput`` naming what the user must set before importing."""
        ...

    async def items(self, user_id: int, limit: int, *, live: bool) -> Sequence[SourceItem]:
        """Up to ``limit`` items to import, each once: read from the source as the user's
        settings say when ``live``, else from the user's cached copy."""
        ...

    async def card(self, user_id: int, item_id: str) -> SourceCard:
        """The item, fresh from the source, with its files and comments."""
        ...

    async def mark_transferred(self, user_id: int, item_id: str) -> None:
        """Show on the item that it is in Huntflow (ClickUp: the ``huntflow`` tag; a source
        without such a mark does nothing, the transfer ledger remembers)."""
        ...


class BulkImportStore(Protocol):
    """Imports and their item ledgers, shared by every worker. Each call is atomic on its own
    (no unit of work). Calls that take ``owner`` change nothing and answer ``None``/False
    when that run no longer holds the import."""

    async def create(self, job: BulkImport) -> BulkImport:
        """Store a new import; answers it with its id."""
        ...

    async def get(self, user_id: int, import_id: int) -> BulkImport | None: ...

    async def list(
        self, user_id: int, source: str, offset: int, limit: int
    ) -> tuple[int, Sequence[BulkImport]]:
        """The user's imports from ``source``, newest first; two queries whatever the page."""
        ...

    async def items(self, import_id: int, status: ItemStatus | None = None) -> Sequence[ImportItem]:
        """The import's items in their listed order (only those in ``status`` if given)."""
        ...

    async def claim(
        self, import_id: int, owner: str, now: datetime, stale_before: datetime
    ) -> BulkImport | None:
        """Start a run: take a pending import, or a running one that no run holds or whose
        run's heartbeat is older than ``stale_before`` (its worker died). The import becomes
        running, held by ``owner``; ``runs`` counts it."""
        ...

    async def add_items(self, import_id: int, owner: str, items: Sequence[SourceItem]) -> bool:
        """Record the listed items (pending, in order), ``total`` and ``listed``, at once."""
        ...

    async def beat(
        self, import_id: int, owner: str, now: datetime, current: SourceItem | None = None
    ) -> BulkImport | None:
        """The run is alive (and, if given, working on ``current``); answers the import as
        stored, so the run sees a stop request."""
        ...

    async def pause(
        self, import_id: int, owner: str, now: datetime, reason: str, until: datetime
    ) -> BulkImport | None:
        """A beat that also says the run waits until ``until`` because of ``reason`` (an
        outside service out of reach). ``add_items``, ``finish_item``, ``finish`` and
        ``claim`` clear it."""
        ...

    async def finish_item(self, import_id: int, owner: str, item: ImportItem) -> bool:
        """Record the outcome of a pending item and count it, and clear a pause; an item that
        is no longer pending is left as is."""
        ...

    async def finish(
        self, import_id: int, owner: str, status: ImportStatus, now: datetime, error: str | None
    ) -> BulkImport | None:
        """End the run with ``status``; the import is held by no run."""
        ...

    async def release(self, import_id: int, owner: str) -> None:
        """Let another run take the import at once (it stays running)."""
        ...

    async def request_stop(self, user_id: int, import_id: int, now: datetime) -> BulkImport | None:
        """A pending import is stopped at once; a running one is asked to stop before its
        next item. A finished one is left as is."""
        ...

    async def retry(self, user_id: int, import_id: int) -> BulkImport | None:
        """Make a finished import pending again with its failed items pending (and its
        counters without them). Answers None when it is unknown or not finished."""
        ...

    async def stale(self, stale_before: datetime) -> Sequence[BulkImport]:
        """Imports no live run works on: running with an old heartbeat (or no run), or
        pending since before ``stale_before`` (their job was lost)."""
        ...
