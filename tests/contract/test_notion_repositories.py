"""The Notion settings and cached-page repositories, and the sync logs shared with ClickUp,
run on memory, SQLite and PostgreSQL alike (migration 0010 is exercised by the SQL
backends)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.identity.model import Role, User
from hrhelper.domain.recruiting.notion_model import CachedPage, NotionSettings, PageListQuery
from hrhelper.domain.recruiting.sync_log import SyncLog, SyncStatus
from hrhelper.ports.persistence import UnitOfWork

Uow = Callable[[], UnitOfWork]
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DB_1, DB_2 = "1a2b3c4d-5e6f-47a8-b9c0-d1e2f3a4b5c6", "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


async def create_user(uow_factory: Uow, email: str) -> int:
    async with uow_factory() as uow:
        user = await uow.users.add(User(email, "R", "", Role.HR, NOW, NOW))
        await uow.commit()
    return user.pk


async def create_users(uow_factory: Uow) -> tuple[int, int]:
    return (
        await create_user(uow_factory, "olga@example.com"),
        await create_user(uow_factory, "ivan@example.com"),
    )


def create_page(user_id: int, page_id: str, **fields: object) -> CachedPage:
    values: dict[str, object] = {
        "title": f"Candidate {page_id}",
        "url": f"https://www.notion.so/{page_id}",
        "created_time": NOW,
        "last_edited_time": NOW,
        "fingerprint": "f" * 64,
        "synced_at": NOW,
    }
    values.update(fields)
    return CachedPage(user_id=user_id, page_id=page_id, **values)  # type: ignore[arg-type]


async def store(uow_factory: Uow, *pages: CachedPage) -> None:
    async with uow_factory() as uow:
        for page in pages:
            await uow.notion_pages.upsert(page)
        await uow.commit()


async def listed(uow_factory: Uow, user_id: int, **query: object) -> tuple[int, list[str]]:
    async with uow_factory() as uow:
        count, rows = await uow.notion_pages.list(user_id, PageListQuery(**query))  # type: ignore[arg-type]
    return count, [row.page_id for row in rows]


async def test_settings_are_put_replaced_and_found_per_user(uow_factory: Uow) -> None:
    # Given two users, one with auto sync on and a watermark
    olga, ivan = await create_users(uow_factory)
    olga_settings = NotionSettings(olga, "db-1", NOW, auto_sync=True, watermark=NOW)
    async with uow_factory() as uow:
        await uow.notion_settings.put(olga_settings)
        await uow.notion_settings.put(NotionSettings(ivan, "db-2", NOW))
        await uow.commit()
    # When Olga's settings are replaced
    moved = replace(olga_settings, database_id="db-3", sync_interval=15, watermark=None)
    async with uow_factory() as uow:
        await uow.notion_settings.put(moved)
        await uow.commit()
    # Then each user reads their own, and only Olga is auto-synced
    async with uow_factory() as uow:
        assert await uow.notion_settings.get(olga) == moved
        assert (await uow.notion_settings.get(ivan)) == NotionSettings(ivan, "db-2", NOW)
        assert [s.user_id for s in await uow.notion_settings.auto_synced()] == [olga]
        assert await uow.notion_settings.get(olga + ivan + 1) is None


async def test_upsert_replaces_by_page_id_and_keeps_plain_values(uow_factory: Uow) -> None:
    user = await create_user(uow_factory, "hr@example.com")
    first = create_page(
        user,
        "p1",
        content="Resume",
        parent_id="db-1",
        properties={"Name": "Olga", "Skills": ["Python", "SQL"], "Age": 31, "Remote": True},
        files=[{"property": "CV", "name": "cv.pdf", "url": None}],
    )
    await store(uow_factory, first)
    later = NOW + timedelta(minutes=5)
    await store(uow_factory, replace(first, title="Olga S.", last_edited_time=later))
    async with uow_factory() as uow:
        got = await uow.notion_pages.get(user, "p1")
        known = await uow.notion_pages.known(user, ["p1", "missing"])
    assert got is not None
    assert got.id is not None
    assert (got.title, got.last_edited_time, got.content) == ("Olga S.", later, "Resume")
    assert dict(got.properties) == {
        "Name": "Olga",
        "Skills": ["Python", "SQL"],
        "Age": 31,
        "Remote": True,
    }
    assert [dict(f) for f in got.files] == [{"property": "CV", "name": "cv.pdf", "url": None}]
    # known answers the versions only (the body is not needed to compare them)
    assert set(known) == {"p1"}
    assert known["p1"].version == got.version
    assert known["p1"].content == ""


async def test_confirm_moves_only_the_read_time_of_the_users_pages(uow_factory: Uow) -> None:
    olga, ivan = await create_users(uow_factory)
    await store(uow_factory, create_page(olga, "p1"), create_page(ivan, "p1"))
    later = NOW + timedelta(hours=1)
    async with uow_factory() as uow:
        await uow.notion_pages.confirm(olga, ["p1", "p1", "unknown"], later)
        await uow.commit()
    async with uow_factory() as uow:
        mine, theirs = [await uow.notion_pages.get(u, "p1") for u in (olga, ivan)]
        assert mine is not None
        assert theirs is not None
        assert (mine.synced_at, theirs.synced_at) == (later, NOW)
        assert mine.last_edited_time == NOW


async def test_pages_are_per_user_removed_and_cleared_per_user(uow_factory: Uow) -> None:
    olga, ivan = await create_users(uow_factory)
    await store(uow_factory, *(create_page(olga, f"p{n}") for n in range(3)))
    await store(uow_factory, create_page(ivan, "p0"))
    async with uow_factory() as uow:
        assert await uow.notion_pages.ids(olga) == {"p0", "p1", "p2"}
        assert await uow.notion_pages.get(ivan, "p1") is None
        assert await uow.notion_pages.remove(olga, ["p1", "p1", "nope"]) == 1
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.notion_pages.clear(olga) == 2
        await uow.commit()
    assert await listed(uow_factory, olga) == (0, [])
    assert await listed(uow_factory, ivan) == (1, ["p0"])


async def test_list_searches_filters_by_parent_sorts_and_pages(uow_factory: Uow) -> None:
    user = await create_user(uow_factory, "hr@example.com")
    await store(
        uow_factory,
        create_page(user, "a", title="Ольга Python", parent_id=DB_1, created_time=NOW),
        create_page(
            user,
            "b",
            title="Ivan QA",
            parent_id=DB_2,
            last_edited_time=NOW + timedelta(minutes=2),
        ),
        create_page(user, "c", title="Maria PYTHON 100%", last_edited_time=NOW),
    )
    # the default: last edited first, ties by page id
    assert await listed(uow_factory, user) == (3, ["b", "a", "c"])
    assert await listed(uow_factory, user, sort="title") == (3, ["b", "c", "a"])
    assert await listed(uow_factory, user, sort="-created_time", limit=1) == (3, ["a"])
    assert await listed(uow_factory, user, sort="last_edited_time", offset=1) == (3, ["c", "b"])
    # search ignores case in any script and takes % literally
    assert await listed(uow_factory, user, search="python") == (2, ["a", "c"])
    assert await listed(uow_factory, user, search="ОЛЬГА") == (1, ["a"])
    assert await listed(uow_factory, user, search="0%") == (1, ["c"])
    assert await listed(uow_factory, user, parent_id=DB_2) == (1, ["b"])
    # the parent is given as Notion shows it: undashed, or in a link
    link = "https://www.notion.so/acme/" + DB_1.replace("-", "") + "?v=1"
    assert await listed(uow_factory, user, parent_id=link) == (1, ["a"])


def test_an_unknown_sort_or_parent_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        PageListQuery(sort="-content")
    assert "sort" in raised.value.details
    with pytest.raises(InvalidInput) as raised:
        PageListQuery(parent_id="../users/me")
    assert "parent_id" in raised.value.details


async def test_sync_logs_of_each_source_are_apart(uow_factory: Uow) -> None:
    # Given a ClickUp log and two Notion logs of one user
    user = await create_user(uow_factory, "hr@example.com")
    async with uow_factory() as uow:
        clickup = await uow.clickup_sync_logs.add(SyncLog(user, SyncStatus.PENDING, NOW))
        first = await uow.notion_sync_logs.add(SyncLog(user, SyncStatus.PENDING, NOW))
        second = await uow.notion_sync_logs.add(SyncLog(user, SyncStatus.PENDING, NOW))
        await uow.commit()
    assert clickup.id is not None
    assert first.id is not None
    # When a Notion log is saved finished, and a ClickUp log is saved through Notion's store
    done = replace(first, status=SyncStatus.SUCCESS, processed=3, created=2, updated=1)
    async with uow_factory() as uow:
        await uow.notion_sync_logs.save(done)
        await uow.notion_sync_logs.save(replace(clickup, status=SyncStatus.ERROR))
        await uow.commit()
    # Then each source lists only its own, newest first, and finds no id of the other
    async with uow_factory() as uow:
        assert await uow.notion_sync_logs.list(user, 0, 10) == (2, [second, done])
        assert await uow.notion_sync_logs.list(user, 1, 1) == (2, [done])
        assert await uow.clickup_sync_logs.list(user, 0, 10) == (1, [clickup])
        assert await uow.notion_sync_logs.get(user, clickup.id) is None
        assert await uow.clickup_sync_logs.get(user, first.id) is None
        assert await uow.notion_sync_logs.get(user + 1, first.id) is None
