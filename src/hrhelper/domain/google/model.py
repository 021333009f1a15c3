"""Connected Google accounts and the calendar events and Drive files stored per account.

Tokens are held sealed (SecretBox ciphertexts); nothing here ever holds them in clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "AccountQuery",
    "EventQuery",
    "FileQuery",
    "GoogleAccount",
    "StoredEvent",
    "StoredFile",
]


@dataclass
class GoogleAccount:
    user_id: int
    email: str
    subject: str | None
    scopes: tuple[str, ...]
    access_token: str = field(repr=False)
    """Sealed."""
    refresh_token: str | None = field(repr=False)
    """Sealed; None when Google gave none (the account must then be connected again)."""
    expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    is_active: bool = True
    last_sync_at: datetime | None = None
    error: str | None = None
    """Why the last sync failed; None after a good one."""
    id: int = 0


@dataclass(frozen=True)
class StoredEvent:
    account_id: int
    google_id: str
    summary: str
    start: datetime | None
    end: datetime | None
    all_day: bool = False
    description: str | None = None
    location: str | None = None
    status: str = "confirmed"
    html_link: str | None = None
    meet_link: str | None = None
    organizer_email: str | None = None
    attendees: tuple[dict[str, Any], ...] = ()
    """``{email, display_name, response_status}`` per attendee."""
    updated: datetime | None = None
    synced_at: datetime | None = None
    id: int = 0


@dataclass(frozen=True)
class StoredFile:
    account_id: int
    google_id: str
    name: str
    mime_type: str
    size: int | None = None
    created_time: datetime | None = None
    modified_time: datetime | None = None
    web_view_link: str | None = None
    owners: tuple[str, ...] = ()
    synced_at: datetime | None = None
    id: int = 0


@dataclass(frozen=True)
class AccountQuery:
    owner: int | None
    """Only this user's accounts (None: everyone's, for admins)."""
    user_id: int | None = None
    email: str | None = None
    is_active: bool | None = None
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class EventQuery:
    owner: int | None
    account_id: int | None = None
    starts_from: datetime | None = None
    """Events that end after this moment (or start after it, when they have no end)."""
    starts_before: datetime | None = None
    search: str = ""
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class FileQuery:
    owner: int | None
    account_id: int | None = None
    search: str = ""
    mime_type: str | None = None
    offset: int = 0
    limit: int = 20
