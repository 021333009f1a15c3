"""Users' Huntflow token pairs over the tables of a MemoryUnitOfWork."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hrhelper.domain.identity.model import HuntflowSystem
from hrhelper.ports.ats import AtsTokenRepository, SealedTokens

__all__ = ["MemoryAtsTokenRepository"]


class MemoryAtsTokenRepository(AtsTokenRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._rows: dict[tuple[int, HuntflowSystem], SealedTokens] = tables["huntflow_tokens"]

    async def of(self, user_ids: Sequence[int]) -> dict[int, dict[HuntflowSystem, SealedTokens]]:
        wanted = set(user_ids)
        found: dict[int, dict[HuntflowSystem, SealedTokens]] = {}
        for (user_id, system), tokens in self._rows.items():
            if user_id in wanted:
                found.setdefault(user_id, {})[system] = tokens
        return found

    async def put(self, user_id: int, system: HuntflowSystem, tokens: SealedTokens) -> None:
        self._rows[(user_id, system)] = tokens

    async def remove(self, user_id: int, system: HuntflowSystem) -> None:
        self._rows.pop((user_id, system), None)

    async def locked(self, user_id: int, system: HuntflowSystem) -> SealedTokens | None:
        return self._rows.get((user_id, system))

    async def expiring(self, before: datetime, limit: int) -> list[tuple[int, HuntflowSystem]]:
        due = [
            (tokens.access_expires_at, key)
            for key, tokens in self._rows.items()
            if tokens.refresh_token is not None
            and tokens.access_expires_at is not None
            and tokens.access_expires_at < before
            and (tokens.refresh_expires_at is None or tokens.refresh_expires_at > before)
        ]
        return [key for _, key in sorted(due)[:limit]]
