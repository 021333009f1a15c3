"""Bulk imports over in-memory adapters: whatever the order of runs, stops, crashed workers,
sweeps of stale imports, retries and failing items, once retried to the end every item is
exactly once done or skipped, and no card reaches Huntflow twice."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrhelper.domain.errors import Conflict
from hrhelper.domain.recruiting.bulk_import import BULK_IMPORT_JOB, ImportRequest
from hrhelper.domain.recruiting.bulk_import_model import BulkImport, ImportStatus, ItemStatus
from tests.support.ats import Fault, Step
from tests.support.bulk import (
    ACCOUNT,
    LEASE,
    PACING,
    USER,
    VACANCY,
    World,
    create_card,
    create_world,
    run_queued,
)


async def act(world: World, job: BulkImport, action: str, stop_at: int) -> None:
    if action == "run":
        await run_queued(world)
    elif action == "stop":
        # the stop arrives while a run waits between items
        async def stop(sleeps: int) -> None:
            if sleeps == stop_at:
                await world.sut.stop(USER, "clickup", job.id or 0)

        world.clock.on_sleep = stop
        world.jobs.enqueued.append((BULK_IMPORT_JOB, {"user_id": USER, "import_id": job.id}))
        await run_queued(world)
        world.clock.on_sleep = None
    elif action == "sweep":
        world.clock.advance(PACING.stale_after + timedelta(seconds=1))
        await world.sut.resume_stale()
    elif action == "retry":
        with contextlib.suppress(Conflict):  # still running, or nothing to retry
            await world.sut.retry_failed(USER, "clickup", job.id or 0)


actions = st.lists(
    st.tuples(st.sampled_from(["run", "stop", "sweep", "retry"]), st.integers(1, 4)),
    max_size=12,
)
steps = st.builds(
    Step,
    pauses=st.just(0),
    fault=st.sampled_from([Fault.NONE] * 6 + list(Fault)),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(1, 6),
    before=st.sets(st.integers(0, 5), max_size=2),
    failing=st.dictionaries(st.integers(0, 5), st.integers(1, 2), max_size=3),
    crash_at=st.sets(st.integers(1, 25), max_size=3),
    plan=st.lists(steps, max_size=40),
    script=actions,
)
def test_every_item_ends_once_and_each_card_has_one_applicant(
    count: int,
    before: set[int],
    failing: dict[int, int],
    crash_at: set[int],
    plan: list[Step],
    script: list[tuple[str, int]],
) -> None:
    asyncio.run(_scenario(count, before, failing, crash_at, plan, script))


async def _scenario(
    count: int,
    before: set[int],
    failing: dict[int, int],
    crash_at: set[int],
    plan: list[Step],
    script: list[tuple[str, int]],
) -> None:
    ids = [f"t{n}" for n in range(count)]
    world = create_world(ids, [], {f"t{n}": times for n, times in failing.items()})
    # Given cards transferred by hand before the import
    earlier = {ids[n] for n in before if n < count}
    for item_id in sorted(earlier):
        await world.transfers.transfer(USER, create_card(item_id), ACCOUNT, VACANCY)
    world.ats.plan.extend(plan)
    world.source.crash_at = {world.source.calls + n for n in crash_at}
    # When an import starts and meets stops, crashes, sweeps and retries in any order
    request = ImportRequest(ACCOUNT, VACANCY, delay_s=5.0, max_items=count)
    job = await world.sut.start(USER, "clickup", request)
    for action, stop_at in script:
        await act(world, job, action, stop_at)
        await check_counters(world, job.id or 0)
    # and then it is swept and retried until it ends without failures
    for _ in range(40):
        world.clock.advance(LEASE + PACING.stale_after)
        await world.sut.resume_stale()
        await run_queued(world)
        current = await world.sut.get(USER, "clickup", job.id or 0)
        if current.status is ImportStatus.COMPLETED and not current.failed:
            break
        if current.status.finished:
            await world.sut.retry_failed(USER, "clickup", job.id or 0)
            await run_queued(world)
    final = await world.sut.get(USER, "clickup", job.id or 0)
    items = await world.sut.items(USER, "clickup", job.id or 0)
    # Then every item is done or skipped, once
    assert final.status is ImportStatus.COMPLETED, final
    assert sorted(i.source_id for i in items) == sorted(ids)
    assert {i.status for i in items} <= {ItemStatus.DONE, ItemStatus.SKIPPED}
    assert (final.total, final.processed, final.failed) == (count, count, 0)
    # and the cards transferred by hand were skipped (none of the import's own were)
    skipped = {i.source_id for i in items if i.status is ItemStatus.SKIPPED}
    assert skipped <= earlier
    # and each card has exactly one applicant, the one its item names
    for item in items:
        applicants = world.ats.applicants_named(f"Last{item.source_id}")
        assert applicants == [item.applicant_id], (item, applicants)
    # and every card the import transferred is marked in the source
    done = {i.source_id for i in items if i.status is ItemStatus.DONE}
    assert done <= set(world.source.marked)
    await check_counters(world, job.id or 0)


async def check_counters(world: World, import_id: int) -> None:
    """The import's counters always agree with its items."""
    job = await world.sut.get(USER, "clickup", import_id)
    tally = Counter(i.status for i in await world.store.items(import_id))
    assert (job.succeeded, job.skipped, job.failed) == (
        tally[ItemStatus.DONE],
        tally[ItemStatus.SKIPPED],
        tally[ItemStatus.FAILED],
    )
    assert job.processed <= job.total
