"""The transfer ledger in the ``transfer_ledger`` table; each call is one short transaction.

A claim is ``INSERT ... ON CONFLICT DO NOTHING`` then, for an existing row, an ``UPDATE`` that
only matches when no attempt holds the row or its lease ran out, so two workers can never both
hold a key, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.adapters.persistence.sqlalchemy.tables import transfer_ledger
from hrhelper.ports.transfers import TransferKey, TransferLedger, TransferRecord, TransferStep

__all__ = ["SqlTransferLedger"]

_t = transfer_ledger
_INSERTS: dict[str, Callable[[Table], Any]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def _where(key: TransferKey) -> Any:
    return (
        (_t.c.user_id == key.user_id)
        & (_t.c.source == key.source)
        & (_t.c.source_id == key.source_id)
        & (_t.c.account_id == key.account_id)
    )


def _record(key: TransferKey, row: Any) -> TransferRecord:
    return TransferRecord(
        key=key,
        step=TransferStep(row.step),
        applicant_id=row.applicant_id,
        vacancy_id=row.vacancy_id,
        owner=row.owner,
        lease_until=row.lease_until,
        updated_at=row.updated_at,
    )


class SqlTransferLedger(TransferLedger):
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, key: TransferKey) -> TransferRecord | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(_t).where(_where(key)))).first()
        return _record(key, row) if row is not None else None

    async def claim(
        self, key: TransferKey, owner: str, now: datetime, lease_until: datetime
    ) -> TransferRecord | None:
        insert = _INSERTS[self._engine.dialect.name]
        async with self._engine.begin() as connection:
            created = await connection.execute(
                insert(_t)
                .values(
                    user_id=key.user_id,
                    source=key.source,
                    source_id=key.source_id,
                    account_id=key.account_id,
                    step=TransferStep.CLAIMED.value,
                    owner=owner,
                    lease_until=lease_until,
                    created_at=now,
                    updated_at=now,
                )
                .on_conflict_do_nothing()
                .returning(*_t.c)
            )
            row = created.first()
            if row is None:
                taken = await connection.execute(
                    update(_t)
                    .where(_where(key), or_(_t.c.owner.is_(None), _t.c.lease_until <= now))
                    .values(owner=owner, lease_until=lease_until, updated_at=now)
                    .returning(*_t.c)
                )
                row = taken.first()
        return _record(key, row) if row is not None else None

    async def advance(
        self,
        key: TransferKey,
        owner: str,
        step: TransferStep,
        now: datetime,
        *,
        applicant_id: int | None = None,
        vacancy_id: int | None = None,
    ) -> bool:
        values: dict[str, Any] = {"step": step.value, "updated_at": now}
        if applicant_id is not None:
            values["applicant_id"] = applicant_id
        if vacancy_id is not None:
            values["vacancy_id"] = vacancy_id
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(_t)
                .where(_where(key), _t.c.owner == owner)
                .values(**values)
                .returning(_t.c.step)
            )
            return result.first() is not None

    async def release(self, key: TransferKey, owner: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(_t)
                .where(_where(key), _t.c.owner == owner)
                .values(owner=None, lease_until=None)
            )
