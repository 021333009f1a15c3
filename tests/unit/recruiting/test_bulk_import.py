"""Bulk import pacing, progress and the start checks, over in-memory adapters and a fake
clock whose sleeps move time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hrhelper.domain.errors import InvalidInput, NotFound
from hrhelper.domain.recruiting.bulk_import import ImportRequest
from hrhelper.domain.recruiting.bulk_import_model import BulkImport, ImportStatus
from hrhelper.ports.bulk_imports import SourceCard
from tests.support.bulk import (
    ACCOUNT,
    USER,
    VACANCY,
    FakeSource,
    SleepingClock,
    create_world,
    run_queued,
)


class SlowSource(FakeSource):
    """Reading a card takes ``seconds`` of ``clock``."""

    def __init__(self, ids: list[str], clock: SleepingClock, seconds: float) -> None:
        super().__init__(ids)
        self._clock, self._seconds = clock, seconds

    async def card(self, user_id: int, item_id: str) -> SourceCard:
        self._clock.advance(timedelta(seconds=self._seconds))
        return await super().card(user_id, item_id)


async def test_tasks_start_no_sooner_than_the_delay_apart() -> None:
    world = create_world(["a", "b", "c"], [], {})
    await world.sut.start(USER, "clickup", ImportRequest(ACCOUNT, VACANCY, delay_s=5.0))
    await run_queued(world)
    # two waits of five seconds, in slices short enough to notice a stop
    assert sum(world.clock.slept) == pytest.approx(10.0)
    assert max(world.clock.slept) <= 1.0


async def test_slower_tasks_are_not_delayed_further() -> None:
    clock = SleepingClock()
    source = SlowSource(["a", "b"], clock, seconds=7.0)
    world = create_world([], [], {}, clock=clock, source=source)
    job = await world.sut.start(USER, "clickup", ImportRequest(ACCOUNT, VACANCY, delay_s=5.0))
    await run_queued(world)
    assert world.clock.slept == []
    done = await world.sut.get(USER, "clickup", job.id or 0)
    assert (done.status, done.succeeded) == (ImportStatus.COMPLETED, 2)


async def test_start_checks_the_request_the_source_and_the_vacancy() -> None:
    world = create_world(["a"], [], {})
    with pytest.raises(InvalidInput) as bad:
        await world.sut.start(
            USER,
            "clickup",
            ImportRequest(ACCOUNT, VACANCY, delay_s=-1, max_items=0),
            names=("max_tasks", "delay_between_tasks"),
        )
    assert set(bad.value.details) == {"max_tasks", "delay_between_tasks"}
    world.source.configured = False
    with pytest.raises(InvalidInput):
        await world.sut.start(USER, "clickup", ImportRequest(ACCOUNT, VACANCY))
    world.source.configured = True
    with pytest.raises(NotFound):
        await world.sut.start(USER, "clickup", ImportRequest(ACCOUNT, 999))
    assert world.jobs.enqueued == []
    # an import of another source is not found under this one
    job = await world.sut.start(USER, "clickup", ImportRequest(ACCOUNT, VACANCY))
    with pytest.raises(NotFound):
        await world.sut.get(USER, "notion", job.id or 0)


def test_progress_and_eta_follow_the_pace_so_far() -> None:
    world = create_world([], [], {})
    now = world.clock.now()
    job = BulkImport(
        USER,
        "clickup",
        ACCOUNT,
        VACANCY,
        created_at=now,
        delay_s=2.0,
        status=ImportStatus.RUNNING,
        listed=True,
        total=10,
        succeeded=3,
        skipped=1,
        started_at=now - timedelta(seconds=20),
    )
    assert (job.processed, job.percentage) == (4, 40.0)
    assert job.eta(now) == timedelta(seconds=30)  # 5 s an item so far, 6 items left
    assert BulkImport(USER, "clickup", ACCOUNT, VACANCY, created_at=now).eta(now) is None


async def test_a_run_for_another_user_leaves_the_import_alone() -> None:
    world = create_world(["a"], [], {})
    job = await world.sut.start(USER, "clickup", ImportRequest(ACCOUNT, VACANCY))
    assert await world.sut.run(USER + 1, job.id or 0) is None
    untouched = await world.sut.get(USER, "clickup", job.id or 0)
    assert (untouched.status, untouched.owner, untouched.runs) == (ImportStatus.PENDING, None, 0)
