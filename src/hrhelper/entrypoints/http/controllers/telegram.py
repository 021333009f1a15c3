"""Telegram through the bot (HR and admins): send, sync what reached the bot, read it back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from hrhelper.domain.messaging.model import (
    ChatQuery,
    MessageQuery,
    TelegramChat,
    TelegramMessage,
)
from hrhelper.domain.messaging.telegram import MAX_DAYS_BACK, SyncRequest, TelegramService
from hrhelper.entrypoints.http.auth import staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams

__all__ = ["TelegramController"]

Telegram = NamedDependency[TelegramService]
Pages = NamedDependency[PageParams]


class SendIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    chat_id: Annotated[str | int, msgspec.Meta(description="Chat id or @username")]
    message: Annotated[str, msgspec.Meta(min_length=1, max_length=4096)]
    parse_mode: str | None = None
    reply_to_message_id: int | None = None


class SendOut(msgspec.Struct):
    success: bool
    message: str
    message_id: int
    """Telegram's id of the sent message (unique within its chat)."""
    id: int
    """The stored message (``GET /api/v1/telegram/messages/{id}/``)."""
    chat: int


class SyncIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    sync_chats: bool = True
    sync_messages: bool = True
    days_back: Annotated[int, msgspec.Meta(ge=1, le=MAX_DAYS_BACK)] = 7


class SyncOut(msgspec.Struct):
    success: bool
    message: str
    job_id: str


class ChatOut(msgspec.Struct):
    id: int
    chat_id: str
    title: str
    chat_type: str
    username: str
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, chat: TelegramChat) -> ChatOut:
        return cls(
            chat.pk,
            str(chat.chat_id),
            chat.title,
            chat.chat_type,
            chat.username,
            chat.is_active,
            chat.created_at,
            chat.updated_at,
        )


class MessageOut(msgspec.Struct):
    id: int
    chat: int
    message_id: str
    text: str
    message_type: str
    date: datetime
    sender_id: str | None
    sender_name: str
    reply_to_message_id: str | None
    outgoing: bool
    edited: bool

    @classmethod
    def of(cls, m: TelegramMessage) -> MessageOut:
        return cls(
            m.id or 0,
            m.chat,
            str(m.message_id),
            m.text,
            m.message_type,
            m.date,
            None if m.sender_id is None else str(m.sender_id),
            m.sender_name,
            None if m.reply_to_message_id is None else str(m.reply_to_message_id),
            m.outgoing,
            m.edited,
        )


class TelegramController(Controller):
    path = "/api/v1/telegram"
    tags = ["Telegram"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @post(
        "/send-message/",
        status_code=200,
        operation_id="telegram_send_message",
        responses=errors(404, 429, 502),
    )
    async def send(self, data: JSONBody[SendIn], telegram: Telegram) -> SendOut:
        """Send through the bot (paced to Telegram's limits); stored once Telegram accepted
        it. Bad markup for ``parse_mode`` is a 400 with Telegram's own description."""
        sent = await telegram.send(
            str(data.chat_id), data.message, data.parse_mode, data.reply_to_message_id
        )
        return SendOut(True, "Сообщение отправлено", sent.message_id, sent.id or 0, sent.chat)

    @post(
        "/sync/",
        status_code=202,
        operation_id="telegram_sync",
        responses=errors(502),
    )
    async def sync(self, data: JSONBody[SyncIn], telegram: Telegram) -> SyncOut:
        """Queue a sync: the chats and messages that reached the bot since the last one are
        stored (a bot cannot read history from before it joined a chat); messages older than
        ``days_back`` days are not kept."""
        job = await telegram.start_sync(
            SyncRequest(data.sync_chats, data.sync_messages, data.days_back)
        )
        return SyncOut(True, "Синхронизация запущена", job)

    @get("/chats/", operation_id="telegram_chats_list")
    async def chats(
        self,
        request: Request[Any, Any, Any],
        telegram: Telegram,
        pages: Pages,
        search: Annotated[str, QueryParameter(max_length=200)] = "",
        chat_type: Annotated[str | None, QueryParameter(max_length=20)] = None,
        is_active: Annotated[bool | None, QueryParameter()] = None,
    ) -> Page[ChatOut]:
        """Chats the bot is or was in; ``search`` looks in the title and the username."""
        query = ChatQuery(search, chat_type, is_active, pages.offset, pages.limit)
        count, rows = await telegram.chats(query)
        return Page.build(request, pages, count, [ChatOut.of(c) for c in rows])

    @get("/chats/{chat_pk:int}/", operation_id="telegram_chats_detail")
    async def chat(self, chat_pk: FromPath[int], telegram: Telegram) -> ChatOut:
        """One chat."""
        return ChatOut.of(await telegram.chat(chat_pk))

    @get("/messages/", operation_id="telegram_messages_list")
    async def messages(
        self,
        request: Request[Any, Any, Any],
        telegram: Telegram,
        pages: Pages,
        chat: Annotated[int | None, QueryParameter()] = None,
        search: Annotated[str, QueryParameter(max_length=200)] = "",
        message_type: Annotated[str | None, QueryParameter(max_length=30)] = None,
        date_from: Annotated[date | None, QueryParameter()] = None,
        date_to: Annotated[date | None, QueryParameter()] = None,
    ) -> Page[MessageOut]:
        """Stored messages, newest first; ``date_from``/``date_to`` are inclusive (UTC)."""
        query = MessageQuery(
            chat, search, message_type, date_from, date_to, pages.offset, pages.limit
        )
        count, rows = await telegram.messages(query)
        return Page.build(request, pages, count, [MessageOut.of(m) for m in rows])

    @get("/messages/{message_pk:int}/", operation_id="telegram_messages_detail")
    async def message(self, message_pk: FromPath[int], telegram: Telegram) -> MessageOut:
        """One message."""
        return MessageOut.of(await telegram.message(message_pk))
