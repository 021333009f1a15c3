"""Currency rates: where they come from (RateSource) and where they are kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Protocol, Self

from hrhelper.domain.finance.model import CurrencyRate, CurrencyRateView, RateQuote

__all__ = [
    "CurrencyRateRepository",
    "CurrencyRateUnitOfWork",
    "CurrencyRateUnitOfWorkFactory",
    "RateSource",
]


class RateSource(Protocol):
    """The national bank's official rates against BYN (NBRB)."""

    async def quote(self, currency: str) -> RateQuote:
        """The rate in force today for ``currency`` (ISO 4217 alpha, e.g. ``USD``).

        Raises ``OutsideServiceUnavailable`` when the service is down, keeps failing after
        short retries, or has no rate published for the currency."""
        ...


class CurrencyRateRepository(Protocol):
    """Stored rates, one row per (currency, date); transactional like every repository."""

    async def upsert(self, rate: CurrencyRate) -> CurrencyRate:
        """Store the rate of its (currency, date). An existing row keeps its id and
        ``created_at`` and takes the new figures. Safe against a concurrent upsert of the same
        key. Answers the stored row, with its id."""
        ...

    async def list(
        self, currency: str | None, is_active: bool | None
    ) -> Sequence[CurrencyRateView]:
        """Rows of one currency (or all), only the active or inactive ones (or all); ordered by
        date descending, then currency. Active = the latest date of its currency. One query."""
        ...

    async def latest_dates(self, currencies: Sequence[str] | None = None) -> dict[str, dt.date]:
        """The latest stored date of each currency (of the given ones, or of all);
        currencies without rows are absent."""
        ...


class CurrencyRateUnitOfWork(Protocol):
    """The part of the unit of work the rate service needs; ``ports.persistence.UnitOfWork``
    satisfies it once it exposes ``currency_rates``."""

    currency_rates: CurrencyRateRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


CurrencyRateUnitOfWorkFactory = Callable[[], CurrencyRateUnitOfWork]
