"""In-memory currency rates over the tables of a MemoryUnitOfWork."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from hrhelper.adapters.persistence.memory.identity import next_id
from hrhelper.domain.finance.model import CurrencyRate, CurrencyRateView
from hrhelper.ports.rates import CurrencyRateRepository

__all__ = ["MemoryCurrencyRateRepository"]


class MemoryCurrencyRateRepository(CurrencyRateRepository):
    """Rows keyed by (currency, date) in ``tables["currency_rates"]``."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._rows: dict[tuple[str, dt.date], CurrencyRate] = tables["currency_rates"]

    async def upsert(self, rate: CurrencyRate) -> CurrencyRate:
        key = (rate.currency, rate.date)
        old = self._rows.get(key)
        if old is None:
            row = dataclasses.replace(rate, id=next_id(self._tables, "currency_rates"))
        else:
            row = dataclasses.replace(rate, id=old.id, created_at=old.created_at)
        self._rows[key] = row
        return dataclasses.replace(row)

    async def list(
        self, currency: str | None, is_active: bool | None
    ) -> Sequence[CurrencyRateView]:
        latest = await self.latest_dates()
        views = [
            CurrencyRateView(
                id=row.id or 0,
                currency=row.currency,
                rate=row.rate,
                date=row.date,
                is_active=row.date == latest[row.currency],
                created_at=row.created_at,
            )
            for row in self._rows.values()
            if currency is None or row.currency == currency
        ]
        views = [v for v in views if is_active is None or v.is_active is is_active]
        # date descending, then currency ascending: two stable sorts
        views.sort(key=lambda v: v.currency)
        views.sort(key=lambda v: v.date, reverse=True)
        return views

    async def latest_dates(self, currencies: Sequence[str] | None = None) -> dict[str, dt.date]:
        latest: dict[str, dt.date] = {}
        for currency, date in self._rows:
            if (currencies is None or currency in currencies) and date > latest.get(
                currency, dt.date.min
            ):
                latest[currency] = date
        return latest
