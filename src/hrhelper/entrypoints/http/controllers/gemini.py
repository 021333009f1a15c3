"""Gemini: a chat with the model, kept in sessions that belong to their user (HR, admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from hrhelper.domain.ai.chat import MAX_MESSAGE_CHARS, ChatService
from hrhelper.domain.ai.model import ChatMessage, ChatSessionView
from hrhelper.entrypoints.http.auth import current_user, staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams

__all__ = ["ChatIn", "ChatMessageOut", "ChatOut", "ChatSessionOut", "GeminiController"]

Chats = NamedDependency[ChatService]


class ChatIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    message: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_MESSAGE_CHARS)]
    session_id: int | None = None


class ChatOut(msgspec.Struct):
    success: bool
    response: str
    session_id: int


class ChatSessionOut(msgspec.Struct):
    id: int
    title: str
    created_at: datetime
    updated_at: datetime
    message_count: int

    @classmethod
    def of(cls, view: ChatSessionView) -> ChatSessionOut:
        return cls(view.id, view.title, view.created_at, view.updated_at, view.message_count)


class ChatMessageOut(msgspec.Struct):
    id: int
    session: int
    role: str
    content: str
    timestamp: datetime

    @classmethod
    def of(cls, message: ChatMessage) -> ChatMessageOut:
        return cls(
            message.id or 0, message.session_id, message.role, message.content, message.timestamp
        )


class GeminiController(Controller):
    path = "/api/gemini"
    tags = ["Gemini"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @post("/chat/", status_code=200, operation_id="gemini_chat", responses=errors(404, 429, 502))
    async def chat(
        self, request: Request[Any, Any, Any], data: JSONBody[ChatIn], chats: Chats
    ) -> ChatOut:
        """Ask Gemini with your own key (``gemini_api_key`` of your user). Without
        ``session_id`` a new session starts; the session's recent messages go along as
        context. The question is kept even when the model fails (quota → 429, a safety
        block → 502); the error's ``details.session_id`` names the session."""
        reply = await chats.chat(current_user(request), data.message, data.session_id)
        return ChatOut(success=True, response=reply.response, session_id=reply.session_id)

    @get("/sessions/", operation_id="gemini_sessions_list")
    async def sessions(self, request: Request[Any, Any, Any], chats: Chats) -> list[ChatSessionOut]:
        """Your chat sessions (a bare list, as the spec shows), latest activity first."""
        return [ChatSessionOut.of(v) for v in await chats.sessions(current_user(request))]

    @get("/sessions/{session_id:int}/messages/", operation_id="gemini_session_messages")
    async def messages(
        self,
        request: Request[Any, Any, Any],
        session_id: FromPath[int],
        chats: Chats,
        pages: NamedDependency[PageParams],
    ) -> Page[ChatMessageOut]:
        """The messages of one of your sessions, oldest first."""
        count, rows = await chats.messages(
            current_user(request), session_id, pages.offset, pages.limit
        )
        return Page.build(request, pages, count, [ChatMessageOut.of(m) for m in rows])
