"""Bulk imports over in-memory adapters: whatever the order of runs, stops, crashed workers,
sweeps of stale imports, retries, failing items and outages of Huntflow or the source (calls
refused for a span of time, or a change applied but never answered), once retried to the end
every item is exactly once done or skipped, and no card reaches Huntflow twice. An outage
never fails an item; it fails the import only once the run has waited the give-up bound."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrhelper.domain.errors import Conflict
from hrhelper.domain.recruiting.bulk_import import BULK_IMPORT_JOB, ImportRequest
from hrhelper.domain.recruiting.bulk_import_model import (
    BulkImport,
    ImportItem,
    ImportStatus,
    ItemStatus,
)
from tests.support.ats import Fault, Outages, Step
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

# a give-up bound the outages below may or may not outlast (the default hour would only make
# the runs longer)
OUTAGE_PACING = replace(PACING, outage_give_up=timedelta(minutes=10))


@dataclass
class Streaks:
    """Watches the store: since when the run has been pausing without an item ending, and
    every time an import ended failed, how long that streak was."""

    since: datetime | None = None
    gave_up_after: list[timedelta] | None = None

    def watch(self, world: World) -> None:
        self.gave_up_after = []
        store = world.store
        pause, finish_item, finish, claim = (
            store.pause,
            store.finish_item,
            store.finish,
            store.claim,
        )

        async def paused(
            import_id: int, owner: str, now: datetime, reason: str, until: datetime
        ) -> BulkImport | None:
            self.since = self.since or now
            return await pause(import_id, owner, now, reason, until)

        async def item_ended(import_id: int, owner: str, item: ImportItem) -> bool:
            self.since = None
            return await finish_item(import_id, owner, item)

        async def ended(
            import_id: int, owner: str, status: ImportStatus, now: datetime, error: str | None
        ) -> BulkImport | None:
            if status is ImportStatus.FAILED:
                assert self.gave_up_after is not None
                assert self.since is not None, error  # failed only after pausing
                self.gave_up_after.append(now - self.since)
            self.since = None
            return await finish(import_id, owner, status, now, error)

        async def claimed(
            import_id: int, owner: str, now: datetime, stale_before: datetime
        ) -> BulkImport | None:
            self.since = None  # a new run starts its own streak
            return await claim(import_id, owner, now, stale_before)

        store.pause = paused  # type: ignore[method-assign]
        store.finish_item = item_ended  # type: ignore[method-assign]
        store.finish = ended  # type: ignore[method-assign]
        store.claim = claimed  # type: ignore[method-assign]


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
# spans (start, length) in seconds from the import's start in which a service is out of
# reach; some last longer than the give-up bound
spans = st.lists(
    st.tuples(st.integers(0, 900), st.sampled_from([1, 30, 200, 500, 900, 2000])),
    max_size=2,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(1, 6),
    before=st.sets(st.integers(0, 5), max_size=2),
    failing=st.dictionaries(st.integers(0, 5), st.integers(1, 2), max_size=3),
    crash_at=st.sets(st.integers(1, 25), max_size=3),
    plan=st.lists(steps, max_size=40),
    script=actions,
    huntflow_down=spans,
    source_down=spans,
)
def test_every_item_ends_once_and_each_card_has_one_applicant(
    count: int,
    before: set[int],
    failing: dict[int, int],
    crash_at: set[int],
    plan: list[Step],
    script: list[tuple[str, int]],
    huntflow_down: list[tuple[int, int]],
    source_down: list[tuple[int, int]],
) -> None:
    asyncio.run(
        _scenario(count, before, failing, crash_at, plan, script, huntflow_down, source_down)
    )


async def _scenario(
    count: int,
    before: set[int],
    failing: dict[int, int],
    crash_at: set[int],
    plan: list[Step],
    script: list[tuple[str, int]],
    huntflow_down: list[tuple[int, int]] = [],  # noqa: B006 - never changed
    source_down: list[tuple[int, int]] = [],  # noqa: B006
) -> None:
    ids = [f"t{n}" for n in range(count)]
    refused = {f"t{n}": times for n, times in failing.items()}
    world = create_world(ids, [], refused, pacing=OUTAGE_PACING)
    streaks = Streaks()
    streaks.watch(world)
    # Given cards transferred by hand before the import
    earlier = {ids[n] for n in before if n < count}
    for item_id in sorted(earlier):
        await world.transfers.transfer(USER, create_card(item_id), ACCOUNT, VACANCY)
    world.ats.plan.extend(plan)
    world.source.crash_at = {world.source.calls + n for n in crash_at}
    now = world.clock.now()
    world.ats.outages = Outages("Huntflow", world.clock.now, _spans(now, huntflow_down))
    world.source.outages = Outages("ClickUp", world.clock.now, _spans(now, source_down))
    # When an import starts and meets stops, crashes, sweeps and retries in any order
    request = ImportRequest(ACCOUNT, VACANCY, delay_s=5.0, max_items=count)
    job = await world.sut.start(USER, "clickup", request)
    for action, stop_at in script:
        await act(world, job, action, stop_at)
        await check_counters(world, job.id or 0)
        await check_no_outage_failed_an_item(world, job.id or 0, set(refused))
    # and then it is swept and retried until it ends without failures
    for _ in range(40):
        world.clock.advance(LEASE + PACING.stale_after)
        await world.sut.resume_stale()
        await run_queued(world)
        current = await world.sut.get(USER, "clickup", job.id or 0)
        if current.status is ImportStatus.COMPLETED and not current.failed:
            break
        await check_no_outage_failed_an_item(world, job.id or 0, set(refused))
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
    # and an import failed only once a run had waited out an outage for the give-up bound
    assert streaks.gave_up_after is not None
    assert all(lasted >= OUTAGE_PACING.outage_give_up for lasted in streaks.gave_up_after)


def _spans(start: datetime, spans: list[tuple[int, int]]) -> list[tuple[datetime, datetime]]:
    return [
        (start + timedelta(seconds=offset), start + timedelta(seconds=offset + length))
        for offset, length in spans
    ]


async def check_no_outage_failed_an_item(world: World, import_id: int, refused: set[str]) -> None:
    """Only the cards the source refuses fail; an outage leaves its item pending."""
    for item in await world.store.items(import_id, ItemStatus.FAILED):
        assert item.source_id in refused, item
        assert item.reason == f"The task {item.source_id} cannot be read.", item
    job = await world.sut.get(USER, "clickup", import_id)
    if job.status is ImportStatus.FAILED:
        assert job.error is not None
        assert "cannot be reached" in job.error
        assert "retry-failed goes on" in job.error


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
