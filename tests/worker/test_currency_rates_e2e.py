"""The currency-rate refresh end to end: the test enqueues the job on the real Redis, as the
scheduler does; a real ``hrhelper worker`` process asks a fake NBRB on loopback and stores
the rates in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest

from hrhelper.container import Container
from hrhelper.domain.finance.model import CurrencyRateView
from hrhelper.entrypoints.jobs import REFRESH_CURRENCY_RATES_JOB
from tests.support.nbrb import fake_nbrb
from tests.worker.conftest import StartWorker
from tests.worker.worker_process import WorkerProcess, eventually

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

FRIDAY = date(2026, 11, 20)


async def rates_on(
    container: Container, day: date, worker: WorkerProcess
) -> Sequence[CurrencyRateView]:
    async def probe() -> Sequence[CurrencyRateView] | None:
        views = await container.rate_service().list()
        return views if len([v for v in views if v.date == day]) == 3 else None

    return await eventually(probe, f"three rates of {day}", worker=worker)


async def test_the_worker_refreshes_rates_and_keeps_them_when_the_bank_fails(
    container: Container, worker_env: dict[str, str], start_worker: StartWorker
) -> None:
    with fake_nbrb() as (fake, url):
        # Given the bank publishing Friday's rates, and a worker pointed at it
        fake.today = FRIDAY
        fake.seed("USD", "3.2500")
        fake.seed("EUR", "3.5123")
        fake.seed("PLN", "8.0567")
        worker = start_worker({**worker_env, "CURRENCY_RATES_URL": url})

        # When the scheduler's job is enqueued
        await container.job_queue().enqueue(REFRESH_CURRENCY_RATES_JOB, {})

        # Then the worker stores the per-unit rates, all active
        stored = await rates_on(container, FRIDAY, worker)
        assert sorted((v.currency, v.rate, v.is_active) for v in stored) == [
            ("EUR", Decimal("3.512300"), True),
            ("PLN", Decimal("0.805670"), True),
            ("USD", Decimal("3.250000"), True),
        ]

        # When the bank has nothing for the next day and the job runs again
        fake.today = date(2026, 11, 21)
        message_id = await container.job_queue().enqueue(REFRESH_CURRENCY_RATES_JOB, {})

        # Then the worker logs each currency kept, and the job gives up after its retries
        async def gave_up() -> list[dict[str, object]] | None:
            failed = worker.events("job_failed", message_id=message_id, retry=False)
            return failed or None

        (final,) = await eventually(gave_up, "the refresh to give up", within=30, worker=worker)
        assert final["error_type"] == "OutsideServiceUnavailable"
        assert final["attempt"] == 4
        kept = worker.events("currency_rate_kept", currency="USD")
        assert kept
        assert {e["kept_date"] for e in kept} == {"2026-11-20"}
        # and Friday's rates are still the ones served
        assert await container.rate_service().list() == stored
        assert worker.stop(timeout=15) == 0
