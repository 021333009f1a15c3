"""Official currency rates: refreshed from the national bank, one row per (currency, day).

Published rates never change, so storing a day again replaces nothing that matters: the
refresh is idempotent and may run as often as the scheduler likes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hrhelper.domain.errors import DomainError
from hrhelper.domain.finance.model import (
    CurrencyRate,
    CurrencyRateView,
    RateFailure,
    RateQuote,
    RefreshSummary,
    currency_code,
)
from hrhelper.ports.clock import Clock
from hrhelper.ports.rates import CurrencyRateUnitOfWorkFactory, RateSource

__all__ = ["DEFAULT_CURRENCIES", "RateService"]

DEFAULT_CURRENCIES = ("USD", "EUR", "PLN")


class RateService:
    """Keeps the official rates and lists them.

    - ``refresh`` asks the rate source for each currency and stores what it gets in one
      transaction. A currency the source cannot answer for is reported in the summary (with
      the date of the rate still served), never raised: one missing rate must not block the
      others. The caller decides how to log it.
    - ``list`` answers newest first (date descending, then currency).
    """

    def __init__(
        self, uow_factory: CurrencyRateUnitOfWorkFactory, source: RateSource, clock: Clock
    ) -> None:
        self._uow_factory = uow_factory
        self._source = source
        self._clock = clock

    async def refresh(self, currencies: Iterable[str] = DEFAULT_CURRENCIES) -> RefreshSummary:
        codes = list(dict.fromkeys(currency_code(c) for c in currencies))
        quotes: list[RateQuote] = []
        problems: dict[str, str] = {}
        for code in codes:  # sequential: a few small calls, and the bank publishes no rate limit
            try:
                quote = await self._source.quote(code)
            except DomainError as error:
                problems[code] = error.message
                continue
            if quote.currency != code:
                problems[code] = f"the source answered {quote.currency} for {code}"
                continue
            quotes.append(quote)
        now = self._clock.now()
        async with self._uow_factory() as uow:
            stored = [
                await uow.currency_rates.upsert(CurrencyRate.from_quote(quote, now))
                for quote in quotes
            ]
            kept = await uow.currency_rates.latest_dates(list(problems)) if problems else {}
            await uow.commit()
        failed = [RateFailure(code, reason, kept.get(code)) for code, reason in problems.items()]
        return RefreshSummary(stored=stored, failed=failed)

    async def list(
        self, currency: str | None = None, is_active: bool | None = None
    ) -> Sequence[CurrencyRateView]:
        code = currency_code(currency) if currency else None
        async with self._uow_factory() as uow:
            return await uow.currency_rates.list(code, is_active)
