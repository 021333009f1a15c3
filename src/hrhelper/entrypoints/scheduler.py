"""Periodic jobs. ``hrhelper scheduler`` enqueues them for the workers; in the embedded mode the
API process runs the same loop against its in-process queue.

Two kinds of tick:
- ``Tick``: every N seconds (monotonic time), for sweepers such as the outbox relay;
- ``CalendarTick``: at wall-clock times of a time zone on chosen weekdays, for work tied to
  office hours (the national bank publishes rates on working days).

Several schedulers may run (a rolling deploy): every periodic job is idempotent, so a doubled
tick costs a little work and no harm.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import structlog

from hrhelper.entrypoints.jobs import (
    CLICKUP_AUTO_SYNC_JOB,
    NOTION_AUTO_SYNC_JOB,
    REFRESH_CURRENCY_RATES_JOB,
    REFRESH_HUNTFLOW_TOKENS_JOB,
    RELAY_OUTBOX_JOB,
    RESUME_BULK_IMPORTS_JOB,
)
from hrhelper.ports.clock import Clock
from hrhelper.ports.jobs import JobQueue

__all__ = [
    "SCHEDULE",
    "WORKING_DAYS",
    "CalendarPlan",
    "CalendarTick",
    "Tick",
    "default_schedule",
    "run_schedule",
]

_log = structlog.get_logger(__name__)

WORKING_DAYS = frozenset(range(5))
"""Monday to Friday (``date.weekday()`` numbers)."""

MAX_SLEEP_S = 60.0
"""The loop looks at the wall clock at least this often, so a suspended host or a clock step
is noticed within a minute."""


@dataclass(frozen=True)
class Tick:
    job: str
    every_seconds: float


@dataclass(frozen=True)
class CalendarTick:
    """Fires at the wall-clock ``times`` of ``zone`` on ``weekdays`` (0 = Monday).

    ``catch_up``: when the scheduler starts, a firing missed no longer ago than this is made
    up once (a scheduler restarted at 10:00 still runs the 09:00 job); zero makes up nothing.
    """

    job: str
    times: tuple[time, ...]
    weekdays: frozenset[int] = WORKING_DAYS
    zone: str = "UTC"
    catch_up: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if not self.times:
            raise ValueError(f"{self.job}: give at least one time of day")
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError(f"{self.job}: weekdays must be a non-empty subset of 0..6")
        if any(t.tzinfo is not None for t in self.times):
            raise ValueError(f"{self.job}: times are wall-clock times of the zone, without tzinfo")
        if self.catch_up < timedelta(0):
            raise ValueError(f"{self.job}: catch_up cannot be negative")
        ZoneInfo(self.zone)  # an unknown zone fails here, at start-up

    def next_after(self, moment: datetime) -> datetime:
        """The first firing strictly after ``moment`` (timezone-aware), in UTC."""
        zone = ZoneInfo(self.zone)
        today = moment.astimezone(zone).date()
        for offset in range(8):
            day = today + timedelta(days=offset)
            if day.weekday() not in self.weekdays:
                continue
            for at in sorted(self.times):
                firing = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
                if firing > moment:
                    return firing
        raise AssertionError("unreachable: some weekday comes within eight days")


class CalendarPlan:
    """Which calendar ticks are due at a given time; no I/O, so a fake clock drives it.

    - A tick fires when its next firing after the previous one has come. It then looks for
      the one after *now*: firings missed while the host slept collapse into one, and the
      same firing never fires twice (also when the clock steps back a little).
    - At start the previous firing counts as ``started - catch_up``.
    """

    def __init__(self, ticks: Sequence[CalendarTick], started: datetime) -> None:
        self._ticks = list(ticks)
        self._last = [started - tick.catch_up for tick in self._ticks]

    def due(self, now: datetime) -> list[str]:
        """The jobs to enqueue now; each tick is then done until its next firing."""
        jobs = []
        for index, tick in enumerate(self._ticks):
            if tick.next_after(self._last[index]) <= now:
                self._last[index] = max(now, self._last[index])
                jobs.append(tick.job)
        return jobs

    def next_firing(self) -> datetime | None:
        """When the next tick comes due (None without ticks)."""
        firings = [t.next_after(last) for t, last in zip(self._ticks, self._last, strict=True)]
        return min(firings, default=None)


def default_schedule(
    *, currency_rates: bool = True, clickup: bool = True, notion: bool = True
) -> tuple[Tick | CalendarTick, ...]:
    """The relay and the sweep of bulk imports left by dead workers every minute; the ClickUp
    and Notion auto-sync sweeps every minute (each queues the users whose ``sync_interval``
    has passed); the currency rates at 09:00 and 14:00 Minsk time on working days (the bank
    publishes the next day's rates during the working day), made up once when the scheduler
    starts within six hours after a missed firing."""
    ticks: list[Tick | CalendarTick] = [
        Tick(RELAY_OUTBOX_JOB, every_seconds=60),
        Tick(REFRESH_HUNTFLOW_TOKENS_JOB, every_seconds=60 * 60),  # refreshes pairs due in a day
        Tick(RESUME_BULK_IMPORTS_JOB, every_seconds=60),  # imports whose worker died
    ]
    if clickup:
        ticks.append(Tick(CLICKUP_AUTO_SYNC_JOB, every_seconds=60))
    if notion:
        ticks.append(Tick(NOTION_AUTO_SYNC_JOB, every_seconds=60))
    if currency_rates:
        ticks.append(
            CalendarTick(
                REFRESH_CURRENCY_RATES_JOB,
                times=(time(9, 0), time(14, 0)),
                zone="Europe/Minsk",
                catch_up=timedelta(hours=6),
            )
        )
    return tuple(ticks)


SCHEDULE = default_schedule()


async def run_schedule(
    queue: JobQueue, clock: Clock, schedule: Sequence[Tick | CalendarTick] = SCHEDULE
) -> None:
    """Run until cancelled; a failed enqueue (broker down) is logged and retried next tick."""
    loop = asyncio.get_running_loop()
    intervals = [tick for tick in schedule if isinstance(tick, Tick)]
    plan = CalendarPlan([t for t in schedule if isinstance(t, CalendarTick)], clock.now())
    due = {tick.job: loop.time() + tick.every_seconds for tick in intervals}
    while True:
        jobs = []
        now = loop.time()
        for tick in intervals:
            if due[tick.job] <= now:
                due[tick.job] = now + tick.every_seconds
                jobs.append(tick.job)
        jobs.extend(plan.due(clock.now()))
        for job in jobs:
            try:
                await queue.enqueue(job, {})
            except Exception as error:
                _log.warning("schedule_enqueue_failed", job=job, error=str(error))
        await asyncio.sleep(_pause(loop.time(), due.values(), plan, clock))


def _pause(now: float, due: Iterable[float], plan: CalendarPlan, clock: Clock) -> float:
    waits = [MAX_SLEEP_S, *(at - now for at in due)]
    firing = plan.next_firing()
    if firing is not None:
        waits.append((firing - clock.now()).total_seconds())
    return max(0.05, min(waits))
