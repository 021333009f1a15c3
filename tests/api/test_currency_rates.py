"""Currency rates end to end on PostgreSQL: the refresh job (in-process queue, the embedded
mode) asks a fake NBRB on loopback over HTTP, stores the rates, and the API lists them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from structlog.testing import capture_logs

from hrhelper.adapters.nbrb import NbrbRateSource
from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.entrypoints.jobs import REFRESH_CURRENCY_RATES_JOB
from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api
from tests.support.fakes import FakeClock
from tests.support.nbrb import FakeNbrb, fake_nbrb

pytestmark = pytest.mark.postgres

THURSDAY, FRIDAY = date(2026, 11, 19), date(2026, 11, 20)
# A Saturday: the app's own scheduler finds nothing due while these tests run.
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
URL = "/api/v1/finance/currency-rates/"


@pytest.fixture
def nbrb() -> Iterator[tuple[FakeNbrb, str]]:
    with fake_nbrb() as server:
        yield server


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings],
    postgres_url: str,
    postgres_engine: AsyncEngine,  # empties the database after the test
    nbrb: tuple[FakeNbrb, str],
) -> AsyncIterator[Api]:
    settings = make_settings(DATABASE_URL=postgres_url, CURRENCY_RATES_URL=nbrb[1])
    # A fixed time, set before the app (and its scheduler) starts; one attempt per call, so
    # failures do not wait on backoff.
    async for value in create_api(settings, clock=FakeClock(NOW)):
        client = value.container.outside_http()
        value.container.rate_source.override(NbrbRateSource(client, nbrb[1], attempts=1))
        yield value


def publish(fake: FakeNbrb, on: date, usd: str, eur: str, pln: str) -> None:
    fake.today = on
    fake.seed("USD", usd, on)
    fake.seed("EUR", eur, on)
    fake.seed("PLN", pln, on)  # quoted per 10 złoty


async def run_refresh(api: Api) -> None:
    """Enqueue the job the scheduler enqueues, and wait until it (and its retries) ended."""
    queue = api.container.job_queue()
    assert isinstance(queue, InProcessJobQueue)
    await api.in_app(queue.enqueue, REFRESH_CURRENCY_RATES_JOB, {})
    await api.in_app(queue.drain)


async def listed(api: Api, role: str = "user", **query: str) -> list[tuple[str, str, float, bool]]:
    response = await api.client.get(URL, params=query, headers=api.auth(role))
    assert response.status_code == 200, response.text
    return [(r["currency"], r["date"], r["rate"], r["is_active"]) for r in response.json()]


async def test_the_refresh_job_stores_per_unit_rates_and_the_latest_is_active(
    api: Api, nbrb: tuple[FakeNbrb, str]
) -> None:
    fake, _ = nbrb
    # Given rates published on Thursday, then on Friday, each fetched by the job
    publish(fake, THURSDAY, usd="3.2400", eur="3.5000", pln="8.0100")
    await run_refresh(api)
    publish(fake, FRIDAY, usd="3.2500", eur="3.5123", pln="8.0567")
    await run_refresh(api)

    # When a candidate lists the rates
    response = await api.client.get(URL, headers=api.auth("user"))

    # Then the answer is the bare array of the spec, newest first, per-unit rates as numbers
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert set(body[0]) == {"id", "currency", "rate", "date", "is_active", "created_at"}
    assert body[0]["created_at"].startswith("2026-11-21T09:30:00")
    assert [(r["currency"], r["date"], r["rate"], r["is_active"]) for r in body] == [
        ("EUR", "2026-11-20", 3.5123, True),
        ("PLN", "2026-11-20", 0.80567, True),
        ("USD", "2026-11-20", 3.25, True),
        ("EUR", "2026-11-19", 3.5, False),
        ("PLN", "2026-11-19", 0.801, False),
        ("USD", "2026-11-19", 3.24, False),
    ]
    # and the bank was asked by ISO code, never by its internal ids
    assert {r.query.get("parammode") for r in fake.journal} == {"2"}


async def test_filters_by_currency_in_any_case_and_by_activity(
    api: Api, nbrb: tuple[FakeNbrb, str]
) -> None:
    fake, _ = nbrb
    publish(fake, THURSDAY, usd="3.2400", eur="3.5000", pln="8.0100")
    await run_refresh(api)
    publish(fake, FRIDAY, usd="3.2500", eur="3.5123", pln="8.0567")
    await run_refresh(api)

    assert await listed(api, currency="usd") == [
        ("USD", "2026-11-20", 3.25, True),
        ("USD", "2026-11-19", 3.24, False),
    ]
    assert await listed(api, "hr", is_active="true") == [
        ("EUR", "2026-11-20", 3.5123, True),
        ("PLN", "2026-11-20", 0.80567, True),
        ("USD", "2026-11-20", 3.25, True),
    ]
    assert await listed(api, "admin", currency="EUR", is_active="false") == [
        ("EUR", "2026-11-19", 3.5, False)
    ]
    assert await listed(api, currency="GBP") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({"currency": "dollars"}, "currency"), ({"is_active": "maybe"}, "is_active")],
)
async def test_bad_filters_are_a_400_in_the_error_format(
    api: Api, query: dict[str, str], field: str
) -> None:
    response = await api.client.get(URL, params=query, headers=api.auth("user"))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ValidationError"
    assert field in body["details"]


async def test_anonymous_callers_are_refused(api: Api) -> None:
    response = await api.client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"] == "AuthenticationFailed"


async def test_a_failed_fetch_keeps_the_last_good_rates_and_is_logged(
    api: Api, nbrb: tuple[FakeNbrb, str]
) -> None:
    fake, _ = nbrb
    # Given Friday's rates stored
    publish(fake, FRIDAY, usd="3.2500", eur="3.5123", pln="8.0567")
    await run_refresh(api)
    before = await listed(api)
    # and the bank down (every call a 503) on the next day
    fake.today = FRIDAY + timedelta(days=1)
    fake.fail_next(100, status=503)

    # When the job runs, and retries
    with capture_logs() as logs:
        await run_refresh(api)

    # Then the stored rates are unchanged and still active
    assert await listed(api) == before
    assert all(active for *_, active in before)
    # and each currency's failure was logged with the date of the rate still served
    kept = [e for e in logs if e["event"] == "currency_rate_kept"]
    assert {(e["currency"], e["kept_date"]) for e in kept} == {
        ("USD", "2026-11-20"),
        ("EUR", "2026-11-20"),
        ("PLN", "2026-11-20"),
    }
    assert all("503" in e["reason"] for e in kept)
    # and the job was retried before it gave up
    assert len(kept) == 3 * 4  # 1 attempt + 3 retries
    assert sum(e["event"] == "job_failed" for e in logs) == 1
