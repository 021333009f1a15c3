"""One dramatiq actor per job of ``JOBS``, declared on the broker it is given.

There is no module-level broker: ``declare_actors(broker, container)`` is called by
``run_worker`` (and by tests with their own broker).

Retries are dramatiq's own (the Retries middleware):
- each actor carries its job's ``max_retries``, the backoff from settings, and a
  ``retry_when`` built from ``should_retry``;
- when ``retry_when`` is set, dramatiq asks only it and ignores ``max_retries``, so the
  policy checks both;
- a failure the policy retries is logged here as a warning and re-raised as
  ``dramatiq.Retry``, so dramatiq does not print a traceback for every expected retry. A final
  failure keeps its own exception; dramatiq fails the message and logs its traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import dramatiq
import structlog
from dramatiq.middleware import CurrentMessage

from hrhelper.adapters.queue.dramatiq_queue import DEFAULT_QUEUE
from hrhelper.container import Container
from hrhelper.entrypoints.jobs import JOBS, JobSpec, should_retry
from hrhelper.settings import Settings

__all__ = ["JobActor", "RetryWhen", "declare_actors", "retry_policy"]

_log = structlog.get_logger("hrhelper.worker")

RetryWhen = Callable[[int, BaseException], bool]
"""dramatiq's ``retry_when(retries, error)``; ``retries`` counts the earlier retries."""

JobActor = dramatiq.Actor[..., None]


def retry_policy(max_retries: int) -> RetryWhen:
    """Retry while retries are left and ``should_retry`` calls the error passing."""

    def retry_when(retries: int, error: BaseException) -> bool:
        return retries < max_retries and should_retry(error)

    return retry_when


def declare_actors(broker: dramatiq.Broker, container: Container) -> dict[str, JobActor]:
    """Declare the actors of every job on ``broker``; they run their job with ``container``."""
    settings: Settings = container.settings()
    if not any(isinstance(middleware, CurrentMessage) for middleware in broker.middleware):
        broker.add_middleware(CurrentMessage())  # the actors log their message's id and attempt
    actors: dict[str, JobActor] = {}
    for spec in JOBS:
        retry_when = retry_policy(spec.max_retries)
        limits: dict[str, Any] = {}
        if spec.time_limit_ms is not None:
            limits["time_limit"] = spec.time_limit_ms
        declare = dramatiq.actor(
            broker=broker,
            actor_name=spec.name,
            queue_name=DEFAULT_QUEUE,
            max_retries=spec.max_retries,
            min_backoff=settings.job_min_backoff_ms,
            max_backoff=settings.job_max_backoff_ms,
            retry_when=retry_when,
            **limits,
        )
        actors[spec.name] = declare(_job_function(spec, container, retry_when))
    return actors


def _job_function(
    spec: JobSpec, container: Container, retry_when: RetryWhen
) -> Callable[..., Awaitable[None]]:
    async def run_job(**payload: object) -> None:
        # CurrentMessage's context variable reaches this coroutine: dramatiq schedules it on
        # the AsyncIO loop with a copy of the worker thread's context.
        message = CurrentMessage.get_current_message()
        retries = int(message.options.get("retries", 0)) if message is not None else 0
        log = _log.bind(
            job=spec.name,
            message_id=message.message_id if message is not None else None,
            attempt=retries + 1,
        )
        log.info("job_started")
        started = time.perf_counter()
        try:
            outcome = await spec.run(container, payload)
        except Exception as error:
            retry = retry_when(retries, error)
            log.log(
                logging.WARNING if retry else logging.ERROR,
                "job_failed",
                error=str(error),
                error_type=type(error).__name__,
                retry=retry,
                duration_ms=_since(started),
            )
            if retry:
                raise dramatiq.Retry(str(error)) from error
            raise
        log.info("job_finished", outcome=_loggable(outcome), duration_ms=_since(started))

    run_job.__name__ = run_job.__qualname__ = spec.name
    return run_job


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def _loggable(outcome: object) -> object:
    return outcome if isinstance(outcome, str | int | float | bool | None) else repr(outcome)
