"""The rate service on in-memory adapters with a scripted rate source."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.finance.model import CurrencyRateView, RateFailure, RateQuote
from hrhelper.domain.finance.rates import RateService
from tests.support.fakes import FakeClock
from tests.support.rates import FakeRateSource

DAY = date(2026, 11, 20)
NEXT_DAY = DAY + timedelta(days=1)


def create_system() -> tuple[RateService, FakeRateSource, MemoryStore, FakeClock]:
    store, source, clock = MemoryStore(), FakeRateSource(), FakeClock()
    sut = RateService(lambda: MemoryUnitOfWork(store), source, clock)
    return sut, source, store, clock


def publish_day(source: FakeRateSource, on: date, usd: str = "3.25") -> None:
    source.publish("USD", on, usd)
    source.publish("EUR", on, "3.5123")
    source.publish("PLN", on, "8.0567", scale=10)


def rows(views: list[CurrencyRateView]) -> list[tuple[str, date, bool]]:
    return [(v.currency, v.date, v.is_active) for v in views]


def test_a_quote_is_divided_by_its_scale_exactly() -> None:
    quote = RateQuote("rub", DAY, Decimal("3.6012"), 100)
    assert quote.currency == "RUB"
    assert quote.per_unit == Decimal("0.036012")
    with pytest.raises(ValueError, match="Decimal"):
        RateQuote("USD", DAY, 3.25, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scale"):
        RateQuote("USD", DAY, Decimal("3.25"), 0)


async def test_refresh_stores_per_unit_rates() -> None:
    sut, source, store, _ = create_system()
    # Given the bank's rates of the day, PLN quoted per 10 and RUB per 100
    publish_day(source, DAY)
    source.publish("RUB", DAY, "3.6012", scale=100)
    # When the rates are refreshed
    summary = await sut.refresh(("USD", "EUR", "PLN", "RUB"))
    # Then each is stored per one unit, exactly, and nothing failed
    assert summary.complete
    stored = {r.currency: r for r in store.currency_rates.values()}
    assert {c: r.rate for c, r in stored.items()} == {
        "USD": Decimal("3.25"),
        "EUR": Decimal("3.5123"),
        "PLN": Decimal("0.80567"),
        "RUB": Decimal("0.036012"),
    }
    assert (stored["RUB"].official_rate, stored["RUB"].scale) == (Decimal("3.6012"), 100)
    assert sorted(r.currency for r in summary.stored) == ["EUR", "PLN", "RUB", "USD"]
    assert all(r.id is not None for r in summary.stored)


async def test_refreshing_the_same_day_again_does_not_duplicate() -> None:
    sut, source, store, clock = create_system()
    publish_day(source, DAY)
    first = await sut.refresh()
    # When the scheduler ticks again later the same day
    clock.advance(timedelta(hours=5))
    second = await sut.refresh()
    # Then there is still one row per currency, with its id and first-seen time
    assert len(store.currency_rates) == 3
    assert [(r.id, r.created_at) for r in second.stored] == [
        (r.id, r.created_at) for r in first.stored
    ]


async def test_a_failing_currency_keeps_its_last_rate_and_is_reported() -> None:
    sut, source, _, _ = create_system()
    # Given yesterday's rates stored
    publish_day(source, DAY)
    await sut.refresh()
    # When today's USD cannot be fetched, and CHF was never known
    publish_day(source, NEXT_DAY, usd="3.30")
    source.down.add("USD")
    summary = await sut.refresh(("USD", "EUR", "PLN", "CHF"))
    # Then the others are stored, and the failures are reported with the rate still served
    assert sorted(r.currency for r in summary.stored) == ["EUR", "PLN"]
    assert [(f.currency, f.kept_date) for f in summary.failed] == [("USD", DAY), ("CHF", None)]
    assert "503" in summary.failed[0].reason
    assert isinstance(summary.failed[0], RateFailure)
    # And USD's active rate is still yesterday's
    active = await sut.list(is_active=True)
    assert [(v.currency, v.date, v.rate) for v in active] == [
        ("EUR", NEXT_DAY, Decimal("3.5123")),
        ("PLN", NEXT_DAY, Decimal("0.80567")),
        ("USD", DAY, Decimal("3.25")),
    ]


async def test_an_answer_for_another_currency_is_a_failure() -> None:
    sut, source, store, _ = create_system()
    source.published["USD"] = RateQuote("EUR", DAY, Decimal("3.5"), 1)
    summary = await sut.refresh(("USD",))
    assert [f.currency for f in summary.failed] == ["USD"]
    assert store.currency_rates == {}


async def test_active_is_the_latest_date_of_each_currency_and_filters_apply() -> None:
    sut, source, _, _ = create_system()
    # Given two days of USD and EUR, and PLN only on the first day
    publish_day(source, DAY)
    await sut.refresh()
    publish_day(source, NEXT_DAY)
    await sut.refresh(("usd", "EUR"))
    # Then the list is newest first, by currency within a day
    assert rows(list(await sut.list())) == [
        ("EUR", NEXT_DAY, True),
        ("USD", NEXT_DAY, True),
        ("EUR", DAY, False),
        ("PLN", DAY, True),
        ("USD", DAY, False),
    ]
    assert rows(list(await sut.list(is_active=False))) == [
        ("EUR", DAY, False),
        ("USD", DAY, False),
    ]
    assert rows(list(await sut.list(currency="usd"))) == [
        ("USD", NEXT_DAY, True),
        ("USD", DAY, False),
    ]
    assert rows(list(await sut.list(currency="PLN", is_active=True))) == [("PLN", DAY, True)]
    assert list(await sut.list(currency="CHF")) == []


async def test_a_currency_filter_must_be_an_iso_code() -> None:
    sut, _, _, _ = create_system()
    with pytest.raises(InvalidInput) as error:
        await sut.list(currency="dollars")
    assert "currency" in error.value.details


days = st.dates(min_value=DAY, max_value=DAY + timedelta(days=10))
refreshes = st.lists(
    st.tuples(st.sampled_from(["USD", "EUR", "PLN"]), days, st.integers(1, 99_999)),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(refreshes)
async def test_any_history_has_one_row_per_day_and_one_active_per_currency(
    history: list[tuple[str, date, int]],
) -> None:
    sut, source, _, _ = create_system()
    # Given any order of refreshes, some repeating a day with another figure
    for currency, on, rate in history:
        source.publish(currency, on, f"{rate}.0001")
        await sut.refresh((currency,))
    views = list(await sut.list())
    # Then each (currency, day) appears once, ordered newest first then by currency
    keys = [(v.currency, v.date) for v in views]
    assert len(keys) == len(set(keys)) == len({(c, d) for c, d, _ in history})
    assert keys == sorted(keys, key=lambda k: (-k[1].toordinal(), k[0]))
    # And exactly the latest day of each currency is active, with the last figure stored
    latest = {c: max(d for c2, d in keys if c2 == c) for c, _ in keys}
    assert {(v.currency, v.date) for v in views if v.is_active} == set(latest.items())
    last_figure = {(c, d): Decimal(f"{r}.0001") for c, d, r in history}
    assert all(v.rate == last_figure[(v.currency, v.date)] for v in views)
