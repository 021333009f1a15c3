"""The chat service on memory persistence with a scripted model: what the model is sent,
what is stored, and what happens when it fails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from hrhelper.domain.ai.chat import ChatService
from hrhelper.domain.errors import InvalidInput, NotFound
from hrhelper.domain.identity.model import Role, User
from hrhelper.domain.identity.users import UserChanges
from hrhelper.ports.chat_model import ChatModelBlocked, ChatTurn
from tests.support.identity_fakes import IdentitySystem, create_identity_system

KEY = "AIza-test-key-0001"


@dataclass
class ScriptedModel:
    """Answers ``answer:<message>`` unless told to fail; records every call."""

    calls: list[tuple[str, list[ChatTurn], str]] = field(default_factory=list)
    fail_with: Exception | None = None

    async def reply(self, api_key: str, history: Sequence[ChatTurn], message: str) -> str:
        self.calls.append((api_key, list(history), message))
        if self.fail_with is not None:
            raise self.fail_with
        return f"answer:{message}"


async def create_sut(history_limit: int = 4) -> tuple[ChatService, ScriptedModel, User, User]:
    system: IdentitySystem = create_identity_system()
    admin = await system.create_user("admin@example.com", Role.ADMIN)
    ann = await system.create_user("ann@example.com", Role.HR)
    bob = await system.create_user("bob@example.com", Role.HR)
    await system.users.update(admin, ann.pk, UserChanges({"gemini_api_key": KEY}))
    model = ScriptedModel()
    sut = ChatService(system.uow, model, system.box, system.clock, history_limit)
    return sut, model, ann, bob


async def test_only_the_last_messages_go_along_as_history() -> None:
    sut, model, ann, _ = await create_sut(history_limit=4)
    session = (await sut.chat(ann, "q1")).session_id
    for n in (2, 3, 4):
        await sut.chat(ann, f"q{n}", session)
    api_key, history, message = model.calls[-1]
    assert (api_key, message) == (KEY, "q4")
    assert history == [
        ChatTurn("user", "q2"),
        ChatTurn("model", "answer:q2"),
        ChatTurn("user", "q3"),
        ChatTurn("model", "answer:q3"),
    ]
    count, _ = await sut.messages(ann, session, 0, 100)
    assert count == 8


async def test_a_failure_names_the_session_and_keeps_the_question() -> None:
    sut, model, ann, _ = await create_sut()
    model.fail_with = ChatModelBlocked("Blocked.", {"reason": "SAFETY"})
    with pytest.raises(ChatModelBlocked) as raised:
        await sut.chat(ann, "dubious")
    session_id = raised.value.details["session_id"]
    assert isinstance(session_id, int)
    _, stored = await sut.messages(ann, session_id, 0, 10)
    assert [(m.role, m.content) for m in stored] == [("user", "dubious")]
    [view] = await sut.sessions(ann)
    assert (view.id, view.message_count, view.title) == (session_id, 1, "dubious")


async def test_without_a_key_nothing_is_stored_or_sent() -> None:
    sut, model, _, bob = await create_sut()
    with pytest.raises(InvalidInput, match="gemini_api_key"):
        await sut.chat(bob, "hello")
    assert model.calls == []
    assert await sut.sessions(bob) == []


@pytest.mark.parametrize("message", ["", "   \n"])
async def test_an_empty_message_is_invalid(message: str) -> None:
    sut, model, ann, _ = await create_sut()
    with pytest.raises(InvalidInput):
        await sut.chat(ann, message)
    assert model.calls == []


async def test_someone_elses_session_is_not_found() -> None:
    sut, model, ann, bob = await create_sut()
    session = (await sut.chat(ann, "mine")).session_id
    with pytest.raises(NotFound):
        await sut.messages(bob, session, 0, 10)
    with pytest.raises(NotFound):
        await sut.chat(ann, "x", session + 1000)
    assert len(model.calls) == 1
