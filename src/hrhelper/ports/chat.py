"""Where chat sessions and their messages are kept; transactional like every repository."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from hrhelper.domain.ai.model import ChatMessage, ChatSession, ChatSessionView

__all__ = ["ChatRepository"]


class ChatRepository(Protocol):
    async def add_session(self, session: ChatSession) -> ChatSession:
        """Store a new session; answers it with its id."""
        ...

    async def get_session(self, session_id: int) -> ChatSession | None: ...

    async def touch_session(self, session_id: int, at: datetime) -> None:
        """Mark the session as updated at ``at`` (a message was added)."""
        ...

    async def add_message(self, message: ChatMessage) -> ChatMessage:
        """Store a message; answers it with its id. Ids grow in the order of adding."""
        ...

    async def recent_messages(self, session_id: int, limit: int) -> Sequence[ChatMessage]:
        """The last ``limit`` messages of the session, oldest first."""
        ...

    async def messages(
        self, session_id: int, offset: int, limit: int
    ) -> tuple[int, Sequence[ChatMessage]]:
        """The session's message count and one page of its messages, oldest first."""
        ...

    async def sessions_of(self, user_id: int) -> Sequence[ChatSessionView]:
        """The user's sessions with their message counts, most recently updated first (then
        the newest id first); a constant number of queries however many sessions."""
        ...
