"""Users' Huntflow token pairs (ciphertexts only) in the ``huntflow_tokens`` table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.tables import huntflow_tokens
from hrhelper.domain.identity.model import HuntflowSystem
from hrhelper.ports.ats import AtsTokenRepository, SealedTokens

__all__ = ["SqlAtsTokenRepository"]

_t = huntflow_tokens


def _sealed(row: Any) -> SealedTokens:
    return SealedTokens(
        access_token=row.access_token,
        access_tail=row.access_tail,
        refresh_token=row.refresh_token,
        access_expires_at=row.access_expires_at,
        refresh_expires_at=row.refresh_expires_at,
        updated_at=row.updated_at,
    )


class SqlAtsTokenRepository(AtsTokenRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of(self, user_ids: Sequence[int]) -> dict[int, dict[HuntflowSystem, SealedTokens]]:
        if not user_ids:
            return {}
        rows = await self._session.execute(select(_t).where(_t.c.user_id.in_(set(user_ids))))
        found: dict[int, dict[HuntflowSystem, SealedTokens]] = {}
        for row in rows.all():
            found.setdefault(row.user_id, {})[HuntflowSystem(row.system)] = _sealed(row)
        return found

    async def put(self, user_id: int, system: HuntflowSystem, tokens: SealedTokens) -> None:
        await self.remove(user_id, system)
        await self._session.execute(
            insert(_t).values(
                user_id=user_id,
                system=system,
                access_token=tokens.access_token,
                access_tail=tokens.access_tail,
                refresh_token=tokens.refresh_token,
                access_expires_at=tokens.access_expires_at,
                refresh_expires_at=tokens.refresh_expires_at,
                updated_at=tokens.updated_at,
            )
        )

    async def remove(self, user_id: int, system: HuntflowSystem) -> None:
        await self._session.execute(
            delete(_t).where(_t.c.user_id == user_id, _t.c.system == system)
        )

    async def locked(self, user_id: int, system: HuntflowSystem) -> SealedTokens | None:
        # FOR UPDATE on PostgreSQL; SQLite ignores it (it has one writer at a time anyway)
        stmt = select(_t).where(_t.c.user_id == user_id, _t.c.system == system).with_for_update()
        row = (await self._session.execute(stmt)).first()
        return _sealed(row) if row is not None else None

    async def expiring(self, before: datetime, limit: int) -> list[tuple[int, HuntflowSystem]]:
        stmt = (
            select(_t.c.user_id, _t.c.system)
            .where(
                _t.c.refresh_token.is_not(None),
                _t.c.access_expires_at < before,
                (_t.c.refresh_expires_at.is_(None)) | (_t.c.refresh_expires_at > before),
            )
            .order_by(_t.c.access_expires_at, _t.c.user_id)
            .limit(limit)
        )
        rows = await self._session.execute(stmt)
        return [(row.user_id, HuntflowSystem(row.system)) for row in rows.all()]
