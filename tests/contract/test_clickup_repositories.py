"""The ClickUp settings, cached-task and sync-log repositories, run on memory, SQLite and
PostgreSQL alike (migration 0007 is exercised by the SQL backends)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.identity.model import Role, User
from hrhelper.domain.recruiting.clickup_model import (
    CachedTask,
    ClickUpSettings,
    HuntflowFilter,
    SyncLog,
    SyncStatus,
    TaskListQuery,
)
from hrhelper.ports.persistence import UnitOfWork

Uow = Callable[[], UnitOfWork]
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


async def create_user(uow_factory: Uow, email: str) -> int:
    async with uow_factory() as uow:
        user = await uow.users.add(User(email, "R", "", Role.HR, NOW, NOW))
        await uow.commit()
    return user.pk


def create_task(user_id: int, task_id: str, **fields: object) -> CachedTask:
    values: dict[str, object] = {
        "name": f"candidate {task_id}",
        "url": f"https://app.clickup.com/t/{task_id}",
        "synced_at": NOW,
        "date_updated": NOW,
    }
    values.update(fields)
    return CachedTask(user_id=user_id, task_id=task_id, **values)  # type: ignore[arg-type]


async def store(uow_factory: Uow, *tasks: CachedTask) -> None:
    async with uow_factory() as uow:
        for task in tasks:
            await uow.clickup_tasks.upsert(task)
        await uow.commit()


async def listed(uow_factory: Uow, user_id: int, **query: object) -> tuple[int, list[str]]:
    async with uow_factory() as uow:
        count, rows = await uow.clickup_tasks.list(user_id, TaskListQuery(**query))  # type: ignore[arg-type]
    return count, [row.task_id for row in rows]


async def test_settings_are_put_replaced_and_found_per_user(uow_factory: Uow) -> None:
    # Given two users, one with auto sync on
    anna, oleg = await create_user(uow_factory, "a@x.io"), await create_user(uow_factory, "o@x.io")
    first = ClickUpSettings(anna, "9001", "790", "901", NOW, auto_sync=True, sync_interval=15)
    async with uow_factory() as uow:
        await uow.clickup_settings.put(first)
        await uow.clickup_settings.put(ClickUpSettings(oleg, "9001", "790", "902", NOW))
        await uow.commit()
    # When Anna's settings are replaced
    second = replace(
        first,
        folder_id="457",
        huntflow_filter=HuntflowFilter.WITHOUT_HUNTFLOW,
        last_auto_sync_at=NOW + timedelta(minutes=1),
    )
    async with uow_factory() as uow:
        await uow.clickup_settings.put(second)
        await uow.commit()
    # Then each user has their own, and only Anna's are auto-synced
    async with uow_factory() as uow:
        assert await uow.clickup_settings.get(anna) == second
        assert (await uow.clickup_settings.get(oleg)).list_id == "902"  # type: ignore[union-attr]
        assert await uow.clickup_settings.auto_synced() == [second]
        assert await uow.clickup_settings.get(999999) is None


async def test_upsert_replaces_by_task_id_and_keeps_json_fields(uow_factory: Uow) -> None:
    # Given a cached task with its JSON fields
    user = await create_user(uow_factory, "a@x.io")
    files = [{"id": "a1", "name": "cv.pdf", "url": "https://x/cv.pdf", "size": 5}]
    fields = [{"id": "f1", "name": "Salary", "type": "currency", "value": [1, {"k": "v"}]}]
    await store(
        uow_factory,
        create_task(
            user,
            "t1",
            attachments=files,
            custom_fields=fields,
            tags=["huntflow"],
            assignees=[{"id": "183", "username": "Anna"}],
        ),
    )
    # When it is stored again with a new name and status, and without committing another
    later = NOW + timedelta(hours=1)
    await store(
        uow_factory,
        create_task(
            user, "t1", name="renamed", status="done", date_updated=later, attachments=files
        ),
    )
    async with uow_factory() as uow:
        await uow.clickup_tasks.upsert(create_task(user, "t2"))
    # Then one row holds the latest copy; the uncommitted one is gone
    async with uow_factory() as uow:
        task = await uow.clickup_tasks.get(user, "t1")
        assert await uow.clickup_tasks.get(user, "t2") is None
        assert await uow.clickup_tasks.versions(user, ["t1", "t2"]) == {"t1": later}
    assert task is not None
    assert (task.name, task.status, task.date_updated) == ("renamed", "done", later)
    assert list(task.attachments) == files
    assert list(task.tags) == []
    assert list(task.custom_fields) == []


async def test_tasks_are_per_user_and_cleared_per_user(uow_factory: Uow) -> None:
    anna, oleg = await create_user(uow_factory, "a@x.io"), await create_user(uow_factory, "o@x.io")
    await store(
        uow_factory,
        create_task(anna, "t1"),
        create_task(anna, "t2"),
        create_task(oleg, "t1", name="oleg's"),
    )
    async with uow_factory() as uow:
        assert (await uow.clickup_tasks.get(oleg, "t2")) is None
        assert await uow.clickup_tasks.versions(oleg, ["t1", "t2"]) == {"t1": NOW}
        deleted = await uow.clickup_tasks.clear(anna)
        await uow.commit()
    assert deleted == 2
    assert await listed(uow_factory, anna) == (0, [])
    assert await listed(uow_factory, oleg) == (1, ["t1"])


async def test_list_filters_sorts_and_pages(uow_factory: Uow) -> None:
    # Given tasks with different dates, statuses and priorities
    user = await create_user(uow_factory, "a@x.io")
    other = await create_user(uow_factory, "o@x.io")
    await store(
        uow_factory,
        create_task(
            user,
            "t1",
            name="alpha python",
            status="open",
            priority="high",
            date_updated=NOW + timedelta(hours=3),
        ),
        create_task(
            user,
            "t2",
            name="beta qa",
            status="Open",
            priority="low",
            date_updated=NOW + timedelta(hours=1),
        ),
        create_task(
            user,
            "t3",
            name="gamma python_dev",
            status="done",
            date_updated=NOW + timedelta(hours=2),
        ),
        create_task(user, "t4", name="delta", status="open", date_updated=None),
        create_task(user, "t6", name="Ольга Смирнова", date_updated=NOW - timedelta(hours=1)),
        create_task(other, "t5", name="python of another user"),
    )
    # Then the default is newest change first (undated last), and filters ignore case
    assert await listed(uow_factory, user) == (5, ["t1", "t3", "t2", "t6", "t4"])
    assert await listed(uow_factory, user, sort="date_updated") == (
        5,
        ["t6", "t2", "t3", "t1", "t4"],
    )
    assert await listed(uow_factory, user, search="PYTHON") == (2, ["t1", "t3"])
    assert await listed(uow_factory, user, search="n_d") == (1, ["t3"])  # _ is no wildcard
    assert await listed(uow_factory, user, search="ОЛЬГА смир") == (1, ["t6"])
    assert await listed(uow_factory, user, status="OPEN") == (3, ["t1", "t2", "t4"])
    assert await listed(uow_factory, user, priority="high") == (1, ["t1"])
    assert await listed(uow_factory, user, status="open", sort="-name") == (3, ["t4", "t2", "t1"])
    # And a page holds its slice, the count stays the total
    assert await listed(uow_factory, user, offset=1, limit=2) == (5, ["t3", "t2"])
    assert await listed(uow_factory, user, offset=5, limit=2) == (5, [])


def test_an_unknown_sort_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        TaskListQuery(sort="-password")
    assert "sort" in raised.value.details


async def test_sync_logs_are_added_saved_and_listed_newest_first(uow_factory: Uow) -> None:
    anna, oleg = await create_user(uow_factory, "a@x.io"), await create_user(uow_factory, "o@x.io")
    async with uow_factory() as uow:
        first = await uow.clickup_sync_logs.add(SyncLog(anna, SyncStatus.PENDING, NOW))
        second = await uow.clickup_sync_logs.add(SyncLog(anna, SyncStatus.PENDING, NOW))
        theirs = await uow.clickup_sync_logs.add(SyncLog(oleg, SyncStatus.PENDING, NOW))
        await uow.commit()
    done = replace(
        first,
        status=SyncStatus.PARTIAL,
        processed=7,
        skipped=1,
        created=4,
        updated=2,
        started_at=NOW,
        finished_at=NOW + timedelta(seconds=3),
        error="Page 2: down",
    )
    async with uow_factory() as uow:
        await uow.clickup_sync_logs.save(done)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.clickup_sync_logs.get(anna, first.id or 0) == done
        assert await uow.clickup_sync_logs.get(anna, theirs.id or 0) is None
        count, logs = await uow.clickup_sync_logs.list(anna, 0, 10)
        _, page = await uow.clickup_sync_logs.list(anna, 1, 10)
    assert count == 2
    assert [log.id for log in logs] == [second.id, first.id]
    assert [log.id for log in page] == [first.id]
    assert done.duration_s == 3.0


async def test_ids_and_remove_are_per_user_and_remove_takes_long_lists(uow_factory: Uow) -> None:
    # Given three cached tasks of Anna and one of Oleg with a task id Anna has too
    anna, oleg = await create_user(uow_factory, "a@x.io"), await create_user(uow_factory, "o@x.io")
    await store(
        uow_factory,
        create_task(anna, "t2"),
        create_task(anna, "z1"),
        create_task(anna, "z2"),
        create_task(oleg, "z1"),
    )
    # When Anna's z1 and z2 are removed among 1200 ids that are not cached (sorted last)
    unknown = [f"x{n:04d}" for n in range(1200)]
    async with uow_factory() as uow:
        assert await uow.clickup_tasks.ids(anna) == {"t2", "z1", "z2"}
        removed = await uow.clickup_tasks.remove(anna, [*unknown, "z2", "z1", "z1"])
        await uow.commit()
    # Then only those two rows are gone
    assert removed == 2
    async with uow_factory() as uow:
        assert await uow.clickup_tasks.ids(anna) == {"t2"}
        assert await uow.clickup_tasks.ids(oleg) == {"z1"}
