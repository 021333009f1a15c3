"""The telegram_chats, telegram_messages and telegram_bot_state tables and their repository.

Chats and messages are upserted with ``INSERT ... ON CONFLICT DO UPDATE`` (PostgreSQL and
SQLite alike), so a sync racing a send of the same message cannot collide. Lists count and
page in two queries whatever the page size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, Table, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.search import contains
from hrhelper.adapters.persistence.sqlalchemy.tables import (
    telegram_bot_state,
    telegram_chats,
    telegram_messages,
)
from hrhelper.domain.messaging.model import (
    ChatQuery,
    MessageQuery,
    TelegramChat,
    TelegramMessage,
)
from hrhelper.ports.telegram import TelegramRepository

__all__ = ["SqlTelegramRepository"]

_c, _m, _state = telegram_chats, telegram_messages, telegram_bot_state
_INSERTS: dict[str, Callable[[Table], Any]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}
_CHAT_FIELDS = ("chat_type", "title", "username", "is_active", "updated_at")
_MESSAGE_FIELDS = (
    "message_type",
    "text",
    "date",
    "sender_id",
    "sender_name",
    "reply_to_message_id",
    "edited",
)


def _chat(row: RowMapping) -> TelegramChat:
    return TelegramChat(
        id=row["id"],
        chat_id=row["chat_id"],
        chat_type=row["chat_type"],
        title=row["title"],
        username=row["username"],
        is_active=row["is_active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _message(row: RowMapping) -> TelegramMessage:
    return TelegramMessage(
        id=row["id"],
        chat=row["chat_pk"],
        message_id=row["message_id"],
        message_type=row["message_type"],
        text=row["text"],
        date=row["date"],
        sender_id=row["sender_id"],
        sender_name=row["sender_name"],
        reply_to_message_id=row["reply_to_message_id"],
        outgoing=row["outgoing"],
        edited=row["edited"],
    )


def _day_start(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


class SqlTelegramRepository(TelegramRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _insert(self, table: Table) -> Any:
        dialect = self._session.get_bind().dialect.name
        if dialect not in _INSERTS:
            raise NotImplementedError(f"no portable upsert for the {dialect} dialect")
        return _INSERTS[dialect](table)

    async def upsert_chat(self, chat: TelegramChat) -> TelegramChat:
        values = {
            "chat_id": chat.chat_id,
            "chat_type": chat.chat_type,
            "title": chat.title,
            "username": chat.username,
            "is_active": chat.is_active,
            "created_at": chat.created_at,
            "updated_at": chat.updated_at,
        }
        statement = (
            self._insert(_c)
            .values(**values)
            .on_conflict_do_update(
                index_elements=[_c.c.chat_id], set_={k: values[k] for k in _CHAT_FIELDS}
            )
            .returning(*_c.c)
        )
        return _chat((await self._session.execute(statement)).mappings().one())

    async def upsert_message(self, message: TelegramMessage) -> TelegramMessage:
        values = {
            "chat_pk": message.chat,
            "message_id": message.message_id,
            "message_type": message.message_type,
            "text": message.text,
            "date": message.date,
            "sender_id": message.sender_id,
            "sender_name": message.sender_name,
            "reply_to_message_id": message.reply_to_message_id,
            "outgoing": message.outgoing,
            "edited": message.edited,
        }
        statement = (
            self._insert(_m)
            .values(**values)
            .on_conflict_do_update(
                index_elements=[_m.c.chat_pk, _m.c.message_id],
                set_={k: values[k] for k in _MESSAGE_FIELDS},
            )
            .returning(*_m.c)
        )
        return _message((await self._session.execute(statement)).mappings().one())

    async def deactivate_chat(self, chat_id: int, at: datetime) -> None:
        statement = update(_c).where(_c.c.chat_id == chat_id).values(is_active=False, updated_at=at)
        await self._session.execute(statement)

    async def get_chat(self, chat_pk: int) -> TelegramChat | None:
        query = select(_c).where(_c.c.id == chat_pk)
        row = (await self._session.execute(query)).mappings().one_or_none()
        return _chat(row) if row is not None else None

    async def chats(self, query: ChatQuery) -> tuple[int, Sequence[TelegramChat]]:
        where: list[ColumnElement[bool]] = []
        if query.search.strip():
            where.append(
                or_(contains(_c.c.title, query.search), contains(_c.c.username, query.search))
            )
        if query.chat_type:
            where.append(_c.c.chat_type == query.chat_type)
        if query.is_active is not None:
            where.append(_c.c.is_active.is_(query.is_active))
        page = select(_c).where(*where).order_by(_c.c.updated_at.desc(), _c.c.id.desc())
        count, rows = await self._page(
            page, select(func.count()).select_from(_c).where(*where), query.offset, query.limit
        )
        return count, [_chat(row) for row in rows]

    async def get_message(self, message_pk: int) -> TelegramMessage | None:
        query = select(_m).where(_m.c.id == message_pk)
        row = (await self._session.execute(query)).mappings().one_or_none()
        return _message(row) if row is not None else None

    async def messages(self, query: MessageQuery) -> tuple[int, Sequence[TelegramMessage]]:
        where: list[ColumnElement[bool]] = []
        if query.chat is not None:
            where.append(_m.c.chat_pk == query.chat)
        if query.search.strip():
            where.append(contains(_m.c.text, query.search))
        if query.message_type:
            where.append(_m.c.message_type == query.message_type)
        if query.date_from is not None:
            where.append(_m.c.date >= _day_start(query.date_from))
        if query.date_to is not None:
            where.append(_m.c.date < _day_start(query.date_to) + timedelta(days=1))
        page = select(_m).where(*where).order_by(_m.c.date.desc(), _m.c.id.desc())
        count, rows = await self._page(
            page, select(func.count()).select_from(_m).where(*where), query.offset, query.limit
        )
        return count, [_message(row) for row in rows]

    async def _page(
        self, query: Select[Any], count: Select[Any], offset: int, limit: int
    ) -> tuple[int, Sequence[RowMapping]]:
        total = await self._session.scalar(count)
        rows = (await self._session.execute(query.offset(offset).limit(limit))).mappings().all()
        return int(total or 0), rows

    async def update_offset(self) -> int | None:
        found = await self._session.scalar(select(_state.c.update_offset).where(_state.c.id == 1))
        return int(found) if found is not None else None

    async def save_update_offset(self, offset: int) -> None:
        statement = (
            self._insert(_state)
            .values(id=1, update_offset=offset)
            .on_conflict_do_update(index_elements=[_state.c.id], set_={"update_offset": offset})
        )
        await self._session.execute(statement)
