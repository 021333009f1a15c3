"""Connected Google accounts (sealed tokens only), their calendar events and Drive files.

Lists are one count and one page query each; visibility is a join on the owning account."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.search import contains
from hrhelper.adapters.persistence.sqlalchemy.tables import (
    google_accounts,
    google_calendar_events,
    google_drive_files,
)
from hrhelper.domain.google.model import (
    AccountQuery,
    EventQuery,
    FileQuery,
    GoogleAccount,
    StoredEvent,
    StoredFile,
)
from hrhelper.ports.google_store import GoogleStore

__all__ = ["SqlGoogleStore"]

_a = google_accounts
_e = google_calendar_events
_f = google_drive_files
_INSERTS: dict[str, Any] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _account(row: Any) -> GoogleAccount:
    return GoogleAccount(
        id=row.id,
        user_id=row.user_id,
        email=row.email,
        subject=row.subject,
        scopes=tuple(row.scopes.split()),
        access_token=row.access_token,
        refresh_token=row.refresh_token,
        expires_at=row.expires_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        is_active=row.is_active,
        last_sync_at=row.last_sync_at,
        error=row.error,
    )


def _account_values(account: GoogleAccount) -> dict[str, Any]:
    return {
        "user_id": account.user_id,
        "email": account.email,
        "subject": account.subject,
        "scopes": " ".join(account.scopes),
        "access_token": account.access_token,
        "refresh_token": account.refresh_token,
        "expires_at": account.expires_at,
        "is_active": account.is_active,
        "last_sync_at": account.last_sync_at,
        "error": account.error,
        "created_at": account.created_at,
        "updated_at": account.updated_at,
    }


def _event(row: Any) -> StoredEvent:
    return StoredEvent(
        id=row.id,
        account_id=row.account_id,
        google_id=row.google_id,
        summary=row.summary,
        description=row.description,
        location=row.location,
        start=row.start_at,
        end=row.end_at,
        all_day=row.all_day,
        status=row.status,
        html_link=row.html_link,
        meet_link=row.meet_link,
        organizer_email=row.organizer_email,
        attendees=tuple(row.attendees),
        updated=row.updated,
        synced_at=row.synced_at,
    )


def _event_values(event: StoredEvent) -> dict[str, Any]:
    return {
        "account_id": event.account_id,
        "google_id": event.google_id,
        "summary": event.summary,
        "description": event.description,
        "location": event.location,
        "start_at": event.start,
        "end_at": event.end,
        "all_day": event.all_day,
        "status": event.status,
        "html_link": event.html_link,
        "meet_link": event.meet_link,
        "organizer_email": event.organizer_email,
        "attendees": list(event.attendees),
        "updated": event.updated,
        "synced_at": event.synced_at,
    }


def _file(row: Any) -> StoredFile:
    return StoredFile(
        id=row.id,
        account_id=row.account_id,
        google_id=row.google_id,
        name=row.name,
        mime_type=row.mime_type,
        size=row.size,
        created_time=row.created_time,
        modified_time=row.modified_time,
        web_view_link=row.web_view_link,
        owners=tuple(row.owners),
        synced_at=row.synced_at,
    )


def _file_values(file: StoredFile) -> dict[str, Any]:
    return {
        "account_id": file.account_id,
        "google_id": file.google_id,
        "name": file.name,
        "mime_type": file.mime_type,
        "size": file.size,
        "created_time": file.created_time,
        "modified_time": file.modified_time,
        "web_view_link": file.web_view_link,
        "owners": list(file.owners),
        "synced_at": file.synced_at,
    }


def _owned(stmt: Select[Any], table: Any, owner: int | None) -> Select[Any]:
    if owner is None:
        return stmt
    mine = select(_a.c.id).where(_a.c.user_id == owner)
    return stmt.where(table.c.account_id.in_(mine))


class SqlGoogleStore(GoogleStore):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _page(
        self, table: Any, where: list[ColumnElement[bool]], owner: int | None, order: Any, q: Any
    ) -> tuple[int, list[Any]]:
        counted = _owned(select(func.count()).select_from(table).where(*where), table, owner)
        count = (await self._session.execute(counted)).scalar_one()
        stmt = _owned(select(table).where(*where), table, owner)
        rows = await self._session.execute(stmt.order_by(*order).offset(q.offset).limit(q.limit))
        return count, list(rows.all())

    async def _upsert(self, table: Any, values: list[dict[str, Any]]) -> None:
        if not values:
            return
        dialect = self._session.get_bind().dialect.name
        stmt = _INSERTS[dialect](table)
        changing = [k for k in values[0] if k not in ("account_id", "google_id")]
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.account_id, table.c.google_id],
            set_={k: stmt.excluded[k] for k in changing},
        )
        for start in range(0, len(values), 500):  # bounded statement size
            await self._session.execute(stmt, values[start : start + 500])

    async def save_account(self, account: GoogleAccount) -> GoogleAccount:
        values = _account_values(account)
        if account.id == 0:
            result = await self._session.execute(insert(_a).values(values).returning(_a.c.id))
            account.id = result.scalar_one()
        else:
            await self._session.execute(update(_a).where(_a.c.id == account.id).values(values))
        return account

    async def account(self, account_id: int, owner: int | None) -> GoogleAccount | None:
        stmt = select(_a).where(_a.c.id == account_id)
        if owner is not None:
            stmt = stmt.where(_a.c.user_id == owner)
        row = (await self._session.execute(stmt)).first()
        return _account(row) if row is not None else None

    async def account_of(self, user_id: int, email: str) -> GoogleAccount | None:
        stmt = select(_a).where(_a.c.user_id == user_id, _a.c.email == email)
        row = (await self._session.execute(stmt)).first()
        return _account(row) if row is not None else None

    async def accounts(self, query: AccountQuery) -> tuple[int, list[GoogleAccount]]:
        where: list[ColumnElement[bool]] = []
        if query.owner is not None:
            where.append(_a.c.user_id == query.owner)
        if query.user_id is not None:
            where.append(_a.c.user_id == query.user_id)
        if query.email is not None:
            where.append(func.lower(_a.c.email) == query.email.lower())
        if query.is_active is not None:
            where.append(_a.c.is_active == query.is_active)
        counted = select(func.count()).select_from(_a).where(*where)
        count = (await self._session.execute(counted)).scalar_one()
        stmt = select(_a).where(*where).order_by(_a.c.id).offset(query.offset).limit(query.limit)
        rows = await self._session.execute(stmt)
        return count, [_account(row) for row in rows.all()]

    async def active_account_ids(self, owner: int | None) -> list[int]:
        stmt = select(_a.c.id).where(_a.c.is_active.is_(True)).order_by(_a.c.id)
        if owner is not None:
            stmt = stmt.where(_a.c.user_id == owner)
        return list((await self._session.execute(stmt)).scalars().all())

    async def upsert_events(self, events: Sequence[StoredEvent]) -> None:
        await self._upsert(_e, [_event_values(e) for e in events])

    async def remove_events_except(
        self, account_id: int, since: datetime, until: datetime, keep: Collection[str]
    ) -> int:
        in_window = select(_e.c.id, _e.c.google_id).where(
            _e.c.account_id == account_id,
            func.coalesce(_e.c.end_at, _e.c.start_at) > since,
            _e.c.start_at < until,
        )
        rows = (await self._session.execute(in_window)).all()
        gone = [row.id for row in rows if row.google_id not in keep]
        for start in range(0, len(gone), 500):  # bounded statement size
            await self._session.execute(delete(_e).where(_e.c.id.in_(gone[start : start + 500])))
        return len(gone)

    async def remove_files_except(
        self, account_id: int, keep: Collection[str], changed_after: datetime | None
    ) -> int:
        listed = select(_f.c.id, _f.c.google_id).where(_f.c.account_id == account_id)
        if changed_after is not None:
            listed = listed.where(_f.c.modified_time > changed_after)
        rows = (await self._session.execute(listed)).all()
        gone = [row.id for row in rows if row.google_id not in keep]
        for start in range(0, len(gone), 500):  # bounded statement size
            await self._session.execute(delete(_f).where(_f.c.id.in_(gone[start : start + 500])))
        return len(gone)

    async def events(self, query: EventQuery) -> tuple[int, list[StoredEvent]]:
        where: list[ColumnElement[bool]] = []
        if query.account_id is not None:
            where.append(_e.c.account_id == query.account_id)
        if query.starts_from is not None:
            where.append(func.coalesce(_e.c.end_at, _e.c.start_at) > query.starts_from)
        if query.starts_before is not None:
            where.append(_e.c.start_at < query.starts_before)
        if query.search:
            where.append(contains(_e.c.summary, query.search))
        order = (_e.c.start_at.asc().nulls_first(), _e.c.id)
        count, rows = await self._page(_e, where, query.owner, order, query)
        return count, [_event(row) for row in rows]

    async def event(self, event_id: int, owner: int | None) -> StoredEvent | None:
        stmt = _owned(select(_e).where(_e.c.id == event_id), _e, owner)
        row = (await self._session.execute(stmt)).first()
        return _event(row) if row is not None else None

    async def upsert_files(self, files: Sequence[StoredFile]) -> None:
        await self._upsert(_f, [_file_values(f) for f in files])

    async def files(self, query: FileQuery) -> tuple[int, list[StoredFile]]:
        where: list[ColumnElement[bool]] = []
        if query.account_id is not None:
            where.append(_f.c.account_id == query.account_id)
        if query.mime_type is not None:
            where.append(_f.c.mime_type == query.mime_type)
        if query.search:
            where.append(contains(_f.c.name, query.search))
        order = (_f.c.modified_time.desc().nulls_last(), _f.c.id)
        count, rows = await self._page(_f, where, query.owner, order, query)
        return count, [_file(row) for row in rows]

    async def file(self, file_id: int, owner: int | None) -> StoredFile | None:
        stmt = _owned(select(_f).where(_f.c.id == file_id), _f, owner)
        row = (await self._session.execute(stmt)).first()
        return _file(row) if row is not None else None
