"""The bulk import store contract, on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from hrhelper.adapters.persistence.memory.bulk_imports import MemoryBulkImportStore
from hrhelper.adapters.persistence.sqlalchemy import SqlUnitOfWork
from hrhelper.adapters.persistence.sqlalchemy.bulk_imports import SqlBulkImportStore
from hrhelper.domain.identity.model import Role, User
from hrhelper.domain.recruiting.bulk_import_model import (
    BulkImport,
    ImportStatus,
    ItemStatus,
    SourceItem,
)
from hrhelper.ports.bulk_imports import BulkImportStore

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
STALE = timedelta(minutes=5)
ITEMS = [SourceItem("a", "Ann A"), SourceItem("b", "Bob B"), SourceItem("c", "Cid C")]

Backend = tuple[BulkImportStore, AsyncEngine | None]


async def _add_user(engine: AsyncEngine, email: str) -> int:
    async with SqlUnitOfWork(async_sessionmaker(engine, expire_on_commit=False)) as uow:
        user = await uow.users.add(User(email, "H", "R", Role.HR, created_at=NOW, updated_at=NOW))
        await uow.commit()
    return user.pk


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "memory":
        return MemoryBulkImportStore(), None
    engine: AsyncEngine = request.getfixturevalue(f"{request.param}_engine")
    return SqlBulkImportStore(engine), engine


async def given_users(backend: Backend) -> tuple[BulkImportStore, int, int]:
    store, engine = backend
    if engine is None:
        return store, 7, 8
    return store, await _add_user(engine, "hr@example.com"), await _add_user(engine, "b@x.com")


def create_import(user_id: int, source: str = "clickup", **changes: object) -> BulkImport:
    job = BulkImport(user_id, source, account_id=1, vacancy_id=101, created_at=NOW, delay_s=2.5)
    return replace(job, **changes)  # type: ignore[arg-type]


async def test_imports_are_stored_per_user_and_source_newest_first(backend: Backend) -> None:
    sut, user, other = await given_users(backend)
    first = await sut.create(create_import(user))
    second = await sut.create(create_import(user, max_items=5, sync_settings=False))
    await sut.create(create_import(user, "notion"))
    await sut.create(create_import(other))
    assert first.id is not None
    assert second.id is not None
    assert first.id != second.id
    count, page = await sut.list(user, "clickup", 0, 1)
    assert (count, [j.id for j in page]) == (2, [second.id])
    _, rest = await sut.list(user, "clickup", 1, 10)
    assert [j.id for j in rest] == [first.id]
    stored = await sut.get(user, second.id)
    assert stored == second
    assert (stored.max_items, stored.sync_settings, stored.delay_s) == (5, False, 2.5)
    # another user's import is not found
    assert await sut.get(other, second.id) is None


async def test_one_run_holds_an_import_until_its_heartbeat_is_stale(backend: Backend) -> None:
    sut, user, _ = await given_users(backend)
    job = await sut.create(create_import(user))
    taken = await sut.claim(job.id or 0, "r1", NOW, NOW - STALE)
    assert taken is not None
    assert (taken.status, taken.owner, taken.runs, taken.started_at) == (
        ImportStatus.RUNNING,
        "r1",
        1,
        NOW,
    )
    later = NOW + timedelta(minutes=1)
    assert await sut.claim(job.id or 0, "r2", later, later - STALE) is None
    assert await sut.beat(job.id or 0, "r1", later, ITEMS[0]) is not None
    # When r1 stops beating for longer than STALE, r2 takes over and r1 can change nothing
    much_later = later + STALE + timedelta(seconds=1)
    assert [j.id for j in await sut.stale(much_later - STALE)] == [job.id]
    resumed = await sut.claim(job.id or 0, "r2", much_later, much_later - STALE)
    assert resumed is not None
    assert (resumed.owner, resumed.runs, resumed.current_item, resumed.started_at) == (
        "r2",
        2,
        "a",
        NOW,
    )
    assert await sut.beat(job.id or 0, "r1", much_later) is None
    assert not await sut.add_items(job.id or 0, "r1", ITEMS)
    assert await sut.finish(job.id or 0, "r1", ImportStatus.COMPLETED, much_later, None) is None
    assert await sut.stale(much_later - STALE) == []
    # a released import is taken at once
    await sut.release(job.id or 0, "r2")
    assert await sut.claim(job.id or 0, "r3", much_later, much_later - STALE) is not None


async def test_items_are_counted_once_and_retry_reopens_only_failed_ones(
    backend: Backend,
) -> None:
    sut, user, _ = await given_users(backend)
    job = await sut.create(create_import(user))
    import_id = job.id or 0
    await sut.claim(import_id, "r1", NOW, NOW - STALE)
    assert await sut.add_items(import_id, "r1", ITEMS)
    items = await sut.items(import_id)
    assert [(i.source_id, i.position, i.status) for i in items] == [
        ("a", 0, ItemStatus.PENDING),
        ("b", 1, ItemStatus.PENDING),
        ("c", 2, ItemStatus.PENDING),
    ]
    done = replace(items[0], status=ItemStatus.DONE, applicant_id=55, created=True, finished_at=NOW)
    failed = replace(items[1], status=ItemStatus.FAILED, reason="Huntflow said no.")
    assert await sut.finish_item(import_id, "r1", done)
    assert await sut.finish_item(import_id, "r1", done)  # a second time counts nothing
    assert await sut.finish_item(import_id, "r1", failed)
    assert not await sut.finish_item(import_id, "r2", replace(items[2], status=ItemStatus.DONE))
    stored = await sut.get(user, import_id)
    assert stored is not None
    assert (stored.listed, stored.total, stored.succeeded, stored.failed, stored.skipped) == (
        True,
        3,
        1,
        1,
        0,
    )
    assert [i.source_id for i in await sut.items(import_id, ItemStatus.PENDING)] == ["c"]
    kept = (await sut.items(import_id, ItemStatus.DONE))[0]
    assert (kept.applicant_id, kept.created, kept.finished_at) == (55, True, NOW)
    # a running import cannot be retried; a finished one reopens its failed items
    assert await sut.retry(user, import_id) is None
    await sut.finish(import_id, "r1", ImportStatus.STOPPED, NOW, None)
    retried = await sut.retry(user, import_id)
    assert retried is not None
    assert (retried.status, retried.failed, retried.succeeded, retried.finished_at) == (
        ImportStatus.PENDING,
        0,
        1,
        None,
    )
    pending = await sut.items(import_id, ItemStatus.PENDING)
    assert [(i.source_id, i.reason) for i in pending] == [("b", None), ("c", None)]


async def test_stop_ends_a_pending_import_and_asks_a_running_one(backend: Backend) -> None:
    sut, user, other = await given_users(backend)
    waiting = await sut.create(create_import(user))
    stopped = await sut.request_stop(user, waiting.id or 0, NOW)
    assert stopped is not None
    assert (stopped.status, stopped.finished_at) == (ImportStatus.STOPPED, NOW)
    running = await sut.create(create_import(user))
    await sut.claim(running.id or 0, "r1", NOW, NOW - STALE)
    assert await sut.request_stop(other, running.id or 0, NOW) is None
    asked = await sut.request_stop(user, running.id or 0, NOW)
    assert asked is not None
    assert (asked.status, asked.stop_requested) == (ImportStatus.RUNNING, True)
    beat = await sut.beat(running.id or 0, "r1", NOW)
    assert beat is not None
    assert beat.stop_requested
    ended = await sut.finish(running.id or 0, "r1", ImportStatus.STOPPED, NOW, None)
    assert ended is not None
    assert (ended.owner, ended.stop_requested, ended.current_item) == (None, False, None)


async def test_a_pause_beats_says_why_and_is_cleared_when_an_item_ends(
    backend: Backend,
) -> None:
    sut, user, _ = await given_users(backend)
    job = await sut.create(create_import(user))
    import_id = job.id or 0
    await sut.claim(import_id, "r1", NOW, NOW - STALE)
    until = NOW + timedelta(seconds=40)
    # a pause before the listing is cleared by the listing
    assert await sut.pause(import_id, "r1", NOW, "ClickUp is down.", until) is not None
    assert await sut.add_items(import_id, "r1", ITEMS)
    listed = await sut.get(user, import_id)
    assert listed is not None
    assert (listed.pause_reason, listed.paused_until) == (None, None)
    # a pause is a beat that shows why and until when the run waits
    later = NOW + timedelta(seconds=30)
    paused = await sut.pause(import_id, "r1", later, "Huntflow is down.", until)
    assert paused is not None
    assert (paused.heartbeat_at, paused.pause_reason, paused.paused_until) == (
        later,
        "Huntflow is down.",
        until,
    )
    assert await sut.get(user, import_id) == paused
    # only the run holding the import may pause it
    assert await sut.pause(import_id, "r2", later, "Other.", until) is None
    # an item that ends clears it
    [first, *_] = await sut.items(import_id)
    assert await sut.finish_item(import_id, "r1", replace(first, status=ItemStatus.DONE))
    going = await sut.get(user, import_id)
    assert going is not None
    assert (going.pause_reason, going.paused_until, going.succeeded) == (None, None, 1)
    # and so does the end of the run, and a new run
    await sut.pause(import_id, "r1", later, "Huntflow is down.", until)
    ended = await sut.finish(import_id, "r1", ImportStatus.FAILED, later, "Gave up.")
    assert ended is not None
    assert (ended.pause_reason, ended.paused_until, ended.error) == (None, None, "Gave up.")
    await sut.retry(user, import_id)
    again = await sut.claim(import_id, "r2", later, later - STALE)
    assert again is not None
    await sut.pause(import_id, "r2", later, "Huntflow is down.", until)
    await sut.release(import_id, "r2")
    taken = await sut.claim(import_id, "r3", later, later - STALE)
    assert taken is not None
    assert (taken.pause_reason, taken.paused_until) == (None, None)


async def test_pending_imports_left_unqueued_are_stale(backend: Backend) -> None:
    sut, user, _ = await given_users(backend)
    job = await sut.create(create_import(user))
    assert await sut.stale(NOW - STALE) == []
    assert [j.id for j in await sut.stale(NOW + timedelta(seconds=1))] == [job.id]


async def test_concurrent_claims_on_postgres_have_one_winner(postgres_engine: AsyncEngine) -> None:
    sut = SqlBulkImportStore(postgres_engine)
    job = await sut.create(create_import(await _add_user(postgres_engine, "hr@example.com")))
    claims = await asyncio.gather(
        *(sut.claim(job.id or 0, f"r{i}", NOW, NOW - STALE) for i in range(10))
    )
    assert len([c for c in claims if c is not None]) == 1
