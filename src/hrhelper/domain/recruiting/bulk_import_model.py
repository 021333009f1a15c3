"""A bulk import of candidate cards into Huntflow and its per-item ledger. No I/O.

The import is source-generic: ``source`` names where the cards come from (``clickup`` or
``notion``); the engine in ``bulk_import`` does the same for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

__all__ = ["BulkImport", "ImportItem", "ImportStatus", "ItemStatus", "SourceItem"]


class ImportStatus(StrEnum):
    PENDING = "pending"
    """Queued; no worker has started it (or a retry is queued)."""
    RUNNING = "running"
    COMPLETED = "completed"
    """Every item ended done, skipped or failed (failed ones are counted in ``failed``)."""
    FAILED = "failed"
    """The import could not go on: its items could not be listed, an outside service stayed
    out of reach longer than the run waits (its items stay pending), or an internal error."""
    STOPPED = "stopped"

    @property
    def finished(self) -> bool:
        return self in (ImportStatus.COMPLETED, ImportStatus.FAILED, ImportStatus.STOPPED)


class ItemStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    """Already transferred before this import reached it."""
    FAILED = "failed"


@dataclass(frozen=True)
class SourceItem:
    """One card as a source lists it."""

    id: str
    title: str


@dataclass(frozen=True)
class ImportItem:
    import_id: int
    position: int
    source_id: str
    title: str
    status: ItemStatus = ItemStatus.PENDING
    reason: str | None = None
    """Why it failed or was skipped."""
    applicant_id: int | None = None
    created: bool | None = None
    """True when the applicant was created, False when an existing one was linked."""
    finished_at: datetime | None = None


@dataclass(frozen=True)
class BulkImport:
    user_id: int
    source: str
    """``clickup`` | ``notion``"""
    account_id: int
    vacancy_id: int
    created_at: datetime
    delay_s: float = 0.0
    """The least time between the starts of two items."""
    max_items: int = 100
    sync_settings: bool = True
    """True: list the items live from the source as its settings say; False: from the cache."""
    status: ImportStatus = ImportStatus.PENDING
    listed: bool = False
    """The items were listed into the ledger (done once per import)."""
    total: int = 0
    succeeded: int = 0
    skipped: int = 0
    failed: int = 0
    current_item: str | None = None
    """The item being worked on (or the last one a dead worker was on)."""
    current_title: str | None = None
    stop_requested: bool = False
    owner: str | None = None
    """The run holding the import; its ``heartbeat_at`` says it is alive."""
    heartbeat_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None
    runs: int = 0
    pause_reason: str | None = None
    """While the run waits out an outside service's outage: what is out of reach. Cleared
    when an item goes through (or the run ends)."""
    paused_until: datetime | None = None
    """When the paused run tries the item again."""
    id: int | None = None

    @property
    def processed(self) -> int:
        return self.succeeded + self.skipped + self.failed

    @property
    def percentage(self) -> float:
        if not self.total:
            return 100.0 if self.status.finished and self.listed else 0.0
        return round(100.0 * self.processed / self.total, 1)

    def eta(self, now: datetime) -> timedelta | None:
        """Time left at the pace so far (never faster than the delay); None when idle."""
        if self.status is not ImportStatus.RUNNING or not self.listed:
            return None
        remaining = self.total - self.processed
        per_item = self.delay_s
        if self.started_at is not None and self.processed:
            per_item = max(per_item, (now - self.started_at).total_seconds() / self.processed)
        return timedelta(seconds=remaining * per_item)
