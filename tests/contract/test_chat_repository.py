"""The chat repository contract, run on memory, SQLite and PostgreSQL alike (migration 0006
is exercised through the migrated databases of tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hrhelper.domain.ai.model import ChatMessage, ChatSession
from hrhelper.domain.identity.model import Role, User
from hrhelper.ports.persistence import UnitOfWork

Uow = Callable[[], UnitOfWork]
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


async def create_user(uow_factory: Uow, email: str) -> int:
    async with uow_factory() as uow:
        user = await uow.users.add(User(email, "Ann", "Lee", Role.HR, T0, T0))
        await uow.commit()
    return user.pk


async def create_session(uow_factory: Uow, user_id: int, at: datetime = T0) -> int:
    async with uow_factory() as uow:
        session = await uow.chats.add_session(ChatSession(user_id, "A title", at, at))
        await uow.commit()
    assert session.id is not None
    return session.id


async def add_messages(uow_factory: Uow, session_id: int, *texts: str) -> None:
    async with uow_factory() as uow:
        for n, text in enumerate(texts):
            role = "user" if n % 2 == 0 else "model"
            await uow.chats.add_message(
                ChatMessage(session_id, role, text, T0 + timedelta(seconds=n))
            )
        await uow.commit()


async def test_a_session_and_its_messages_round_trip(uow_factory: Uow) -> None:
    # Given a user's session with a question and an answer
    ann = await create_user(uow_factory, "ann@example.com")
    sid = await create_session(uow_factory, ann)
    await add_messages(uow_factory, sid, "Привет?", "Здравствуйте!")
    # When they are read back
    async with uow_factory() as uow:
        session = await uow.chats.get_session(sid)
        count, page = await uow.chats.messages(sid, 0, 10)
    # Then everything is as stored, in order, with ids
    assert session == ChatSession(ann, "A title", T0, T0, id=sid)
    assert count == 2
    assert [(m.role, m.content, m.timestamp) for m in page] == [
        ("user", "Привет?", T0),
        ("model", "Здравствуйте!", T0 + timedelta(seconds=1)),
    ]
    assert all(m.id is not None and m.session_id == sid for m in page)


async def test_uncommitted_work_is_rolled_back(uow_factory: Uow) -> None:
    ann = await create_user(uow_factory, "ann@example.com")
    sid = await create_session(uow_factory, ann)
    async with uow_factory() as uow:
        await uow.chats.add_message(ChatMessage(sid, "user", "lost", T0))
        await uow.chats.add_session(ChatSession(ann, "lost", T0, T0))
    async with uow_factory() as uow:
        assert (await uow.chats.messages(sid, 0, 10))[0] == 0
        assert [s.id for s in await uow.chats.sessions_of(ann)] == [sid]


async def test_recent_messages_are_the_last_ones_oldest_first(uow_factory: Uow) -> None:
    ann = await create_user(uow_factory, "ann@example.com")
    sid = await create_session(uow_factory, ann)
    await add_messages(uow_factory, sid, *(f"m{n}" for n in range(7)))
    async with uow_factory() as uow:
        recent = await uow.chats.recent_messages(sid, 3)
        everything = await uow.chats.recent_messages(sid, 50)
    assert [m.content for m in recent] == ["m4", "m5", "m6"]
    assert [m.content for m in everything] == [f"m{n}" for n in range(7)]


async def test_messages_are_paged_with_the_total_count(uow_factory: Uow) -> None:
    ann = await create_user(uow_factory, "ann@example.com")
    sid = await create_session(uow_factory, ann)
    await add_messages(uow_factory, sid, *(f"m{n}" for n in range(5)))
    async with uow_factory() as uow:
        count, second = await uow.chats.messages(sid, 2, 2)
        _, beyond = await uow.chats.messages(sid, 10, 2)
    assert count == 5
    assert [m.content for m in second] == ["m2", "m3"]
    assert beyond == []


async def test_sessions_of_a_user_carry_counts_and_the_latest_activity_first(
    uow_factory: Uow,
) -> None:
    # Given two users; Ann has three sessions (one empty), Bob one
    ann = await create_user(uow_factory, "ann@example.com")
    bob = await create_user(uow_factory, "bob@example.com")
    first = await create_session(uow_factory, ann, T0)
    second = await create_session(uow_factory, ann, T0 + timedelta(minutes=1))
    empty = await create_session(uow_factory, ann, T0 + timedelta(minutes=2))
    theirs = await create_session(uow_factory, bob, T0)
    await add_messages(uow_factory, first, "a", "b", "c")
    await add_messages(uow_factory, second, "a")
    await add_messages(uow_factory, theirs, "a", "b")
    # When the first session gets a message later than anything else
    async with uow_factory() as uow:
        await uow.chats.touch_session(first, T0 + timedelta(minutes=5))
        await uow.commit()
    async with uow_factory() as uow:
        listed = await uow.chats.sessions_of(ann)
        none = await uow.chats.sessions_of(999_999)
    # Then Ann sees only her sessions, counted, the touched one first
    assert [(v.id, v.message_count) for v in listed] == [(first, 3), (empty, 0), (second, 1)]
    assert listed[0].updated_at == T0 + timedelta(minutes=5)
    assert listed[0].created_at == T0
    assert none == []


async def test_an_unknown_session_is_none(uow_factory: Uow) -> None:
    async with uow_factory() as uow:
        assert await uow.chats.get_session(424242) is None
