"""The chat_sessions and chat_messages tables and their repository.

Listing sessions counts their messages in the same query (a grouped subquery joined to the
sessions), so the number of queries does not grow with the number of sessions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import RowMapping, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.tables import chat_messages, chat_sessions
from hrhelper.domain.ai.model import ChatMessage, ChatSession, ChatSessionView
from hrhelper.ports.chat import ChatRepository
from hrhelper.ports.chat_model import Role

__all__ = ["SqlChatRepository"]

_s, _m = chat_sessions, chat_messages


def _session(row: RowMapping) -> ChatSession:
    return ChatSession(
        id=row["id"],
        user_id=row["user_id"],
        title=row["title"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _message(row: RowMapping) -> ChatMessage:
    return ChatMessage(
        id=row["id"],
        session_id=row["session_id"],
        role=cast(Role, row["role"]),
        content=row["content"],
        timestamp=row["created_at"],
    )


class SqlChatRepository(ChatRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_session(self, session: ChatSession) -> ChatSession:
        statement = (
            insert(_s)
            .values(
                user_id=session.user_id,
                title=session.title,
                created_at=session.created_at,
                updated_at=session.updated_at,
            )
            .returning(*_s.c)
        )
        return _session((await self._session.execute(statement)).mappings().one())

    async def get_session(self, session_id: int) -> ChatSession | None:
        row = (
            (await self._session.execute(select(_s).where(_s.c.id == session_id)))
            .mappings()
            .one_or_none()
        )
        return _session(row) if row is not None else None

    async def touch_session(self, session_id: int, at: datetime) -> None:
        await self._session.execute(update(_s).where(_s.c.id == session_id).values(updated_at=at))

    async def add_message(self, message: ChatMessage) -> ChatMessage:
        statement = (
            insert(_m)
            .values(
                session_id=message.session_id,
                role=message.role,
                content=message.content,
                created_at=message.timestamp,
            )
            .returning(*_m.c)
        )
        return _message((await self._session.execute(statement)).mappings().one())

    async def recent_messages(self, session_id: int, limit: int) -> Sequence[ChatMessage]:
        query = select(_m).where(_m.c.session_id == session_id).order_by(_m.c.id.desc())
        rows = (await self._session.execute(query.limit(limit))).mappings().all()
        return [_message(row) for row in reversed(rows)]

    async def messages(
        self, session_id: int, offset: int, limit: int
    ) -> tuple[int, Sequence[ChatMessage]]:
        where = _m.c.session_id == session_id
        count = await self._session.scalar(select(func.count()).select_from(_m).where(where))
        query = select(_m).where(where).order_by(_m.c.id).offset(offset).limit(limit)
        rows = (await self._session.execute(query)).mappings().all()
        return int(count or 0), [_message(row) for row in rows]

    async def sessions_of(self, user_id: int) -> Sequence[ChatSessionView]:
        counts = (
            select(_m.c.session_id, func.count().label("n"))
            .join(_s, _s.c.id == _m.c.session_id)
            .where(_s.c.user_id == user_id)
            .group_by(_m.c.session_id)
            .subquery("counts")
        )
        query = (
            select(
                _s.c.id,
                _s.c.title,
                _s.c.created_at,
                _s.c.updated_at,
                func.coalesce(counts.c.n, 0).label("message_count"),
            )
            .outerjoin(counts, counts.c.session_id == _s.c.id)
            .where(_s.c.user_id == user_id)
            .order_by(_s.c.updated_at.desc(), _s.c.id.desc())
        )
        rows = (await self._session.execute(query)).mappings()
        return [
            ChatSessionView(
                id=row["id"],
                title=row["title"],
                created_at=row["created_at"],
                updated_at=row["updated_at"],
                message_count=row["message_count"],
            )
            for row in rows
        ]
