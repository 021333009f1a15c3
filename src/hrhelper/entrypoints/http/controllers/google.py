"""Google accounts, their synced calendar events and Drive files (HR and admins).

Everyone sees and syncs their own accounts; admins see everyone's. Another user's account,
event or file is a 404."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from hrhelper.domain.google.model import AccountQuery, EventQuery, FileQuery
from hrhelper.domain.google.service import GoogleService
from hrhelper.entrypoints.http.auth import current_user, staff_only
from hrhelper.entrypoints.http.openapi_errors import errors
from hrhelper.entrypoints.http.pagination import Page, PageParams
from hrhelper.entrypoints.http.schemas.google import (
    AccountOut,
    AuthorizeOut,
    CalendarItemOut,
    ConnectedOut,
    EventOut,
    FileOut,
    SyncIn,
    SyncStartedOut,
)

__all__ = ["GoogleCallbackController", "GoogleController", "GoogleLegacyController"]

Google = NamedDependency[GoogleService]
Pages = NamedDependency[PageParams]
Req = Request[Any, Any, Any]
Search = Annotated[str, QueryParameter(max_length=200)]
_LEGACY_LIMIT = 1000
_STARTED = "Синхронизация запущена"


def _day_start(day: date | None, days: int = 0) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=days), time(), tzinfo=UTC)


def _window(start_date: date | None, end_date: date | None) -> tuple[datetime | None, ...]:
    """``end_date`` is inclusive: events starting before the next midnight (UTC)."""
    return _day_start(start_date), _day_start(end_date, 1)


class GoogleController(Controller):
    path = "/api/v1/google-oauth"
    tags = ["Google OAuth"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @get(
        "/authorize/",
        operation_id="google_oauth_authorize",
        responses=errors(502),
    )
    async def authorize(self, request: Req, google: Google) -> AuthorizeOut:
        """The Google consent URL to send the browser to: read-only Calendar and Drive, the
        account's email, offline access. Its ``state`` is signed, bound to the caller and
        valid 10 minutes. Google returns to ``redirect_uri``, which is PUBLIC_URL +
        ``/api/v1/google-oauth/callback/`` (there is no separate setting for it; register it
        with the OAuth client)."""
        url, state = google.authorize(current_user(request))
        return AuthorizeOut(authorization_url=url, state=state, redirect_uri=google.redirect_uri)

    @get("/oauth-accounts/", operation_id="google_oauth_accounts_list")
    async def accounts(
        self,
        request: Req,
        google: Google,
        pages: Pages,
        user: Annotated[int | None, QueryParameter()] = None,
        email: Annotated[str | None, QueryParameter(max_length=320)] = None,
        is_active: Annotated[bool | None, QueryParameter()] = None,
    ) -> Page[AccountOut]:
        """Connected Google accounts (tokens are never shown, only whether they are set)."""
        query = AccountQuery(None, user, email, is_active, pages.offset, pages.limit)
        count, found = await google.accounts(current_user(request), query)
        return Page.build(request, pages, count, [AccountOut.of(a) for a in found])

    @get("/oauth-accounts/{account_id:int}/", operation_id="google_oauth_accounts_detail")
    async def account(self, request: Req, account_id: FromPath[int], google: Google) -> AccountOut:
        """One connected Google account."""
        return AccountOut.of(await google.account(current_user(request), account_id))

    @get("/calendar-events/", operation_id="google_calendar_events_list")
    async def events(
        self,
        request: Req,
        google: Google,
        pages: Pages,
        oauth_account: Annotated[int | None, QueryParameter()] = None,
        start_date: Annotated[date | None, QueryParameter()] = None,
        end_date: Annotated[date | None, QueryParameter()] = None,
        search: Search = "",
    ) -> Page[EventOut]:
        """Synced calendar events by start time; ``search`` looks in the title, the dates
        (UTC, both inclusive) keep events overlapping them."""
        since, until = _window(start_date, end_date)
        query = EventQuery(None, oauth_account, since, until, search, pages.offset, pages.limit)
        count, found = await google.events(current_user(request), query)
        return Page.build(request, pages, count, [EventOut.of(e) for e in found])

    @get("/calendar-events/{event_id:int}/", operation_id="google_calendar_events_detail")
    async def event(self, request: Req, event_id: FromPath[int], google: Google) -> EventOut:
        """One synced calendar event."""
        return EventOut.of(await google.event(current_user(request), event_id))

    @get("/drive-files/", operation_id="google_drive_files_list")
    async def files(
        self,
        request: Req,
        google: Google,
        pages: Pages,
        oauth_account: Annotated[int | None, QueryParameter()] = None,
        search: Search = "",
        mime_type: Annotated[str | None, QueryParameter(max_length=255)] = None,
    ) -> Page[FileOut]:
        """Synced Drive files, newest change first; ``search`` looks in the name."""
        query = FileQuery(None, oauth_account, search, mime_type, pages.offset, pages.limit)
        count, found = await google.files(current_user(request), query)
        return Page.build(request, pages, count, [FileOut.of(f) for f in found])

    @get("/drive-files/{file_id:int}/", operation_id="google_drive_files_detail")
    async def file(self, request: Req, file_id: FromPath[int], google: Google) -> FileOut:
        """One synced Drive file."""
        return FileOut.of(await google.file(current_user(request), file_id))

    @post(
        "/sync/",
        status_code=202,
        operation_id="google_oauth_sync",
        responses=errors(404),
    )
    async def sync(self, request: Req, data: JSONBody[SyncIn], google: Google) -> SyncStartedOut:
        """Start syncing in the background: one job per account, the one named by
        ``oauth_account_id`` or else every active account of the caller. Events are kept
        from 30 days back to 90 days ahead; files up to the newest 1000."""
        jobs = await google.request_sync(
            current_user(request),
            data.oauth_account_id,
            calendar=data.sync_calendar,
            drive=data.sync_drive,
        )
        return SyncStartedOut(success=True, message=_STARTED, job_ids=list(jobs))


class GoogleCallbackController(Controller):
    path = "/api/v1/google-oauth"
    tags = ["Google OAuth"]  # noqa: RUF012 - Litestar reads class attributes

    @get(
        "/callback/",
        operation_id="google_oauth_callback",
        opt={"public": True},
    )
    async def callback(
        self,
        google: Google,
        code: Annotated[str, QueryParameter(min_length=1, max_length=2048)] = "",
        oauth_state: Annotated[str, QueryParameter(name="state", max_length=512)] = "",
        error: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> ConnectedOut:
        """Where Google sends the browser back: the signed ``state`` names the user, the
        code is exchanged for tokens, which are stored encrypted and never returned."""
        account = await google.finish_consent(code, oauth_state, error)
        message = f"Google account {account.email} connected."
        return ConnectedOut(True, message, AccountOut.of(account))


class GoogleLegacyController(Controller):
    path = "/api/google-oauth"
    tags = ["Google OAuth"]  # noqa: RUF012 - Litestar reads class attributes
    guards = [staff_only]  # noqa: RUF012 - Litestar reads class attributes

    @get("/calendar/", operation_id="google_calendar_legacy")
    async def calendar(
        self,
        request: Req,
        google: Google,
        start_date: Annotated[date | None, QueryParameter()] = None,
        end_date: Annotated[date | None, QueryParameter()] = None,
    ) -> list[CalendarItemOut]:
        """Synced events the caller may see (their own; an admin's: everyone's) as a bare
        list in Google's shape, by start time, at most 1000."""
        since, until = _window(start_date, end_date)
        query = EventQuery(None, None, since, until, limit=_LEGACY_LIMIT)
        _count, found = await google.events(current_user(request), query)
        return [CalendarItemOut.of(e) for e in found]

    @post(
        "/sync/",
        status_code=202,
        operation_id="google_sync_legacy",
        responses=errors(400),
    )
    async def sync(self, request: Req, google: Google) -> dict[str, Any]:
        """Start syncing calendar and Drive of every active account of the caller."""
        await google.request_sync(current_user(request), None, calendar=True, drive=True)
        return {"success": True, "message": _STARTED}
