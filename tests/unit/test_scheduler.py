"""Calendar ticks driven by a fake clock: when they fire, that they fire once per firing, and
how they make up for time the scheduler was down."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrhelper.entrypoints.jobs import (
    CLICKUP_AUTO_SYNC_JOB,
    NOTION_AUTO_SYNC_JOB,
    REFRESH_CURRENCY_RATES_JOB,
    REFRESH_HUNTFLOW_TOKENS_JOB,
    RELAY_OUTBOX_JOB,
    RESUME_BULK_IMPORTS_JOB,
)
from hrhelper.entrypoints.scheduler import (
    CalendarPlan,
    CalendarTick,
    Tick,
    default_schedule,
    run_schedule,
)
from tests.support.fakes import FakeClock, RecordingJobQueue

MINSK = ZoneInfo("Europe/Minsk")
JOB = "refresh"


def minsk(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Minsk time (the 23rd is a Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=MINSK)


def create_tick(catch_up: timedelta = timedelta(0)) -> CalendarTick:
    return CalendarTick(
        JOB, times=(time(14, 0), time(9, 0)), zone="Europe/Minsk", catch_up=catch_up
    )


def run_plan(plan: CalendarPlan, clock: FakeClock, until: datetime, step: timedelta) -> list:
    """Advance the clock by ``step`` up to ``until``, collecting (time, job) of each firing."""
    fired = []
    while clock.now() < until:
        clock.advance(step)
        fired += [(clock.now().astimezone(MINSK), job) for job in plan.due(clock.now())]
    return fired


def test_next_firing_is_at_nine_and_two_minsk_time_on_working_days_only() -> None:
    sut = create_tick()
    # Friday morning → Friday 09:00; Friday 09:00 exactly → Friday 14:00 (strictly after)
    assert sut.next_after(minsk(20, 8)) == minsk(20, 9)
    assert sut.next_after(minsk(20, 9)) == minsk(20, 14)
    # Friday afternoon and the weekend → Monday 09:00
    assert sut.next_after(minsk(20, 14)) == minsk(23, 9)
    assert sut.next_after(minsk(22, 12)) == minsk(23, 9)
    # Minsk is UTC+3 all year: 09:00 there is 06:00 UTC
    assert sut.next_after(minsk(23, 8)).astimezone(UTC) == datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def test_a_week_of_minutes_fires_ten_times_each_once() -> None:
    # Given a plan started on a Sunday, and a clock ticking by the minute through the week
    clock = FakeClock(minsk(22, 0).astimezone(UTC))
    sut = CalendarPlan([create_tick()], clock.now())
    # When the loop looks at the plan every minute until next Sunday
    fired = run_plan(sut, clock, minsk(29, 0), timedelta(minutes=1))
    # Then it fired at 09:00 and 14:00 Monday to Friday, never twice for one firing
    expected = [(minsk(day, hour), JOB) for day in range(23, 28) for hour in (9, 14)]
    assert fired == expected


def test_polling_many_times_within_the_same_second_fires_once() -> None:
    clock = FakeClock(minsk(23, 8, 59).astimezone(UTC))
    sut = CalendarPlan([create_tick()], clock.now())
    fired = run_plan(sut, clock, minsk(23, 9, 1), timedelta(milliseconds=250))
    assert fired == [(minsk(23, 9, 0), JOB)]


def test_a_clock_stepping_back_does_not_fire_the_same_slot_again() -> None:
    # Given the 09:00 firing done
    clock = FakeClock(minsk(23, 8, 59).astimezone(UTC))
    sut = CalendarPlan([create_tick()], clock.now())
    clock.advance(timedelta(minutes=1, seconds=5))
    assert sut.due(clock.now()) == [JOB]
    # When the clock is stepped back across 09:00 and then runs forward again
    clock.advance(timedelta(minutes=-2))
    fired = run_plan(sut, clock, minsk(23, 13, 0), timedelta(seconds=30))
    # Then 09:00 is not fired again
    assert fired == []


def test_downtime_over_several_firings_is_made_up_once() -> None:
    # Given a plan that last looked on Monday at 08:00
    clock = FakeClock(minsk(23, 8).astimezone(UTC))
    sut = CalendarPlan([create_tick()], clock.now())
    assert sut.due(clock.now()) == []
    # When the host sleeps until Wednesday 10:30 (five firings missed)
    clock.current = minsk(25, 10, 30).astimezone(UTC)
    # Then the job fires once on waking, and next at Wednesday 14:00
    assert sut.due(clock.now()) == [JOB]
    assert sut.due(clock.now() + timedelta(seconds=1)) == []
    assert sut.next_firing() == minsk(25, 14)


@pytest.mark.parametrize(
    ("started", "fires_at_start"),
    [
        (minsk(23, 10, 0), True),  # 09:00 missed an hour ago: made up
        (minsk(23, 15, 0), True),  # 14:00 missed: made up once (not 09:00 as well)
        (minsk(23, 8, 0), False),  # nothing missed yet today
        (minsk(24, 2, 0), False),  # Monday 14:00 is twelve hours back: too old
        (minsk(28, 12, 0), False),  # Saturday: nothing to make up
    ],
)
def test_a_scheduler_started_late_makes_up_a_recent_firing_once(
    started: datetime, fires_at_start: bool
) -> None:
    sut = CalendarPlan([create_tick(catch_up=timedelta(hours=6))], started.astimezone(UTC))
    assert sut.due(started) == ([JOB] if fires_at_start else [])
    assert sut.due(started + timedelta(seconds=1)) == []


def test_without_catch_up_a_start_after_a_firing_waits_for_the_next() -> None:
    started = minsk(23, 9, 30).astimezone(UTC)
    sut = CalendarPlan([create_tick()], started)
    assert sut.due(started) == []
    assert sut.next_firing() == minsk(23, 14)


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
    )
)
def test_next_firing_is_the_earliest_working_day_slot_after_the_moment(moment: datetime) -> None:
    firing = create_tick().next_after(moment).astimezone(MINSK)
    assert firing > moment
    assert firing.weekday() < 5
    assert firing.time() in (time(9, 0), time(14, 0))
    assert firing - moment <= timedelta(days=3, hours=5)  # Friday 14:00 → Monday 09:00 at most


@pytest.mark.parametrize(
    "bad",
    [
        {"times": ()},
        {"times": (time(9, 0),), "weekdays": frozenset()},
        {"times": (time(9, 0),), "weekdays": frozenset({7})},
        {"times": (time(9, 0, tzinfo=UTC),)},
        {"times": (time(9, 0),), "zone": "Europe/Atlantis"},
        {"times": (time(9, 0),), "catch_up": timedelta(hours=-1)},
    ],
)
def test_a_bad_calendar_tick_is_refused_at_construction(bad: dict[str, object]) -> None:
    with pytest.raises((ValueError, LookupError)):
        CalendarTick(JOB, **bad)  # type: ignore[arg-type]


def test_the_default_schedule_refreshes_rates_on_working_days_unless_turned_off() -> None:
    jobs = {tick.job: tick for tick in default_schedule()}
    rates = jobs[REFRESH_CURRENCY_RATES_JOB]
    assert isinstance(rates, CalendarTick)
    assert (rates.zone, sorted(rates.times)) == ("Europe/Minsk", [time(9, 0), time(14, 0)])
    assert rates.weekdays == frozenset(range(5))
    assert isinstance(jobs[RELAY_OUTBOX_JOB], Tick)
    assert isinstance(jobs[REFRESH_HUNTFLOW_TOKENS_JOB], Tick)
    without = [t.job for t in default_schedule(currency_rates=False, clickup=False, notion=False)]
    assert without == [RELAY_OUTBOX_JOB, REFRESH_HUNTFLOW_TOKENS_JOB, RESUME_BULK_IMPORTS_JOB]


def test_the_default_schedule_sweeps_clickup_auto_syncs_every_minute() -> None:
    jobs = {tick.job: tick for tick in default_schedule()}
    assert jobs[CLICKUP_AUTO_SYNC_JOB] == Tick(CLICKUP_AUTO_SYNC_JOB, every_seconds=60)
    assert CLICKUP_AUTO_SYNC_JOB not in {t.job for t in default_schedule(clickup=False)}


def test_the_default_schedule_sweeps_notion_auto_syncs_every_minute() -> None:
    jobs = {tick.job: tick for tick in default_schedule()}
    assert jobs[NOTION_AUTO_SYNC_JOB] == Tick(NOTION_AUTO_SYNC_JOB, every_seconds=60)
    assert NOTION_AUTO_SYNC_JOB not in {t.job for t in default_schedule(notion=False)}


async def test_the_loop_enqueues_a_due_calendar_job_once_and_keeps_running() -> None:
    # Given a scheduler started on Monday at 10:00 Minsk time, with the 09:00 firing missed
    clock = FakeClock(minsk(23, 10).astimezone(UTC))
    queue = RecordingJobQueue()
    schedule = (
        CalendarTick(JOB, times=(time(9, 0),), zone="Europe/Minsk", catch_up=timedelta(hours=2)),
    )
    task = asyncio.create_task(run_schedule(queue, clock, schedule))
    try:
        # When the loop has run
        for _ in range(200):
            if queue.enqueued:
                break
            await asyncio.sleep(0.01)
        # Then the job was enqueued once, and the loop is still waiting for the next firing
        assert queue.enqueued == [(JOB, {})]
        assert not task.done()
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def test_the_default_schedule_sweeps_bulk_imports_left_by_dead_workers_every_minute() -> None:
    jobs = {tick.job: tick for tick in default_schedule()}
    assert jobs[RESUME_BULK_IMPORTS_JOB] == Tick(RESUME_BULK_IMPORTS_JOB, every_seconds=60)
