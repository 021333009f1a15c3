"""Telegram chats and messages as the bot saw them, and the queries over them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["ChatQuery", "MessageQuery", "SyncSummary", "TelegramChat", "TelegramMessage"]


@dataclass(frozen=True, slots=True)
class TelegramChat:
    """A chat the bot is (or was) in; ``chat_id`` is Telegram's id, ``id`` ours."""

    chat_id: int
    chat_type: str
    """``private``, ``group``, ``supergroup`` or ``channel``."""
    title: str
    username: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
    id: int | None = None

    @property
    def pk(self) -> int:
        if self.id is None:
            raise ValueError("the chat is not stored yet")
        return self.id


@dataclass(frozen=True, slots=True)
class TelegramMessage:
    """A message of a stored chat (``chat`` is our chat id); ``message_id`` is unique within
    its chat only. ``outgoing`` marks what hrhelper sent through the bot."""

    chat: int
    message_id: int
    message_type: str
    text: str
    date: datetime
    sender_id: int | None
    sender_name: str
    reply_to_message_id: int | None
    outgoing: bool
    edited: bool
    id: int | None = None


@dataclass(frozen=True, slots=True)
class ChatQuery:
    search: str = ""
    """In the title and the username, case-insensitive."""
    chat_type: str | None = None
    is_active: bool | None = None
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True, slots=True)
class MessageQuery:
    chat: int | None = None
    search: str = ""
    """In the text (or caption), case-insensitive."""
    message_type: str | None = None
    date_from: date | None = None
    """Inclusive, in UTC."""
    date_to: date | None = None
    """Inclusive, in UTC."""
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True, slots=True)
class SyncSummary:
    updates: int
    """Updates read (and confirmed) from Telegram."""
    chats: int
    """Chats stored or refreshed."""
    messages: int
    """Messages stored or updated (edits)."""
    skipped: int
    """Messages older than the ``days_back`` window, or not asked for."""
