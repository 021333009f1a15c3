"""Bodies of the Google endpoints. Tokens never appear: an account answers whether each one
is set (the spec's model shows them in clear; DESIGN keeps secrets out of answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from hrhelper.domain.google.model import GoogleAccount, StoredEvent, StoredFile

__all__ = [
    "AccountOut",
    "AuthorizeOut",
    "CalendarItemOut",
    "ConnectedOut",
    "EventOut",
    "FileOut",
    "SyncIn",
    "SyncStartedOut",
]


class AuthorizeOut(msgspec.Struct):
    authorization_url: str
    state: str
    redirect_uri: str


class AccountOut(msgspec.Struct):
    id: int
    user: int
    email: str
    scopes: list[str]
    is_active: bool
    has_access_token: bool
    has_refresh_token: bool
    token_expires_at: datetime | None
    last_sync_at: datetime | None
    sync_error: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, a: GoogleAccount) -> AccountOut:
        return cls(
            id=a.id,
            user=a.user_id,
            email=a.email,
            scopes=list(a.scopes),
            is_active=a.is_active,
            has_access_token=bool(a.access_token),
            has_refresh_token=bool(a.refresh_token),
            token_expires_at=a.expires_at,
            last_sync_at=a.last_sync_at,
            sync_error=a.error,
            created_at=a.created_at,
            updated_at=a.updated_at,
        )


class ConnectedOut(msgspec.Struct):
    success: bool
    message: str
    account: AccountOut


class AttendeeOut(msgspec.Struct):
    email: str
    display_name: str | None
    response_status: str | None


class EventOut(msgspec.Struct):
    id: int
    oauth_account: int
    event_id: str
    summary: str
    description: str | None
    location: str | None
    start_time: datetime | None
    end_time: datetime | None
    all_day: bool
    status: str
    html_link: str | None
    meet_link: str | None
    organizer_email: str | None
    attendees: list[AttendeeOut]
    updated: datetime | None
    synced_at: datetime | None

    @classmethod
    def of(cls, e: StoredEvent) -> EventOut:
        return cls(
            id=e.id,
            oauth_account=e.account_id,
            event_id=e.google_id,
            summary=e.summary,
            description=e.description,
            location=e.location,
            start_time=e.start,
            end_time=e.end,
            all_day=e.all_day,
            status=e.status,
            html_link=e.html_link,
            meet_link=e.meet_link,
            organizer_email=e.organizer_email,
            attendees=[
                AttendeeOut(a["email"], a.get("display_name"), a.get("response_status"))
                for a in e.attendees
            ],
            updated=e.updated,
            synced_at=e.synced_at,
        )


def _moment(at: datetime | None, all_day: bool) -> dict[str, str]:
    if at is None:
        return {}
    return {"date": at.date().isoformat()} if all_day else {"dateTime": at.isoformat()}


class CalendarItemOut(msgspec.Struct):
    """The older ``GET /api/google-oauth/calendar/`` item, in Google's own words."""

    id: str
    summary: str
    description: str | None
    start: dict[str, str]
    end: dict[str, str]
    attendees: list[dict[str, Any]]

    @classmethod
    def of(cls, e: StoredEvent) -> CalendarItemOut:
        return cls(
            id=e.google_id,
            summary=e.summary,
            description=e.description,
            start=_moment(e.start, e.all_day),
            end=_moment(e.end, e.all_day),
            attendees=[
                {"email": a["email"], "displayName": a.get("display_name")} for a in e.attendees
            ],
        )


class FileOut(msgspec.Struct):
    id: int
    oauth_account: int
    file_id: str
    name: str
    mime_type: str
    size: int | None
    created_time: datetime | None
    modified_time: datetime | None
    web_view_link: str | None
    owners: list[str]
    synced_at: datetime | None

    @classmethod
    def of(cls, f: StoredFile) -> FileOut:
        return cls(
            id=f.id,
            oauth_account=f.account_id,
            file_id=f.google_id,
            name=f.name,
            mime_type=f.mime_type,
            size=f.size,
            created_time=f.created_time,
            modified_time=f.modified_time,
            web_view_link=f.web_view_link,
            owners=list(f.owners),
            synced_at=f.synced_at,
        )


class SyncIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    sync_calendar: bool = True
    sync_drive: bool = True
    oauth_account_id: int | None = None


class SyncStartedOut(msgspec.Struct):
    success: bool
    message: str
    job_ids: list[str]
