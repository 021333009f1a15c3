"""In-memory sync logs of every source in ``tables["sync_logs"]``: id → (source, log)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from hrhelper.adapters.persistence.memory.identity import next_id
from hrhelper.domain.recruiting.sync_log import SyncLog, SyncSource
from hrhelper.ports.sync_logs import SyncLogRepository

__all__ = ["MemorySyncLogRepository"]


class MemorySyncLogRepository(SyncLogRepository):
    def __init__(self, tables: dict[str, Any], source: SyncSource) -> None:
        self._tables = tables
        self._rows: dict[int, tuple[SyncSource, SyncLog]] = tables["sync_logs"]
        self._source = source

    async def add(self, log: SyncLog) -> SyncLog:
        stored = dataclasses.replace(log, id=next_id(self._tables, "sync_logs"))
        self._rows[stored.id or 0] = (self._source, stored)
        return stored

    async def save(self, log: SyncLog) -> None:
        if log.id is not None and self._own(log.id) is not None:
            self._rows[log.id] = (self._source, log)

    async def get(self, user_id: int, log_id: int) -> SyncLog | None:
        row = self._own(log_id)
        return row if row is not None and row.user_id == user_id else None

    async def list(self, user_id: int, offset: int, limit: int) -> tuple[int, Sequence[SyncLog]]:
        rows = sorted(
            (log for source, log in self._rows.values() if source is self._source),
            key=lambda row: row.id or 0,
            reverse=True,
        )
        mine = [row for row in rows if row.user_id == user_id]
        return len(mine), mine[offset : offset + limit]

    def _own(self, log_id: int) -> SyncLog | None:
        source, log = self._rows.get(log_id, (None, None))
        return log if source is self._source else None
