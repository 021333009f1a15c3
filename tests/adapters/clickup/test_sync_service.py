"""ClickUpService syncs against the fake ClickUp over real HTTP, on the memory unit of work:
created and updated counts over two runs, the Huntflow filter, partial and failed syncs, the
auto-sync sweep and a redelivered job."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from hrhelper.adapters.clickup.client import ClickUpClient
from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.adapters.ratelimit import TokenBucketLimiter
from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.identity.model import CredentialKind, Role, User
from hrhelper.domain.recruiting.clickup_model import (
    HuntflowFilter,
    SyncLog,
    SyncStatus,
    TaskListQuery,
)
from hrhelper.domain.recruiting.clickup_sync import (
    SYNC_CLICKUP_JOB,
    ClickUpService,
    SettingsInput,
)
from hrhelper.ports.clickup import TaskSource
from hrhelper.ports.identity import StoredCredential
from tests.fakes import clickup as fake_clickup
from tests.fakes.clickup import START, FakeClickUp, Recorded, ms
from tests.support.fakes import FakeClock, RecordingJobQueue

clickup_server = fake_clickup.clickup_server  # the fixture, under its own name
LIST = "901"


class Unused:
    """A source that is never read."""


class PlainBox:
    """Seals by prefixing: enough to show the service opens what was stored."""

    def seal(self, plaintext: str) -> str:
        return "sealed:" + plaintext

    def open(self, ciphertext: str) -> str:
        return ciphertext.removeprefix("sealed:")


@dataclass
class World:
    sut: ClickUpService
    fake: FakeClickUp
    store: MemoryStore
    jobs: RecordingJobQueue
    clock: FakeClock
    user_id: int

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.store)

    async def sync(self) -> SyncLog:
        log = await self.sut.start_sync(self.user_id)
        return await self.sut.run_sync(self.user_id, log.id or 0)

    async def cached(self) -> dict[str, object]:
        _, tasks = await self.sut.tasks(self.user_id, TaskListQuery(limit=1000))
        return {task.task_id: task for task in tasks}

    def detail_reads(self) -> int:
        return sum(1 for e in self.fake.journal if e.path.startswith("/api/v2/task/"))


async def create_user(store: MemoryStore, token: str | None, clock: FakeClock) -> int:
    async with MemoryUnitOfWork(store) as uow:
        user = await uow.users.add(User("hr@x.io", "H", "R", Role.HR, clock.now(), clock.now()))
        if token is not None:
            secret = StoredCredential(
                CredentialKind.CLICKUP_API_KEY, "sealed:" + token, "…", clock.now()
            )
            await uow.credentials.put(user.pk, secret)
        await uow.commit()
    return user.pk


@pytest.fixture
async def world(clickup_server: FakeClickUp) -> AsyncIterator[World]:
    clickup_server.rate_limit = 100_000  # pacing has its own tests; these read many tasks
    store, jobs, clock = MemoryStore(), RecordingJobQueue(), FakeClock(START)
    async with httpx.AsyncClient() as http:
        limiter = TokenBucketLimiter(rate=10_000, burst=10_000)

        def sources(token: str) -> TaskSource:
            return ClickUpClient(http, clickup_server.url, token, limiter, backoff_s=0.01)

        sut = ClickUpService(lambda: MemoryUnitOfWork(store), sources, PlainBox(), jobs, clock)
        user_id = await create_user(store, clickup_server.issue_token(), clock)
        await sut.save_settings(user_id, SettingsInput("9001", "790", LIST, folder_id="457"))
        yield World(sut, clickup_server, store, jobs, clock, user_id)


async def test_second_run_creates_the_new_updates_the_changed_and_refetches_nothing_else(
    world: World,
) -> None:
    # Given a list with an open task (with a CV), a closed one and a task in another list
    fake = world.fake
    cv = fake.add_task(
        LIST,
        "Olga Smirnova",
        attachments=(("cv.pdf", b"%PDF", "application/pdf"),),
        priority=2,
        assignees=(183,),
        fields={"f-email": "olga@example.com"},
    )
    closed = fake.add_task(LIST, "Ivan Petrov", status="hired", status_type="closed")
    fake.add_task("902", "Elsewhere")
    # When the first sync runs
    first = await world.sync()
    # Then both tasks of the list are created, closed ones included, with files and fields
    assert (first.status, first.processed, first.created, first.updated) == (
        SyncStatus.SUCCESS,
        2,
        2,
        0,
    )
    cached = await world.cached()
    assert set(cached) == {cv, closed}
    olga = await world.sut.task(world.user_id, cv)
    assert [a["name"] for a in olga.attachments] == ["cv.pdf"]
    assert olga.priority == "high"
    assert olga.assignees[0]["username"] == "Anna Recruiter"
    email = next(f for f in olga.custom_fields if f["id"] == "f-email")
    assert email["value"] == "olga@example.com"
    assert first.finished_at is not None
    assert first.started_at is not None
    # Given one task renamed in ClickUp and one new task
    with fake._mutex:
        fake.tasks[closed]["name"] = "Ivan Petrov (hired)"
        fake.tasks[closed]["date_updated"] = ms(START + timedelta(days=3))
    added = fake.add_task(LIST, "Maria Ivanova")
    reads_before = world.detail_reads()
    # When it syncs again
    second = await world.sync()
    # Then one is created, one updated, the unchanged one is neither and is not read again
    assert (second.status, second.processed, second.created, second.updated) == (
        SyncStatus.SUCCESS,
        3,
        1,
        1,
    )
    assert world.detail_reads() - reads_before == 2
    renamed = await world.sut.task(world.user_id, closed)
    assert renamed.name == "Ivan Petrov (hired)"
    assert set(await world.cached()) == {cv, closed, added}


@pytest.mark.parametrize(
    ("wanted", "kept"),
    [
        (HuntflowFilter.ALL, {"tagged", "plain"}),
        (HuntflowFilter.WITH_HUNTFLOW, {"tagged"}),
        (HuntflowFilter.WITHOUT_HUNTFLOW, {"plain"}),
    ],
)
async def test_the_huntflow_filter_decides_what_is_cached(
    world: World, wanted: HuntflowFilter, kept: set[str]
) -> None:
    ids = {
        "tagged": world.fake.add_task(LIST, "In Huntflow", tags=("huntflow", "python")),
        "plain": world.fake.add_task(LIST, "Not yet"),
    }
    await world.sut.save_settings(
        world.user_id, SettingsInput("9001", "790", LIST, huntflow_filter=wanted)
    )
    log = await world.sync()
    assert set(await world.cached()) == {ids[name] for name in kept}
    assert (log.processed, log.skipped, log.created) == (2, 2 - len(kept), len(kept))


async def test_a_failing_page_leaves_a_partial_log_and_keeps_the_pages_read(world: World) -> None:
    # Given 130 tasks (two pages) and ClickUp failing from the second page on
    for n in range(130):
        world.fake.add_task(LIST, f"Candidate {n}")

    def break_after_first_page(entry: Recorded) -> None:
        if entry.path.endswith(f"/list/{LIST}/task") and entry.params.get("page") == "0":
            world.fake.fail_next(f"/list/{LIST}/task", 500, times=20)

    world.fake.after_request.append(break_after_first_page)
    # When it syncs
    log = await world.sync()
    # Then the first page is stored and the log says what failed
    assert log.status is SyncStatus.PARTIAL
    assert (log.processed, log.created) == (100, 100)
    assert log.error is not None
    assert log.error.startswith("Page 2 of the list")
    count, _ = await world.sut.tasks(world.user_id, TaskListQuery())
    assert count == 100


async def test_a_sync_that_stores_nothing_ends_in_error(world: World) -> None:
    world.fake.add_task(LIST, "Olga")
    world.fake.fail_next(f"/list/{LIST}/task", 500, times=20)
    log = await world.sync()
    assert (log.status, log.created, log.updated) == (SyncStatus.ERROR, 0, 0)
    assert await world.cached() == {}
    # and the log is the one listed for the user
    _, logs = await world.sut.sync_logs(world.user_id, 0, 10)
    assert logs == [log]


async def test_a_redelivered_job_does_not_sync_twice(world: World) -> None:
    world.fake.add_task(LIST, "Olga")
    done = await world.sync()
    requests = len(world.fake.journal)
    again = await world.sut.run_sync(world.user_id, done.id or 0)
    assert again == done
    assert len(world.fake.journal) == requests


async def test_a_sync_is_queued_after_commit_and_asks_for_a_key_and_settings(
    world: World,
) -> None:
    # A queued sync carries its log and user
    log = await world.sut.start_sync(world.user_id)
    assert log.status is SyncStatus.PENDING
    assert world.jobs.enqueued == [(SYNC_CLICKUP_JOB, {"log_id": log.id, "user_id": world.user_id})]
    # A user without settings is told which are missing
    keyless = await create_user(world.store, None, world.clock)
    with pytest.raises(InvalidInput) as no_settings:
        await world.sut.start_sync(keyless)
    assert set(no_settings.value.details) == {"team_id", "space_id", "list_id"}
    # A user without a key is told how to set it
    await world.sut.save_settings(keyless, SettingsInput("9001", "790", LIST))
    with pytest.raises(InvalidInput) as no_key:
        await world.sut.start_sync(keyless)
    assert "clickup_api_key" in str(no_key.value.details["clickup_api_key"])
    assert len(world.jobs.enqueued) == 1


async def test_settings_name_each_missing_field(world: World) -> None:
    with pytest.raises(InvalidInput) as raised:
        await world.sut.save_settings(world.user_id, SettingsInput(team_id="9001", list_id=" "))
    assert set(raised.value.details) == {"space_id", "list_id"}


async def test_auto_sync_queues_each_user_once_per_interval(world: World) -> None:
    # Given auto sync every 15 minutes
    await world.sut.save_settings(
        world.user_id, SettingsInput("9001", "790", LIST, auto_sync=True, sync_interval=15)
    )
    # Then the first sweep queues a sync, the next ones wait for the interval
    assert await world.sut.queue_due_syncs() == 1
    world.clock.advance(timedelta(minutes=14))
    assert await world.sut.queue_due_syncs() == 0
    world.clock.advance(timedelta(minutes=1))
    assert await world.sut.queue_due_syncs() == 1
    assert [job for job, _ in world.jobs.enqueued] == [SYNC_CLICKUP_JOB] * 2
    # And saving the settings again does not restart the interval
    await world.sut.save_settings(
        world.user_id, SettingsInput("9001", "790", LIST, auto_sync=True, sync_interval=15)
    )
    assert await world.sut.queue_due_syncs() == 0


async def test_a_log_left_running_by_a_dead_worker_is_synced_again_from_zero(
    world: World,
) -> None:
    # Given a sync whose worker died mid-way: its log still says running, with stale counts
    olga = world.fake.add_task(LIST, "Olga")
    log = await world.sut.start_sync(world.user_id)
    async with world.uow() as uow:
        stale = SyncLog(world.user_id, SyncStatus.RUNNING, log.created_at, processed=7, id=log.id)
        await uow.clickup_sync_logs.save(stale)
        await uow.commit()
    # When the job is delivered again
    done = await world.sut.run_sync(world.user_id, log.id or 0)
    # Then it runs to the end with counts of its own run
    assert (done.status, done.processed, done.created) == (SyncStatus.SUCCESS, 1, 1)
    assert set(await world.cached()) == {olga}


async def test_an_unexpected_failure_ends_the_log_in_error_and_is_raised(world: World) -> None:
    calls: list[str] = []

    def broken(_token: str) -> TaskSource:
        calls.append(_token)
        if len(calls) > 1:  # the check when the sync is queued passes; the job fails
            raise RuntimeError("the HTTP pool is closed")
        return Unused()  # type: ignore[return-value]

    sut = ClickUpService(world.uow, broken, PlainBox(), world.jobs, world.clock)
    log = await sut.start_sync(world.user_id)
    with pytest.raises(RuntimeError):
        await sut.run_sync(world.user_id, log.id or 0)
    _, logs = await sut.sync_logs(world.user_id, 0, 1)
    assert logs[0].status is SyncStatus.ERROR
    assert logs[0].error is not None
    assert "HTTP pool" not in logs[0].error  # the details stay in the worker's log


async def test_a_complete_sync_drops_tasks_gone_from_the_list_or_left_out_by_the_filter(
    world: World,
) -> None:
    # Given three cached tasks
    tagged = world.fake.add_task(LIST, "In Huntflow", tags=("huntflow",))
    plain = world.fake.add_task(LIST, "Not yet")
    gone = world.fake.add_task(LIST, "Deleted later")
    await world.sync()
    # When one is deleted in ClickUp and the filter now keeps only tasks in Huntflow
    with world.fake._mutex:
        del world.fake.tasks[gone]
    await world.sut.save_settings(
        world.user_id,
        SettingsInput("9001", "790", LIST, huntflow_filter=HuntflowFilter.WITH_HUNTFLOW),
    )
    log = await world.sync()
    # Then the cache holds what the list holds, as the filter sees it
    assert (log.status, log.removed, log.skipped) == (SyncStatus.SUCCESS, 2, 1)
    assert set(await world.cached()) == {tagged}
    # And a sync that could not read everything drops nothing, even a task deleted since
    with world.fake._mutex:
        del world.fake.tasks[tagged]
    world.fake.add_task(LIST, "Another")
    await world.sut.save_settings(world.user_id, SettingsInput("9001", "790", LIST))
    world.fake.fail_next(f"/task/{plain}", 404)
    partial = await world.sync()
    assert (partial.status, partial.removed) == (SyncStatus.PARTIAL, 0)
    assert tagged in await world.cached()
