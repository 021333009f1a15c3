"""A person's Google account (OAuth offline access, Calendar, Drive) as the domain sees it.

- ``GoogleOAuth`` builds the consent URL, exchanges the code and refreshes access tokens;
- ``GoogleAccess`` is one connected account's access token, renewed on demand (the caller
  keeps the tokens, encrypted);
- ``GoogleWorkspace`` reads calendar events and Drive files with such an access.

Methods may raise ``GoogleAccessRevoked`` (the person must connect again), ``NotFound``,
``OutsideServiceError`` (Google refused for a reason a person can fix: missing permission,
a misconfigured OAuth client) and ``OutsideServiceUnavailable`` (down, timing out or
rate-limiting after short retries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from hrhelper.domain.errors import OutsideServiceError

__all__ = [
    "CALENDAR_READONLY",
    "DRIVE_READONLY",
    "CalendarAttendee",
    "CalendarEvent",
    "DriveFile",
    "GoogleAccess",
    "GoogleAccessRevoked",
    "GoogleOAuth",
    "GoogleTokens",
    "GoogleWorkspace",
]

CALENDAR_READONLY = "https://www.googleapis.com/auth/calendar.readonly"
DRIVE_READONLY = "https://www.googleapis.com/auth/drive.readonly"


class GoogleAccessRevoked(OutsideServiceError):
    """The refresh token is no longer accepted (revoked, expired or replaced): the account
    must be connected again."""


@dataclass(frozen=True, slots=True)
class GoogleTokens:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    """Given on the first consent (and with ``prompt=consent``); a refresh usually gives
    none, and then the earlier one stays valid."""
    expires_at: datetime | None = None
    scopes: tuple[str, ...] = ()
    """What the person actually granted; may be less than asked."""
    email: str | None = None
    """The account's address, from the ID token when ``openid email`` was granted."""
    subject: str | None = None
    """Google's stable id of the account."""


class GoogleOAuth(Protocol):
    def consent_url(self, state: str, redirect_uri: str, *, login_hint: str | None = None) -> str:
        """Where to send the browser: read-only Calendar and Drive plus the account's email,
        offline access (a refresh token) and a consent prompt; ``state`` comes back to
        ``redirect_uri`` with the code."""
        ...

    async def exchange_code(self, code: str, redirect_uri: str) -> GoogleTokens:
        """Tokens for a code from the consent redirect (single-use). A bad or used code is
        ``InvalidInput``."""
        ...

    async def refresh(self, refresh_token: str) -> GoogleTokens:
        """A new access token; ``GoogleAccessRevoked`` when the refresh token is dead."""
        ...


class GoogleAccess(Protocol):
    """One connected account's access token."""

    async def access_token(self) -> str:
        """A token that is not known to have expired (refreshed first if it has)."""
        ...

    async def renew(self, rejected: str) -> str:
        """Google answered 401 to ``rejected``: a fresh token (refreshed once, even when many
        calls ask at the same time)."""
        ...


@dataclass(frozen=True, slots=True)
class CalendarAttendee:
    email: str
    display_name: str | None = None
    response_status: str | None = None
    """``needsAction``, ``declined``, ``tentative`` or ``accepted``."""
    optional: bool = False
    organizer: bool = False


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    id: str
    """Unique within the calendar; an instance of a recurring event has its own id."""
    summary: str
    start: datetime | None
    end: datetime | None
    """For an all-day event: midnight UTC of the first day and of the day after the last."""
    all_day: bool = False
    description: str | None = None
    location: str | None = None
    status: str = "confirmed"
    html_link: str | None = None
    meet_link: str | None = None
    organizer_email: str | None = None
    attendees: tuple[CalendarAttendee, ...] = ()
    recurring_event_id: str | None = None
    updated: datetime | None = None


@dataclass(frozen=True, slots=True)
class DriveFile:
    id: str
    name: str
    mime_type: str
    size: int | None = None
    """Bytes; None for Google-native documents and folders."""
    created_time: datetime | None = None
    modified_time: datetime | None = None
    web_view_link: str | None = None
    parents: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    """The owners' email addresses."""


class GoogleWorkspace(Protocol):
    async def calendar_events(
        self,
        access: GoogleAccess,
        time_min: datetime,
        time_max: datetime,
        *,
        calendar_id: str = "primary",
        query: str | None = None,
    ) -> list[CalendarEvent]:
        """Every event (recurring ones as single instances) that ends after ``time_min`` and
        starts before ``time_max``, by start time. Both bounds must carry a time zone."""
        ...

    async def drive_files(
        self,
        access: GoogleAccess,
        *,
        name_contains: str | None = None,
        mime_type: str | None = None,
        limit: int = 10_000,
    ) -> list[DriveFile]:
        """Files not in the trash, newest change first, at most ``limit``."""
        ...
