"""Periodic jobs. ``hrhelper scheduler`` enqueues them for the workers; in the embedded mode the
API process runs the same loop against its in-process queue.

Several schedulers may run (a rolling deploy): every periodic job is idempotent, so a doubled
tick costs a little work and no harm.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import structlog

from hrhelper.entrypoints.jobs import REFRESH_HUNTFLOW_TOKENS_JOB, RELAY_OUTBOX_JOB
from hrhelper.ports.jobs import JobQueue

__all__ = ["SCHEDULE", "Tick", "run_schedule"]

_log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Tick:
    job: str
    every_seconds: float


SCHEDULE: tuple[Tick, ...] = (
    Tick(RELAY_OUTBOX_JOB, every_seconds=60),
    Tick(REFRESH_HUNTFLOW_TOKENS_JOB, every_seconds=60 * 60),  # refreshes pairs due in a day
)


async def run_schedule(queue: JobQueue, schedule: tuple[Tick, ...] = SCHEDULE) -> None:
    """Run until cancelled; a failed enqueue (broker down) is logged and retried next tick."""
    loop = asyncio.get_running_loop()
    due = {tick.job: loop.time() + tick.every_seconds for tick in schedule}
    while True:
        now = loop.time()
        for tick in schedule:
            if due[tick.job] <= now:
                due[tick.job] = now + tick.every_seconds
                try:
                    await queue.enqueue(tick.job, {})
                except Exception as error:
                    _log.warning("schedule_enqueue_failed", job=tick.job, error=str(error))
        await asyncio.sleep(max(0.05, min(due.values()) - loop.time()))
