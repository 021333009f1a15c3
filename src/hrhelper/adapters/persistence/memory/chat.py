"""In-memory chat sessions and messages over the tables of a MemoryUnitOfWork."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hrhelper.adapters.persistence.memory.identity import next_id
from hrhelper.domain.ai.model import ChatMessage, ChatSession, ChatSessionView
from hrhelper.ports.chat import ChatRepository

__all__ = ["MemoryChatRepository"]


class MemoryChatRepository(ChatRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._sessions: dict[int, ChatSession] = tables["chat_sessions"]
        self._messages: dict[int, ChatMessage] = tables["chat_messages"]

    async def add_session(self, session: ChatSession) -> ChatSession:
        row = dataclasses.replace(session, id=next_id(self._tables, "chat_sessions"))
        self._sessions[row.id or 0] = row
        return row

    async def get_session(self, session_id: int) -> ChatSession | None:
        return self._sessions.get(session_id)

    async def touch_session(self, session_id: int, at: datetime) -> None:
        if session_id in self._sessions:
            self._sessions[session_id] = dataclasses.replace(
                self._sessions[session_id], updated_at=at
            )

    async def add_message(self, message: ChatMessage) -> ChatMessage:
        row = dataclasses.replace(message, id=next_id(self._tables, "chat_messages"))
        self._messages[row.id or 0] = row
        return row

    def _of(self, session_id: int) -> list[ChatMessage]:
        return sorted(
            (m for m in self._messages.values() if m.session_id == session_id),
            key=lambda m: m.id or 0,
        )

    async def recent_messages(self, session_id: int, limit: int) -> Sequence[ChatMessage]:
        rows = self._of(session_id)
        return rows[max(0, len(rows) - limit) :]

    async def messages(
        self, session_id: int, offset: int, limit: int
    ) -> tuple[int, Sequence[ChatMessage]]:
        rows = self._of(session_id)
        return len(rows), rows[offset : offset + limit]

    async def sessions_of(self, user_id: int) -> Sequence[ChatSessionView]:
        counts = Counter(m.session_id for m in self._messages.values())
        mine = [s for s in self._sessions.values() if s.user_id == user_id]
        mine.sort(key=lambda s: (s.updated_at, s.id or 0), reverse=True)
        return [
            ChatSessionView(s.id or 0, s.title, s.created_at, s.updated_at, counts[s.id or 0])
            for s in mine
        ]
