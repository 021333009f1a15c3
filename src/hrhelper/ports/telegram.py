"""Where the bot's Telegram chats and messages are kept; transactional like every repository."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from hrhelper.domain.messaging.model import (
    ChatQuery,
    MessageQuery,
    TelegramChat,
    TelegramMessage,
)

__all__ = ["TelegramRepository"]


class TelegramRepository(Protocol):
    async def upsert_chat(self, chat: TelegramChat) -> TelegramChat:
        """Store the chat of its Telegram ``chat_id``; a known one keeps its id and
        ``created_at`` and takes the rest. Answers the stored row."""
        ...

    async def upsert_message(self, message: TelegramMessage) -> TelegramMessage:
        """Store the message of its (chat, message_id); a known one (an edit) keeps its id
        and ``outgoing`` and takes the new content. Answers the stored row."""
        ...

    async def deactivate_chat(self, chat_id: int, at: datetime) -> None:
        """Mark the chat of that Telegram id inactive (the bot was blocked or removed);
        nothing happens when it is not stored."""
        ...

    async def get_chat(self, chat_pk: int) -> TelegramChat | None: ...

    async def chats(self, query: ChatQuery) -> tuple[int, Sequence[TelegramChat]]:
        """The count and one page of matching chats, the most recently updated first (then
        the newest id)."""
        ...

    async def get_message(self, message_pk: int) -> TelegramMessage | None: ...

    async def messages(self, query: MessageQuery) -> tuple[int, Sequence[TelegramMessage]]:
        """The count and one page of matching messages, newest first (by date, then id)."""
        ...

    async def update_offset(self) -> int | None:
        """The next update id to ask Telegram for (``None`` before the first sync)."""
        ...

    async def save_update_offset(self, offset: int) -> None: ...
