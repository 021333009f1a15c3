"""In-memory Telegram chats and messages over the tables of a MemoryUnitOfWork."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from hrhelper.adapters.persistence.memory.identity import next_id
from hrhelper.domain.messaging.model import (
    ChatQuery,
    MessageQuery,
    TelegramChat,
    TelegramMessage,
)
from hrhelper.ports.telegram import TelegramRepository

__all__ = ["MemoryTelegramRepository"]


def _has(term: str, *fields: str) -> bool:
    needle = term.strip().lower()
    return not needle or any(needle in f.lower() for f in fields)


class MemoryTelegramRepository(TelegramRepository):
    """Chats keyed by Telegram's id, messages by (chat, message_id)."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._chats: dict[int, TelegramChat] = tables["telegram_chats"]
        self._messages: dict[tuple[int, int], TelegramMessage] = tables["telegram_messages"]
        self._state: dict[str, int] = tables["telegram_bot_state"]

    async def upsert_chat(self, chat: TelegramChat) -> TelegramChat:
        old = self._chats.get(chat.chat_id)
        if old is None:
            row = dataclasses.replace(chat, id=next_id(self._tables, "telegram_chats"))
        else:
            row = dataclasses.replace(chat, id=old.id, created_at=old.created_at)
        self._chats[chat.chat_id] = row
        return row

    async def upsert_message(self, message: TelegramMessage) -> TelegramMessage:
        key = (message.chat, message.message_id)
        old = self._messages.get(key)
        if old is None:
            row = dataclasses.replace(message, id=next_id(self._tables, "telegram_messages"))
        else:
            row = dataclasses.replace(message, id=old.id, outgoing=old.outgoing)
        self._messages[key] = row
        return row

    async def deactivate_chat(self, chat_id: int, at: datetime) -> None:
        old = self._chats.get(chat_id)
        if old is not None:
            self._chats[chat_id] = dataclasses.replace(old, is_active=False, updated_at=at)

    async def get_chat(self, chat_pk: int) -> TelegramChat | None:
        return next((c for c in self._chats.values() if c.id == chat_pk), None)

    async def chats(self, query: ChatQuery) -> tuple[int, Sequence[TelegramChat]]:
        rows = [
            c
            for c in self._chats.values()
            if _has(query.search, c.title, c.username)
            and (not query.chat_type or c.chat_type == query.chat_type)
            and (query.is_active is None or c.is_active is query.is_active)
        ]
        rows.sort(key=lambda c: (c.updated_at, c.id or 0), reverse=True)
        return len(rows), rows[query.offset : query.offset + query.limit]

    async def get_message(self, message_pk: int) -> TelegramMessage | None:
        return next((m for m in self._messages.values() if m.id == message_pk), None)

    async def messages(self, query: MessageQuery) -> tuple[int, Sequence[TelegramMessage]]:
        start = datetime.combine(query.date_from, time.min, tzinfo=UTC) if query.date_from else None
        end = (
            datetime.combine(query.date_to, time.min, tzinfo=UTC) + timedelta(days=1)
            if query.date_to
            else None
        )
        rows = [
            m
            for m in self._messages.values()
            if (query.chat is None or m.chat == query.chat)
            and _has(query.search, m.text)
            and (not query.message_type or m.message_type == query.message_type)
            and (start is None or m.date >= start)
            and (end is None or m.date < end)
        ]
        rows.sort(key=lambda m: (m.date, m.id or 0), reverse=True)
        return len(rows), rows[query.offset : query.offset + query.limit]

    async def update_offset(self) -> int | None:
        return self._state.get("update_offset")

    async def save_update_offset(self, offset: int) -> None:
        self._state["update_offset"] = offset
