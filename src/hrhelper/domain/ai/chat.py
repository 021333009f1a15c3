"""Conversations with the chat model, one history per session.

- Each user talks with their own Gemini key (``gemini_api_key`` of their profile); without one
  nothing is stored and the answer says how to set it.
- The question is stored (in its own transaction) before the model is asked, so it is kept
  when the model fails; the answer is stored when it arrives. The model sees the session's
  last ``history_limit`` messages and then the new question, once.
- A session belongs to its user: anyone else's is "not found", not "forbidden".
- The model is called outside any transaction: answers take seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hrhelper.domain.ai.model import ChatMessage, ChatSession, ChatSessionView
from hrhelper.domain.errors import DomainError, InvalidInput, NotFound
from hrhelper.domain.identity.model import CredentialKind, User
from hrhelper.ports.chat_model import ChatModel, ChatTurn
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWork, UnitOfWorkFactory
from hrhelper.ports.security import SecretBox

__all__ = ["MAX_MESSAGE_CHARS", "ChatReply", "ChatService"]

MAX_MESSAGE_CHARS = 30_000
_TITLE_CHARS = 100


@dataclass(frozen=True, slots=True)
class ChatReply:
    session_id: int
    response: str


class ChatService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        model: ChatModel,
        box: SecretBox,
        clock: Clock,
        history_limit: int = 20,
    ) -> None:
        self._uow_factory = uow_factory
        self._model = model
        self._box = box
        self._clock = clock
        self._history_limit = history_limit

    async def chat(self, actor: User, message: str, session_id: int | None = None) -> ChatReply:
        """Ask the model in a session (a new one when ``session_id`` is ``None``).

        Model errors (quota, safety block, bad key) propagate with the session's id added to
        their ``details``: the question is stored in that session all the same."""
        text = _checked(message)
        api_key = await self._api_key(actor)
        session, history = await self._ask(actor, text, session_id)
        try:
            answer = await self._model.reply(api_key, history, text)
        except DomainError as error:
            error.details["session_id"] = session.pk
            raise
        async with self._uow_factory() as uow:
            now = self._clock.now()
            await uow.chats.add_message(ChatMessage(session.pk, "model", answer, now))
            await uow.chats.touch_session(session.pk, now)
            await uow.commit()
        return ChatReply(session.pk, answer)

    async def sessions(self, actor: User) -> Sequence[ChatSessionView]:
        """The actor's own sessions with their message counts, latest activity first."""
        async with self._uow_factory() as uow:
            return await uow.chats.sessions_of(actor.pk)

    async def messages(
        self, actor: User, session_id: int, offset: int, limit: int
    ) -> tuple[int, Sequence[ChatMessage]]:
        """One page of a session's messages, oldest first; only the owner may read them."""
        async with self._uow_factory() as uow:
            await _own_session(uow, actor, session_id)
            return await uow.chats.messages(session_id, offset, limit)

    async def _api_key(self, actor: User) -> str:
        async with self._uow_factory() as uow:
            stored = (await uow.credentials.of([actor.pk])).get(actor.pk, {})
        credential = stored.get(CredentialKind.GEMINI_API_KEY)
        if credential is None:
            raise InvalidInput(
                "No Gemini API key is set. Set yours with PATCH "
                f'/api/users/{actor.pk}/ {{"gemini_api_key": "<your key>"}}.',
                {"gemini_api_key": ["Not set."]},
            )
        return self._box.open(credential.ciphertext)

    async def _ask(
        self, actor: User, text: str, session_id: int | None
    ) -> tuple[ChatSession, list[ChatTurn]]:
        """Store the question (in a new session or the given one) and answer the session
        with the history that came before it."""
        now = self._clock.now()
        async with self._uow_factory() as uow:
            if session_id is None:
                title = " ".join(text.split())[:_TITLE_CHARS]
                session = await uow.chats.add_session(ChatSession(actor.pk, title, now, now))
                history: list[ChatTurn] = []
            else:
                session = await _own_session(uow, actor, session_id)
                recent = await uow.chats.recent_messages(session_id, self._history_limit)
                history = [ChatTurn(m.role, m.content) for m in recent]
            await uow.chats.add_message(ChatMessage(session.pk, "user", text, now))
            await uow.chats.touch_session(session.pk, now)
            await uow.commit()
        return session, history


def _checked(message: str) -> str:
    if not message.strip():
        raise InvalidInput.for_fields({"message": ["Write a message."]})
    if len(message) > MAX_MESSAGE_CHARS:
        raise InvalidInput.for_fields(
            {"message": [f"At most {MAX_MESSAGE_CHARS} characters, not {len(message)}."]}
        )
    return message


async def _own_session(uow: UnitOfWork, actor: User, session_id: int) -> ChatSession:
    session = await uow.chats.get_session(session_id)
    if session is None or session.user_id != actor.pk:
        raise NotFound("Chat session not found.", {"session_id": session_id})
    return session
