"""Test helpers of the currency-rates slice: a scripted rate source, and units of work that
expose ``currency_rates`` (stand-ins until the shared units of work carry the repository)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Self

from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.adapters.persistence.memory.rates import MemoryCurrencyRateRepository
from hrhelper.adapters.persistence.sqlalchemy import SqlUnitOfWork
from hrhelper.adapters.persistence.sqlalchemy.rates import SqlCurrencyRateRepository
from hrhelper.domain.errors import OutsideServiceUnavailable
from hrhelper.domain.finance.model import CurrencyRate, RateQuote

__all__ = ["FakeRateSource", "RatesMemoryStore", "RatesMemoryUnitOfWork", "RatesSqlUnitOfWork"]


@dataclass
class FakeRateSource:
    """Answers what was published; a currency in ``down`` fails like an unreachable bank."""

    published: dict[str, RateQuote] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)
    asked: list[str] = field(default_factory=list)

    def publish(self, currency: str, on: date, official_rate: str, scale: int = 1) -> None:
        self.published[currency] = RateQuote(currency, on, Decimal(official_rate), scale)

    async def quote(self, currency: str) -> RateQuote:
        self.asked.append(currency)
        if currency in self.down:
            raise OutsideServiceUnavailable(
                f"NBRB is unavailable (HTTP 503); no rate for {currency}"
            )
        if currency not in self.published:
            raise OutsideServiceUnavailable(f"NBRB has no rate published for {currency}.")
        return self.published[currency]


@dataclass
class RatesMemoryStore(MemoryStore):
    currency_rates: dict[tuple[str, date], CurrencyRate] = field(default_factory=dict)


class RatesMemoryUnitOfWork(MemoryUnitOfWork):
    def _bind(self) -> None:
        super()._bind()
        self.currency_rates = MemoryCurrencyRateRepository(self._tables)


class RatesSqlUnitOfWork(SqlUnitOfWork):
    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.currency_rates = SqlCurrencyRateRepository(self.session)
        return self
