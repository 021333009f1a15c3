"""The log of one sync of a user's cached copy of an outside source (ClickUp or Notion).

Both sources keep their logs in one store, told apart by ``SyncSource``: the repository of
each source sees only its own logs. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

__all__ = ["SyncLog", "SyncSource", "SyncStatus"]


class SyncSource(StrEnum):
    """The outside system a sync reads."""

    CLICKUP = "clickup"
    NOTION = "notion"


class SyncStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCESS = "success"
    PARTIAL = "partial"
    """Some pages or tasks could not be read; the others were stored."""
    ERROR = "error"

    @property
    def finished(self) -> bool:
        return self in (SyncStatus.SUCCESS, SyncStatus.PARTIAL, SyncStatus.ERROR)


@dataclass(frozen=True)
class SyncLog:
    user_id: int
    status: SyncStatus
    created_at: datetime
    processed: int = 0
    """Tasks or pages read from the source (before any filter)."""
    created: int = 0
    updated: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None
    id: int | None = None
    skipped: int = 0
    """Tasks the Huntflow filter left out."""
    removed: int = 0
    """Cached tasks dropped because a complete read no longer found them (deleted, moved to
    another list, or now left out by the filter)."""

    @property
    def duration_s(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def restarted(self, now: datetime) -> SyncLog:
        """Running from ``now``, with nothing counted: a log a dead worker left running is
        started over (the stores are idempotent upserts)."""
        return SyncLog(
            self.user_id, SyncStatus.RUNNING, self.created_at, started_at=now, id=self.id
        )

    def finish(self, now: datetime, error: str | None) -> SyncLog:
        stored = self.created + self.updated
        if error is None:
            status = SyncStatus.SUCCESS
        else:
            status = SyncStatus.PARTIAL if stored or self.skipped else SyncStatus.ERROR
        return replace(self, status=status, finished_at=now, error=error)
