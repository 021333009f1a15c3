"""The currency_rates table and its repository.

The upsert is one ``INSERT ... ON CONFLICT (currency, date) DO UPDATE`` on both PostgreSQL and
SQLite, so two refreshes racing on the same day cannot collide. "Active" (the latest date of
each currency) is computed in the same query that lists the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import RowMapping, Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.tables import currency_rates
from hrhelper.domain.finance.model import CurrencyRate, CurrencyRateView
from hrhelper.ports.rates import CurrencyRateRepository

__all__ = ["SqlCurrencyRateRepository", "currency_rates"]

_t = currency_rates
_INSERTS: dict[str, Callable[[Table], Any]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def _rate(row: RowMapping) -> CurrencyRate:
    return CurrencyRate(
        id=row["id"],
        currency=row["currency"],
        date=row["date"],
        rate=row["rate"],
        official_rate=row["official_rate"],
        scale=row["scale"],
        created_at=row["created_at"],
    )


class SqlCurrencyRateRepository(CurrencyRateRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(self, rate: CurrencyRate) -> CurrencyRate:
        dialect = self._session.get_bind().dialect.name
        if dialect not in _INSERTS:
            raise NotImplementedError(f"no portable upsert for the {dialect} dialect")
        figures = {"rate": rate.rate, "official_rate": rate.official_rate, "scale": rate.scale}
        statement = (
            _INSERTS[dialect](_t)
            .values(currency=rate.currency, date=rate.date, created_at=rate.created_at, **figures)
            .on_conflict_do_update(index_elements=[_t.c.currency, _t.c.date], set_=figures)
            .returning(*_t.c)
        )
        row = (await self._session.execute(statement)).mappings().one()
        return _rate(row)

    async def list(
        self, currency: str | None, is_active: bool | None
    ) -> Sequence[CurrencyRateView]:
        latest = select(_t.c.currency, func.max(_t.c.date).label("latest")).group_by(_t.c.currency)
        if currency is not None:
            latest = latest.where(_t.c.currency == currency)
        last = latest.subquery("latest")
        active = (_t.c.date == last.c.latest).label("is_active")
        query = (
            select(_t.c.id, _t.c.currency, _t.c.rate, _t.c.date, active, _t.c.created_at)
            .join(last, last.c.currency == _t.c.currency)
            .order_by(_t.c.date.desc(), _t.c.currency)
        )
        if is_active is not None:
            query = query.where(
                _t.c.date == last.c.latest if is_active else _t.c.date < last.c.latest
            )
        rows = (await self._session.execute(query)).mappings()
        return [
            CurrencyRateView(
                id=row["id"],
                currency=row["currency"],
                rate=row["rate"],
                date=row["date"],
                is_active=bool(row["is_active"]),  # SQLite answers 0/1
                created_at=row["created_at"],
            )
            for row in rows
        ]

    async def latest_dates(self, currencies: Sequence[str] | None = None) -> dict[str, dt.date]:
        query = select(_t.c.currency, func.max(_t.c.date)).group_by(_t.c.currency)
        if currencies is not None:
            query = query.where(_t.c.currency.in_(list(currencies)))
        return dict((await self._session.execute(query)).all())
