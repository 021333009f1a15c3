"""The Telegram repository contract, run on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from hrhelper.domain.messaging.model import (
    ChatQuery,
    MessageQuery,
    TelegramChat,
    TelegramMessage,
)
from hrhelper.ports.persistence import UnitOfWork

Uow = Callable[[], UnitOfWork]
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
GROUP_ID = -1001234567890
DAY = timedelta(days=1)


def create_chat(
    chat_id: int = GROUP_ID, title: str = "HR Notifications", **kw: object
) -> TelegramChat:
    fields: dict[str, object] = {
        "chat_type": "supergroup",
        "username": "",
        "is_active": True,
        "created_at": T0,
        "updated_at": T0,
    }
    fields.update(kw)
    return TelegramChat(chat_id=chat_id, title=title, **fields)  # type: ignore[arg-type]


def create_message(
    chat: int, message_id: int, text: str, at: datetime = T0, **kw: object
) -> TelegramMessage:
    fields: dict[str, object] = {
        "message_type": "text",
        "sender_id": 777,
        "sender_name": "Пётр",
        "reply_to_message_id": None,
        "outgoing": False,
        "edited": False,
    }
    fields.update(kw)
    return TelegramMessage(chat=chat, message_id=message_id, text=text, date=at, **fields)  # type: ignore[arg-type]


async def store_chats(uow_factory: Uow, *chats: TelegramChat) -> list[TelegramChat]:
    async with uow_factory() as uow:
        stored = [await uow.telegram.upsert_chat(c) for c in chats]
        await uow.commit()
    return stored


async def store_messages(uow_factory: Uow, *messages: TelegramMessage) -> list[TelegramMessage]:
    async with uow_factory() as uow:
        stored = [await uow.telegram.upsert_message(m) for m in messages]
        await uow.commit()
    return stored


async def test_a_chat_upsert_keeps_its_id_and_first_seen_time(uow_factory: Uow) -> None:
    (first,) = await store_chats(uow_factory, create_chat())
    later = T0 + timedelta(days=1)
    (again,) = await store_chats(
        uow_factory, create_chat(title="HR", username="hr_chat", created_at=later, updated_at=later)
    )
    assert first.id is not None
    assert again == dataclasses.replace(
        create_chat(title="HR", username="hr_chat", updated_at=later), id=first.id
    )
    async with uow_factory() as uow:
        assert await uow.telegram.get_chat(first.pk) == again
        assert await uow.telegram.get_chat(first.pk + 100) is None


async def test_a_message_upsert_is_an_edit_and_keeps_outgoing(uow_factory: Uow) -> None:
    (chat,) = await store_chats(uow_factory, create_chat())
    (sent,) = await store_messages(uow_factory, create_message(chat.pk, 5, "Привет", outgoing=True))
    (edited,) = await store_messages(
        uow_factory, create_message(chat.pk, 5, "Привет всем", edited=True)
    )
    assert (edited.id, edited.text, edited.edited, edited.outgoing) == (
        sent.id,
        "Привет всем",
        True,
        True,
    )
    async with uow_factory() as uow:
        count, rows = await uow.telegram.messages(MessageQuery())
        assert await uow.telegram.get_message(sent.id or 0) == edited
    assert (count, rows) == (1, [edited])


async def test_the_same_message_id_in_two_chats_is_two_messages(uow_factory: Uow) -> None:
    one, two = await store_chats(
        uow_factory, create_chat(), create_chat(555001, "Иван Иванов", chat_type="private")
    )
    await store_messages(
        uow_factory, create_message(one.pk, 1, "a"), create_message(two.pk, 1, "b")
    )
    async with uow_factory() as uow:
        count, _ = await uow.telegram.messages(MessageQuery())
        in_two = await uow.telegram.messages(MessageQuery(chat=two.pk))
    assert count == 2
    assert [(m.chat, m.text) for m in in_two[1]] == [(two.pk, "b")]


async def test_chats_filter_by_search_type_and_activity(uow_factory: Uow) -> None:
    hr, ivan, old = await store_chats(
        uow_factory,
        create_chat(),
        create_chat(555001, "Иван Иванов", chat_type="private", username="ivan"),
        create_chat(-42, "Архив", chat_type="group", is_active=False, updated_at=T0 - DAY),
    )
    async with uow_factory() as uow:
        everything = await uow.telegram.chats(ChatQuery())
        by_name = await uow.telegram.chats(ChatQuery(search="ИВАН"))
        by_username = await uow.telegram.chats(ChatQuery(search="IVA"))
        private = await uow.telegram.chats(ChatQuery(chat_type="private"))
        inactive = await uow.telegram.chats(ChatQuery(is_active=False))
        paged = await uow.telegram.chats(ChatQuery(offset=1, limit=1))
    # the latest updated first, then the newest
    assert [c.id for c in everything[1]] == [ivan.id, hr.id, old.id]
    assert [c.id for c in by_name[1]] == [ivan.id]
    assert [c.id for c in by_username[1]] == [ivan.id]
    assert [c.id for c in private[1]] == [ivan.id]
    assert [c.id for c in inactive[1]] == [old.id]
    assert (paged[0], [c.id for c in paged[1]]) == (3, [hr.id])


async def test_messages_filter_by_text_type_and_inclusive_days(uow_factory: Uow) -> None:
    (chat,) = await store_chats(uow_factory, create_chat())
    day = timedelta(days=1)
    await store_messages(
        uow_factory,
        create_message(chat.pk, 1, "Новый кандидат", T0 - day),
        create_message(chat.pk, 2, "резюме кандидата", T0, message_type="document"),
        create_message(chat.pk, 3, "привет", T0 + day),
        create_message(chat.pk, 4, "late night", datetime(2026, 11, 21, 23, 59, 59, tzinfo=UTC)),
    )

    async def texts(query: MessageQuery) -> list[str]:
        async with uow_factory() as uow:
            _, rows = await uow.telegram.messages(query)
        return [m.text for m in rows]

    assert await texts(MessageQuery()) == [
        "late night",
        "привет",
        "резюме кандидата",
        "Новый кандидат",
    ]
    assert await texts(MessageQuery(search="КАНДИДАТ")) == ["резюме кандидата", "Новый кандидат"]
    assert await texts(MessageQuery(message_type="document")) == ["резюме кандидата"]
    assert await texts(MessageQuery(date_from=date(2026, 11, 20), date_to=date(2026, 11, 20))) == [
        "резюме кандидата"
    ]
    assert await texts(MessageQuery(date_from=date(2026, 11, 21))) == ["late night", "привет"]
    assert await texts(MessageQuery(date_to=date(2026, 11, 19))) == ["Новый кандидат"]
    assert await texts(MessageQuery(search="100%")) == []


async def test_the_update_offset_is_saved_and_rolled_back(uow_factory: Uow) -> None:
    async with uow_factory() as uow:
        assert await uow.telegram.update_offset() is None
        await uow.telegram.save_update_offset(10_005)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.telegram.save_update_offset(10_009)  # not committed
    async with uow_factory() as uow:
        assert await uow.telegram.update_offset() == 10_005
        await uow.telegram.save_update_offset(2**40)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.telegram.update_offset() == 2**40


async def test_deactivating_a_chat_by_its_telegram_id(uow_factory: Uow) -> None:
    group, person = await store_chats(
        uow_factory, create_chat(), create_chat(555001, "Иван", chat_type="private")
    )
    async with uow_factory() as uow:
        await uow.telegram.deactivate_chat(555001, T0 + DAY)
        await uow.telegram.deactivate_chat(999, T0 + DAY)  # not stored: nothing happens
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.telegram.get_chat(person.pk) == dataclasses.replace(
            person, is_active=False, updated_at=T0 + DAY
        )
        assert await uow.telegram.get_chat(group.pk) == group
        count, _ = await uow.telegram.chats(ChatQuery())
    assert count == 2
