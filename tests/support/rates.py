"""A scripted rate source for the currency-rates tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hrhelper.domain.errors import OutsideServiceUnavailable
from hrhelper.domain.finance.model import RateQuote

__all__ = ["FakeRateSource"]


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
