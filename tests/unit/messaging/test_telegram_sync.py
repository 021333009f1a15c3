"""The Telegram sync on memory persistence with a scripted update feed: batches, the saved
offset, what ``days_back`` and the flags keep, and a failure half-way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.domain.errors import OutsideServiceUnavailable
from hrhelper.domain.messaging.model import MessageQuery
from hrhelper.domain.messaging.telegram import SyncRequest, TelegramService
from hrhelper.ports.messenger import (
    ChatRef,
    MessengerChat,
    MessengerMessage,
    MessengerUpdate,
    MessengerUser,
)
from tests.support.fakes import FakeClock, RecordingJobQueue

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
GROUP = MessengerChat(-100, "group", title="HR")


@dataclass
class ScriptedFeed:
    """Holds updates until an offset past them confirms them, like getUpdates."""

    pending: list[MessengerUpdate] = field(default_factory=list)
    offsets: list[int | None] = field(default_factory=list)
    fail_on_call: int | None = None

    def post(self, n: int, *, age: timedelta = timedelta(0), chat: MessengerChat = GROUP) -> None:
        first = (self.pending[-1].update_id + 1) if self.pending else 1
        for update_id in range(first, first + n):
            message = MessengerMessage(
                update_id, chat, NOW - age, "text", f"m{update_id}", MessengerUser(7, False, "P")
            )
            self.pending.append(MessengerUpdate(update_id, message, chat))

    async def updates(
        self, offset: int | None = None, *, limit: int = 100, timeout_s: int = 0
    ) -> list[MessengerUpdate]:
        self.offsets.append(offset)
        if self.fail_on_call == len(self.offsets):
            raise OutsideServiceUnavailable("Telegram is unavailable right now.")
        if offset is not None:
            self.pending = [u for u in self.pending if u.update_id >= offset]
        return self.pending[:limit]

    async def me(self) -> MessengerUser:
        raise NotImplementedError

    async def send_message(
        self,
        chat: ChatRef,
        text: str,
        *,
        parse_mode: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> MessengerMessage:
        raise NotImplementedError

    async def chat(self, chat: ChatRef) -> MessengerChat:
        raise NotImplementedError


def create_sut() -> tuple[TelegramService, ScriptedFeed, MemoryStore]:
    store, feed = MemoryStore(), ScriptedFeed()
    sut = TelegramService(
        lambda: MemoryUnitOfWork(store), feed, RecordingJobQueue(), FakeClock(NOW)
    )
    return sut, feed, store


async def test_updates_are_read_in_batches_until_none_is_left() -> None:
    sut, feed, store = create_sut()
    feed.post(250)
    summary = await sut.sync(SyncRequest())
    assert (summary.updates, summary.messages, summary.chats) == (250, 250, 3)  # a chat a batch
    assert feed.offsets == [None, 101, 201]
    assert store.telegram_bot_state["update_offset"] == 251
    count, _ = await sut.messages(MessageQuery())
    assert count == 250


async def test_a_failure_half_way_keeps_the_stored_batches_and_the_next_sync_goes_on() -> None:
    sut, feed, _ = create_sut()
    feed.post(150)
    feed.fail_on_call = 2
    with pytest.raises(OutsideServiceUnavailable):
        await sut.sync(SyncRequest())
    assert (await sut.messages(MessageQuery()))[0] == 100
    summary = await sut.sync(SyncRequest())
    assert feed.offsets[-1] == 101
    assert summary.messages == 50
    assert (await sut.messages(MessageQuery()))[0] == 150


async def test_days_back_and_the_flags_decide_what_is_kept() -> None:
    sut, feed, store = create_sut()
    feed.post(2, age=timedelta(days=3))
    feed.post(1, age=timedelta(hours=1))
    summary = await sut.sync(SyncRequest(days_back=2))
    assert (summary.messages, summary.skipped) == (1, 2)
    feed.post(1, chat=MessengerChat(9, "private", first_name="Ann"))
    summary = await sut.sync(SyncRequest(sync_messages=False))
    assert (summary.messages, summary.skipped, summary.chats) == (0, 1, 1)
    assert sorted(c.title for c in store.telegram_chats.values()) == ["Ann", "HR"]
    feed.post(1, chat=MessengerChat(10, "private", first_name="Bob"))
    await sut.sync(SyncRequest(sync_chats=False, sync_messages=False))
    assert len(store.telegram_chats) == 2
    assert store.telegram_bot_state["update_offset"] == 6  # read and confirmed all the same
