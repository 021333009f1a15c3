"""The NBRB adapter against a faithful fake NBRB on loopback (real HTTP, no mocks)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest

from hrhelper.adapters.nbrb import NbrbRateSource
from hrhelper.domain.errors import OutsideServiceUnavailable
from tests.support.nbrb import TODAY, FakeNbrb, fake_nbrb

RATES_USD = "/exrates/rates/USD"


@pytest.fixture
def nbrb() -> Iterator[tuple[FakeNbrb, str]]:
    with fake_nbrb() as (fake, base_url):
        fake.seed("USD", "3.2500")
        fake.seed("EUR", "3.5123")
        fake.seed("PLN", "8.0567")
        fake.seed("RUB", "3.6012")
        yield fake, base_url


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as http:
        yield http


def create_sut(client: httpx.AsyncClient, base_url: str, **options: Any) -> NbrbRateSource:
    # a short backoff keeps the retry tests fast; everything else is the production default
    return NbrbRateSource(client, base_url, backoff_s=0.01, **options)


async def test_quote_is_per_unit_decimal_by_iso_code(
    nbrb: tuple[FakeNbrb, str], client: httpx.AsyncClient
) -> None:
    fake, base_url = nbrb
    sut = create_sut(client, base_url)
    # When the adapter asks for a currency quoted per 1 and ones quoted per 10 and 100
    usd, pln, rub = [await sut.quote(code) for code in ("USD", "pln", "RUB")]
    # Then the figures are the published ones, exact, and per-unit divides by the scale
    assert (usd.currency, usd.date, usd.official_rate, usd.scale) == (
        "USD",
        TODAY,
        Decimal("3.25"),
        1,
    )
    assert usd.per_unit == Decimal("3.25")
    assert (pln.official_rate, pln.scale, pln.per_unit) == (
        Decimal("8.0567"),
        10,
        Decimal("0.80567"),
    )
    assert isinstance(rub.official_rate, Decimal)
    assert (rub.scale, rub.per_unit) == (100, Decimal("0.036012"))
    # And every request named the currency by ISO alpha code, with parammode=2
    assert [(r.path, r.query) for r in fake.journal] == [
        (f"/exrates/rates/{code}", {"parammode": "2"}) for code in ("USD", "PLN", "RUB")
    ]


async def test_the_fake_is_faithful_about_parammode(nbrb: tuple[FakeNbrb, str]) -> None:
    # Given the fake, asked the way NBRB would be without parammode=2
    _, base_url = nbrb
    async with httpx.AsyncClient(base_url=base_url) as http:
        by_alpha_default = await http.get("/rates/USD")
        by_internal_id = await http.get("/rates/431")
        by_numeric = await http.get("/rates/840", params={"parammode": "1"})
    # Then the default mode reads an internal id, so an ISO code alone finds nothing
    assert by_alpha_default.status_code == 404
    assert by_internal_id.json()["Cur_Abbreviation"] == "USD"
    assert by_numeric.json()["Date"] == "2026-11-20T00:00:00"


async def test_a_503_is_retried_then_succeeds(
    nbrb: tuple[FakeNbrb, str], client: httpx.AsyncClient
) -> None:
    # Given NBRB failing twice
    fake, base_url = nbrb
    fake.fail_next(2, status=503)
    # When one quote is asked for
    quote = await create_sut(client, base_url).quote("EUR")
    # Then the third attempt answers it
    assert quote.per_unit == Decimal("3.5123")
    assert len(fake.journal) == 3


async def test_repeated_503_gives_up_as_unavailable(
    nbrb: tuple[FakeNbrb, str], client: httpx.AsyncClient
) -> None:
    fake, base_url = nbrb
    fake.fail_next(5, status=503)
    with pytest.raises(OutsideServiceUnavailable, match="HTTP 503"):
        await create_sut(client, base_url).quote("USD")
    # three attempts, no more
    assert len(fake.calls(RATES_USD)) == 3


async def test_429_waits_as_long_as_retry_after_says(
    nbrb: tuple[FakeNbrb, str], client: httpx.AsyncClient
) -> None:
    fake, base_url = nbrb
    fake.fail_next(1, status=429, retry_after="1")
    started = time.monotonic()
    quote = await create_sut(client, base_url).quote("USD")
    assert quote.official_rate == Decimal("3.25")
    assert time.monotonic() - started >= 1.0


async def test_a_retry_after_beyond_the_cap_is_left_to_the_job(
    nbrb: tuple[FakeNbrb, str], client: httpx.AsyncClient
) -> None:
    # Given NBRB asking for two minutes of patience
    fake, base_url = nbrb
    fake.fail_next(1, status=429, retry_after="120")
    # When a quote is asked for, then the adapter does not block the caller that long
    started = time.monotonic()
    with pytest.raises(OutsideServiceUnavailable, match="HTTP 429"):
        await create_sut(client, base_url, max_wait_s=10.0).quote("USD")
    assert time.monotonic() - started < 5
    assert len(fake.journal) == 1


async def test_unknown_currency_is_no_rate_published(
    nbrb: tuple[FakeNbrb, str], client: httpx.AsyncClient
) -> None:
    fake, base_url = nbrb
    with pytest.raises(OutsideServiceUnavailable, match="no rate published for CHF"):
        await create_sut(client, base_url).quote("CHF")
    # a 404 is an answer, not an outage: it is not retried
    assert len(fake.journal) == 1


async def test_a_day_not_yet_published_is_no_rate(
    nbrb: tuple[FakeNbrb, str], client: httpx.AsyncClient
) -> None:
    fake, base_url = nbrb
    fake.today = date(2026, 11, 21)  # nothing seeded for this day
    with pytest.raises(OutsideServiceUnavailable, match="no rate published for USD"):
        await create_sut(client, base_url).quote("USD")


async def test_a_slow_answer_times_out_and_is_unavailable(
    nbrb: tuple[FakeNbrb, str], client: httpx.AsyncClient
) -> None:
    fake, base_url = nbrb
    fake.delay_s = 0.5
    with pytest.raises(OutsideServiceUnavailable, match="ReadTimeout"):
        await create_sut(client, base_url, timeout=0.1, attempts=2).quote("USD")
    assert len(fake.journal) == 2


async def test_a_server_that_is_down_is_unavailable(client: httpx.AsyncClient) -> None:
    # Given a base URL where nothing listens (the fake is already closed)
    with fake_nbrb() as (_, base_url):
        pass
    with pytest.raises(OutsideServiceUnavailable, match="ConnectError"):
        await create_sut(client, base_url).quote("USD")
