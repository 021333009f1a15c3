"""The Notion sync and the fresh card of a page, against the fake Notion over real HTTP, on
the memory unit of work: a failed body read leaves the watermark for the next sync, two
edits in one minute, a whole read after the database changed, a redelivered job, the
auto-sync sweep, and the card the bulk import will read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from hrhelper.adapters.notion.connector import NotionConnector
from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.adapters.ratelimit import TokenBucketLimiter
from hrhelper.domain.errors import InvalidInput, NotFound
from hrhelper.domain.identity.model import CredentialKind, Role, User
from hrhelper.domain.recruiting.card import CardSource
from hrhelper.domain.recruiting.notion_access import NotionAccess
from hrhelper.domain.recruiting.notion_model import PageListQuery
from hrhelper.domain.recruiting.notion_service import NotionService, NotionSettingsInput
from hrhelper.domain.recruiting.notion_sync import SYNC_NOTION_JOB, NotionSync
from hrhelper.domain.recruiting.sync_log import SyncLog, SyncStatus
from hrhelper.ports.identity import StoredCredential
from tests.fakes import notion as fake_notion
from tests.fakes.notion import START, FakeNotion, block, prop
from tests.support.fakes import FakeClock, RecordingJobQueue

notion_server = fake_notion.notion_server  # the fixture, under its own name


class PlainBox:
    def seal(self, plaintext: str) -> str:
        return "sealed:" + plaintext

    def open(self, ciphertext: str) -> str:
        return ciphertext.removeprefix("sealed:")


class Unused:
    """A transfer service these tests never call."""


@dataclass
class World:
    service: NotionService
    sut: NotionSync
    access: NotionAccess
    fake: FakeNotion
    store: MemoryStore
    jobs: RecordingJobQueue
    clock: FakeClock
    user_id: int
    database_id: str

    async def sync(self) -> SyncLog:
        log = await self.service.start_sync(self.user_id)
        return await self.sut.run(self.user_id, log.id or 0)

    async def titles(self) -> dict[str, str]:
        _, pages = await self.service.pages(self.user_id, PageListQuery(limit=100))
        return {page.page_id: page.title for page in pages}

    def body_reads(self) -> list[str]:
        return [e.path.split("/")[3] for e in self.fake.requests("GET") if "/blocks/" in e.path]

    def add(self, name: str, minutes: int = 0, **properties: object) -> str:
        return self.fake.add_page(
            self.database_id,
            {"Name": prop.title(name), **properties},  # type: ignore[dict-item]
            blocks=[block("paragraph", f"About {name}")],
            created=START + timedelta(minutes=minutes),
        )


@pytest.fixture
async def world(notion_server: FakeNotion) -> AsyncIterator[World]:
    store, jobs, clock = MemoryStore(), RecordingJobQueue(), FakeClock(START)
    async with httpx.AsyncClient() as http:
        limiter = TokenBucketLimiter(rate=10_000, burst=10_000)
        sources = NotionConnector(
            http,
            notion_server.url,
            limiter,
            version="2022-06-28",
            client_options={"backoff_s": 0.01},
        )

        def uow() -> MemoryUnitOfWork:
            return MemoryUnitOfWork(store)

        access = NotionAccess(uow, sources, PlainBox())
        service = NotionService(uow, access, Unused(), jobs, clock)  # type: ignore[arg-type]
        sut = NotionSync(uow, access, clock)
        async with uow() as unit:
            user = await unit.users.add(
                User("hr@x.io", "H", "R", Role.HR, clock.now(), clock.now())
            )
            token = "sealed:" + notion_server.issue_token()
            kind = CredentialKind.NOTION_INTEGRATION_TOKEN
            await unit.credentials.put(user.pk, StoredCredential(kind, token, "…", clock.now()))
            await unit.commit()
        database_id = notion_server.add_database()
        await service.save_settings(user.pk, NotionSettingsInput(database_id))
        yield World(service, sut, access, notion_server, store, jobs, clock, user.pk, database_id)


async def test_a_failed_body_read_is_partial_and_read_again_next_time(world: World) -> None:
    # Given two pages, and Notion failing the second one's blocks for good
    olga, ivan = world.add("Olga"), world.add("Ivan", minutes=1)
    world.clock.advance(timedelta(hours=1))
    world.fake.fail_next(f"/blocks/{ivan}/children", 404, code="object_not_found")
    # When a sync runs
    log = await world.sync()
    # Then it is partial: Olga is stored, the failure named, the watermark not moved
    assert (log.status, log.processed, log.created) == (SyncStatus.PARTIAL, 2, 1)
    assert log.error is not None
    assert ivan in log.error
    assert set(await world.titles()) == {olga}
    settings = await world.service.settings(world.user_id)
    assert settings is not None
    assert settings.watermark is None
    # When the next sync runs, Ivan is read and stored; Olga's body is not read again
    world.fake.journal.clear()
    log = await world.sync()
    assert (log.status, log.created, log.updated) == (SyncStatus.SUCCESS, 1, 0)
    assert world.body_reads() == [ivan]
    settings = await world.service.settings(world.user_id)
    assert settings is not None
    assert settings.watermark == START + timedelta(minutes=1)


async def test_a_second_edit_in_the_same_minute_is_caught(world: World) -> None:
    # Given a page synced while the minute of its last edit is still open
    olga = world.add("Olga")
    world.clock.advance(timedelta(seconds=20))
    assert (await world.sync()).created == 1
    # When it is edited again within that minute (same last_edited_time) and synced
    world.fake.edit_page(olga, START + timedelta(seconds=40), Name=prop.title("Olga Sidorova"))
    world.clock.advance(timedelta(seconds=30))
    log = await world.sync()
    # Then the new content counts as one update
    assert (log.processed, log.created, log.updated) == (1, 0, 1)
    assert await world.titles() == {olga: "Olga Sidorova"}
    # And once that version is settled, a sync lists the page again but reads nothing
    world.clock.advance(timedelta(minutes=10))
    assert (await world.sync()).updated == 0
    world.fake.journal.clear()
    log = await world.sync()
    assert (log.processed, log.updated, world.body_reads()) == (1, 0, [])


async def test_another_database_is_read_whole_and_replaces_the_cache(world: World) -> None:
    world.add("Olga")
    world.add("Ivan", minutes=1)
    await world.sync()
    # When the settings name another database, with one page
    other = world.fake.add_database()
    maria = world.fake.add_page(other, {"Name": prop.title("Maria")}, created=START)
    await world.service.save_settings(world.user_id, NotionSettingsInput(other))
    log = await world.sync()
    # Then that database was read whole and the old pages were dropped
    assert (log.created, log.removed) == (1, 2)
    assert await world.titles() == {maria: "Maria"}


async def test_an_unreadable_database_ends_in_error_and_a_redelivery_changes_nothing(
    world: World,
) -> None:
    hidden = world.fake.add_database(shared=False)
    await world.service.save_settings(world.user_id, NotionSettingsInput(hidden))
    log = await world.sync()
    assert log.status is SyncStatus.ERROR
    assert log.error is not None
    assert "database query" in log.error
    # a redelivered job finds its log finished and asks Notion nothing
    world.fake.journal.clear()
    assert await world.sut.run(world.user_id, log.id or 0) == log
    assert world.fake.journal == []
    with pytest.raises(NotFound):
        await world.sut.run(world.user_id + 1, log.id or 0)


async def test_the_sweep_queues_users_whose_interval_has_passed(world: World) -> None:
    settings = NotionSettingsInput(world.database_id, auto_sync=True, sync_interval=15)
    await world.service.save_settings(world.user_id, settings)
    assert await world.service.queue_due_syncs() == 1
    world.clock.advance(timedelta(minutes=14))
    assert await world.service.queue_due_syncs() == 0
    world.clock.advance(timedelta(minutes=1))
    assert await world.service.queue_due_syncs() == 1
    assert [job for job, _ in world.jobs.enqueued] == [SYNC_NOTION_JOB, SYNC_NOTION_JOB]
    _, logs = await world.service.sync_logs(world.user_id, 0, 10)
    assert [log.status for log in logs] == [SyncStatus.PENDING, SyncStatus.PENDING]


async def test_the_fresh_card_of_a_cached_page_and_its_files(world: World) -> None:
    # Given a synced page with a CV kept by Notion and a link into the private network
    cv = world.fake.add_file("olga.pdf", b"%PDF-1.4 Olga")
    files = prop.files(("olga.pdf", cv, True), ("inside.pdf", "http://127.0.0.1:9/x.pdf", False))
    olga = world.add("Olga Sidorova", CV=files, Email=prop.plain("email", "olga@example.com"))
    await world.sync()
    # When its card is read after the page changed in Notion
    world.fake.edit_page(olga, START + timedelta(days=1), Stage=prop.select("Offer", "status"))
    fresh = await world.access.card(world.user_id, olga)
    # Then it is the page as it is now
    card = fresh.card
    assert (card.source, card.source_id, card.title) == (CardSource.NOTION, olga, "Olga Sidorova")
    assert (card.status, card.description) == ("Offer", "About Olga Sidorova")
    assert card.custom_fields["Email"] == "olga@example.com"
    hosted, inside = card.attachments
    # and its files come through the Notion client, which refuses private addresses
    assert await fresh.files.fetch(hosted) == b"%PDF-1.4 Olga"
    with pytest.raises(InvalidInput):
        await fresh.files.fetch(inside)
    # A page not in the user's cache is not found
    with pytest.raises(NotFound):
        await world.access.card(world.user_id + 1, olga)
