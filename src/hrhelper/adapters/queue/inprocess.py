"""Runs jobs as tasks of the API's own event loop: the embedded default needs no Redis."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import structlog

from hrhelper.ports.jobs import JobQueue, JobRef

__all__ = ["InProcessJobQueue", "JobHandler"]

_log = structlog.get_logger(__name__)

JobHandler = Callable[[Mapping[str, object]], Awaitable[object]]


@dataclass(frozen=True)
class _Registration:
    handler: JobHandler
    max_retries: int
    should_retry: Callable[[BaseException], bool]


class InProcessJobQueue(JobQueue):
    """Same contract as the dramatiq queue: retries with exponential backoff and jitter.

    Jobs are not durable here; what they act on is (the outbox rows, the import ledgers),
    and the sweepers re-enqueue what a restart dropped.
    """

    def __init__(self, *, min_backoff_ms: int, max_backoff_ms: int) -> None:
        self._min_backoff = min_backoff_ms / 1000
        self._max_backoff = max_backoff_ms / 1000
        self._handlers: dict[str, _Registration] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def register(
        self,
        job: str,
        handler: JobHandler,
        *,
        max_retries: int,
        should_retry: Callable[[BaseException], bool],
    ) -> None:
        self._handlers[job] = _Registration(handler, max_retries, should_retry)

    async def enqueue(
        self, job: str, payload: Mapping[str, object], *, delay_ms: int = 0
    ) -> JobRef:
        registration = self._handlers.get(job)
        if registration is None:
            raise LookupError(f"no job named {job!r} is registered")
        ref = uuid.uuid4().hex
        task = asyncio.create_task(self._run(ref, job, registration, dict(payload), delay_ms))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return ref

    async def _run(
        self,
        ref: str,
        job: str,
        registration: _Registration,
        payload: dict[str, object],
        delay_ms: int,
    ) -> None:
        log = _log.bind(job=job, job_id=ref)
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        for attempt in range(registration.max_retries + 1):
            try:
                await registration.handler(payload)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                last = attempt >= registration.max_retries
                if last or not registration.should_retry(error):
                    log.exception("job_failed", attempt=attempt + 1)
                    return
                delay = min(self._max_backoff, self._min_backoff * 2**attempt)
                log.warning("job_retry", attempt=attempt + 1, delay_s=delay, error=str(error))
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))  # noqa: S311 - jitter
            else:
                log.info("job_done", attempt=attempt + 1)
                return

    async def drain(self) -> None:
        """Wait until every queued job, and any job they queued, has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
