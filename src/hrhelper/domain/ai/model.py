"""Chat sessions and their messages, as stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hrhelper.ports.chat_model import Role

__all__ = ["ChatMessage", "ChatSession", "ChatSessionView"]


@dataclass(frozen=True, slots=True)
class ChatSession:
    """One conversation of one user; ``id`` is ``None`` until stored."""

    user_id: int
    title: str
    created_at: datetime
    updated_at: datetime
    id: int | None = None

    @property
    def pk(self) -> int:
        """The id of a stored session."""
        if self.id is None:
            raise ValueError("the session is not stored yet")
        return self.id


@dataclass(frozen=True, slots=True)
class ChatSessionView:
    """A session as listed: with the number of its messages (counted by the query)."""

    id: int
    title: str
    created_at: datetime
    updated_at: datetime
    message_count: int


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A question (``user``) or an answer (``model``) of a session."""

    session_id: int
    role: Role
    content: str
    timestamp: datetime
    id: int | None = None
