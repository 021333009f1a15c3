"""Where the logs of the ClickUp and Notion syncs are kept.

One repository per source: it stores logs as that source's and never sees the other's, so a
ClickUp log id is not found among the Notion logs. Scoped to one user like every cache port;
transactional: nothing is kept until the unit of work commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hrhelper.domain.recruiting.sync_log import SyncLog

__all__ = ["SyncLogRepository"]


class SyncLogRepository(Protocol):
    async def add(self, log: SyncLog) -> SyncLog:
        """Store a new log; answers it with its id."""
        ...

    async def save(self, log: SyncLog) -> None:
        """Replace a stored log (by id)."""
        ...

    async def get(self, user_id: int, log_id: int) -> SyncLog | None: ...

    async def list(self, user_id: int, offset: int, limit: int) -> tuple[int, Sequence[SyncLog]]:
        """Newest first."""
        ...
