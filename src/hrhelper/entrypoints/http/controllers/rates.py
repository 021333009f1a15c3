"""Finance: official currency rates against BYN (a bare list, as the spec shows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from hrhelper.domain.finance.model import CurrencyRateView
from hrhelper.domain.finance.rates import RateService

__all__ = ["CurrencyRateOut", "CurrencyRatesController"]


class CurrencyRateOut(msgspec.Struct):
    id: int
    currency: str
    rate: float
    """BYN per one unit; six decimals at most, which a JSON number carries exactly."""
    date: date
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, view: CurrencyRateView) -> CurrencyRateOut:
        return cls(
            view.id, view.currency, float(view.rate), view.date, view.is_active, view.created_at
        )


class CurrencyRatesController(Controller):
    path = "/api/v1/finance/currency-rates"
    tags = ["Finance"]  # noqa: RUF012 - Litestar reads class attributes

    @get("/", operation_id="currency_rates_list")
    async def list_rates(
        self,
        rates: NamedDependency[RateService],
        currency: Annotated[str | None, QueryParameter(max_length=10)] = None,
        is_active: Annotated[bool | None, QueryParameter()] = None,
    ) -> list[CurrencyRateOut]:
        """Official NBRB rates (BYN per unit), newest first; the latest rate of each currency
        is the active one. Filters: ``currency`` (ISO code, any case), ``is_active``."""
        return [CurrencyRateOut.of(v) for v in await rates.list(currency, is_active)]
