"""The in-process job queue of the embedded mode: same retry contract as the worker."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.domain.errors import InvalidInput, OutsideServiceUnavailable
from hrhelper.entrypoints.jobs import should_retry


def create_queue() -> InProcessJobQueue:
    return InProcessJobQueue(min_backoff_ms=1, max_backoff_ms=5)


async def test_a_failing_job_is_retried_until_it_succeeds() -> None:
    sut, calls = create_queue(), []

    async def flaky(payload: Mapping[str, object]) -> None:
        calls.append(payload["n"])
        if len(calls) < 3:
            raise OutsideServiceUnavailable("down")

    sut.register("flaky", flaky, max_retries=5, should_retry=should_retry)
    await sut.enqueue("flaky", {"n": 7})
    await sut.drain()
    assert calls == [7, 7, 7]


async def test_a_final_domain_error_is_not_retried() -> None:
    sut, calls = create_queue(), []

    async def bad(payload: Mapping[str, object]) -> None:
        calls.append(1)
        raise InvalidInput("no")

    sut.register("bad", bad, max_retries=5, should_retry=should_retry)
    await sut.enqueue("bad", {})
    await sut.drain()
    assert calls == [1]


async def test_retries_stop_at_the_limit() -> None:
    sut, calls = create_queue(), []

    async def down(payload: Mapping[str, object]) -> None:
        calls.append(1)
        raise ConnectionError("refused")

    sut.register("down", down, max_retries=2, should_retry=should_retry)
    await sut.enqueue("down", {})
    await sut.drain()
    assert len(calls) == 3


async def test_an_unknown_job_is_refused() -> None:
    with pytest.raises(LookupError):
        await create_queue().enqueue("nope", {})


async def test_close_cancels_delayed_jobs() -> None:
    sut, calls = create_queue(), []

    async def job(payload: Mapping[str, object]) -> None:
        calls.append(1)

    sut.register("job", job, max_retries=0, should_retry=should_retry)
    await sut.enqueue("job", {}, delay_ms=60_000)
    await sut.aclose()
    assert calls == []
