"""The currency-rate repository contract, run on memory, SQLite and PostgreSQL alike.

The SQL backends use the migrated databases of tests/conftest.py (so migration 0004 is
exercised too), through the shared ``uow_factory`` fixture.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hrhelper.domain.finance.model import CurrencyRate
from hrhelper.ports.persistence import UnitOfWork

Uow = UnitOfWork
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
D1, D2, D3 = date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)


def create_rate(
    currency: str = "USD",
    on: date = D3,
    rate: str = "3.25",
    official: str | None = None,
    scale: int = 1,
    created_at: datetime = NOW,
) -> CurrencyRate:
    return CurrencyRate(
        currency=currency,
        date=on,
        rate=Decimal(rate),
        official_rate=Decimal(official or rate),
        scale=scale,
        created_at=created_at,
    )


async def store(uow_factory: Callable[[], Uow], *rates: CurrencyRate) -> list[CurrencyRate]:
    async with uow_factory() as uow:
        stored = [await uow.currency_rates.upsert(rate) for rate in rates]
        await uow.commit()
    return stored


async def test_upsert_gives_an_id_and_keeps_exact_decimals_after_commit(
    uow_factory: Callable[[], Uow],
) -> None:
    # Given a rate stored without commit
    async with uow_factory() as uow:
        await uow.currency_rates.upsert(create_rate("EUR"))
    # When a RUB rate (quoted per 100) is stored and committed
    (rub,) = await store(
        uow_factory, create_rate("RUB", rate="0.036012", official="3.6012", scale=100)
    )
    # Then only the committed one exists, with its exact figures
    async with uow_factory() as uow:
        listed = await uow.currency_rates.list(None, None)
    assert rub.id is not None
    assert [(v.id, v.currency, v.rate, v.date, v.created_at) for v in listed] == [
        (rub.id, "RUB", Decimal("0.036012"), D3, NOW)
    ]
    assert (rub.official_rate, rub.scale) == (Decimal("3.6012"), 100)


async def test_upsert_of_the_same_day_updates_in_place(uow_factory: Callable[[], Uow]) -> None:
    (first,) = await store(uow_factory, create_rate(rate="3.25"))
    # When the same (currency, date) is stored again later with another figure
    later = NOW + timedelta(hours=5)
    (second,) = await store(uow_factory, create_rate(rate="3.2611", created_at=later))
    # Then it is the same row: same id and first-seen time, the new figure
    assert (second.id, second.created_at, second.rate) == (first.id, NOW, Decimal("3.2611"))
    async with uow_factory() as uow:
        listed = await uow.currency_rates.list("USD", None)
    assert [(v.id, v.rate) for v in listed] == [(first.id, Decimal("3.2611"))]


async def test_concurrent_upserts_of_one_day_leave_one_row(uow_factory: Callable[[], Uow]) -> None:
    # When two refreshes store the same day at the same time (two schedulers after a deploy)
    await asyncio.gather(
        store(uow_factory, create_rate(rate="3.25")),
        store(uow_factory, create_rate(rate="3.25")),
    )
    # Then neither fails and there is one row
    async with uow_factory() as uow:
        assert len(await uow.currency_rates.list(None, None)) == 1


async def test_list_marks_the_latest_day_of_each_currency_active(
    uow_factory: Callable[[], Uow],
) -> None:
    # Given USD on three days, EUR on two, PLN on the first only
    await store(
        uow_factory,
        create_rate("USD", D1, "3.20"),
        create_rate("EUR", D1, "3.50"),
        create_rate("PLN", D1, "0.80567", official="8.0567", scale=10),
        create_rate("USD", D2, "3.21"),
        create_rate("EUR", D2, "3.51"),
        create_rate("USD", D3, "3.22"),
    )
    async with uow_factory() as uow:
        everything = await uow.currency_rates.list(None, None)
        active = await uow.currency_rates.list(None, True)
        inactive_usd = await uow.currency_rates.list("USD", False)
        eur = await uow.currency_rates.list("EUR", None)
        unknown = await uow.currency_rates.list("CHF", None)
    # Then rows come newest first, by currency within a day, active = latest per currency
    assert [(v.currency, v.date, v.is_active) for v in everything] == [
        ("USD", D3, True),
        ("EUR", D2, True),
        ("USD", D2, False),
        ("EUR", D1, False),
        ("PLN", D1, True),
        ("USD", D1, False),
    ]
    assert [(v.currency, v.rate) for v in active] == [
        ("USD", Decimal("3.22")),
        ("EUR", Decimal("3.51")),
        ("PLN", Decimal("0.80567")),
    ]
    assert [v.date for v in inactive_usd] == [D2, D1]
    assert [(v.date, v.is_active) for v in eur] == [(D2, True), (D1, False)]
    assert unknown == []
    assert all(isinstance(v.is_active, bool) for v in everything)


async def test_latest_dates_per_currency(uow_factory: Callable[[], Uow]) -> None:
    async with uow_factory() as uow:
        assert await uow.currency_rates.latest_dates() == {}
    await store(
        uow_factory,
        create_rate("USD", D1),
        create_rate("USD", D3),
        create_rate("EUR", D2),
    )
    async with uow_factory() as uow:
        assert await uow.currency_rates.latest_dates() == {"USD": D3, "EUR": D2}
        assert await uow.currency_rates.latest_dates(["EUR", "CHF"]) == {"EUR": D2}
        assert await uow.currency_rates.latest_dates([]) == {}
