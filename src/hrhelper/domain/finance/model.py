"""Official rates against BYN: what the bank publishes, what we store, what the API shows.

- A quote gives ``official_rate`` BYN for ``scale`` units of the currency; the rate people use
  is per one unit (RUB is quoted per 100, PLN per 10), kept as ``Decimal``, never float.
- The active rate of a currency is its row with the latest date; it is computed when listing,
  never stored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from hrhelper.domain.errors import InvalidInput

__all__ = [
    "RATE_PLACES",
    "CurrencyRate",
    "CurrencyRateView",
    "RateFailure",
    "RateQuote",
    "RefreshSummary",
    "currency_code",
]

RATE_PLACES = Decimal("0.000001")
"""Stored precision of per-unit rates (the column is NUMERIC(18, 6)); memory rounds the same."""

_ISO_CODE = re.compile(r"^[A-Z]{3}$")


def currency_code(value: str) -> str:
    """An ISO 4217 alpha code, upper-cased; anything else is invalid input."""
    code = value.strip().upper()
    if not _ISO_CODE.match(code):
        raise InvalidInput.for_fields({"currency": [f"Not an ISO currency code: {value!r}."]})
    return code


@dataclass(frozen=True)
class RateQuote:
    """What the bank published: ``official_rate`` BYN for ``scale`` units, on ``date``."""

    currency: str
    date: dt.date
    official_rate: Decimal
    scale: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "currency", currency_code(self.currency))
        rate = self.official_rate
        if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
            raise ValueError(f"official rate must be a positive Decimal: {self.official_rate!r}")
        if self.scale < 1:
            raise ValueError(f"scale must be at least 1: {self.scale!r}")

    @property
    def per_unit(self) -> Decimal:
        """BYN for one unit of the currency (exact; rounded only when stored)."""
        return self.official_rate / self.scale


@dataclass
class CurrencyRate:
    """One stored rate; unique by (currency, date). ``created_at`` is when it was first seen."""

    currency: str
    date: dt.date
    rate: Decimal
    """BYN per one unit, rounded to RATE_PLACES."""
    official_rate: Decimal
    """As published, for ``scale`` units."""
    scale: int
    created_at: dt.datetime
    id: int | None = None

    @classmethod
    def from_quote(cls, quote: RateQuote, created_at: dt.datetime) -> CurrencyRate:
        return cls(
            currency=quote.currency,
            date=quote.date,
            rate=quote.per_unit.quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN),
            official_rate=quote.official_rate.quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN),
            scale=quote.scale,
            created_at=created_at,
        )


@dataclass(frozen=True)
class CurrencyRateView:
    """The public shape of a rate; ``is_active`` marks the latest date of its currency."""

    id: int
    currency: str
    rate: Decimal
    date: dt.date
    is_active: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class RateFailure:
    currency: str
    reason: str
    kept_date: dt.date | None
    """Date of the last good rate still served for the currency (None: there is none)."""


@dataclass(frozen=True)
class RefreshSummary:
    stored: list[CurrencyRate] = field(default_factory=list)
    failed: list[RateFailure] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failed
