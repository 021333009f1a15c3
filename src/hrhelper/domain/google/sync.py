"""Copying one connected account's calendar and Drive into hrhelper (the background job).

- Events: every single instance in a window of ``past_days`` before and ``future_days``
  after now; files: the newest ``file_limit`` not in the trash. Both are upserted by Google's
  id, so running the job again (retries, redelivery) adds no duplicates; stored events of
  the window that Google no longer lists are removed, and so are stored files that Drive no
  longer lists (deleted or trashed).
- A refreshed access token is stored (sealed) as soon as Google hands it out.
- A refresh token Google no longer accepts makes the account inactive with a message saying
  to connect again; the job then ends without a retry. Other failures are recorded on the
  account and raised (an outage is retried by the queue).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from hrhelper.domain.errors import DomainError
from hrhelper.domain.google.model import GoogleAccount, StoredEvent, StoredFile
from hrhelper.ports.clock import Clock
from hrhelper.ports.google import (
    CalendarEvent,
    DriveFile,
    GoogleAccess,
    GoogleAccessRevoked,
    GoogleTokens,
    GoogleWorkspace,
)
from hrhelper.ports.google_store import GoogleStore
from hrhelper.ports.persistence import UnitOfWorkFactory
from hrhelper.ports.security import SecretBox

__all__ = ["AccessFactory", "GoogleSync"]

AccessFactory = Callable[[GoogleTokens, Callable[[GoogleTokens], Awaitable[None]]], GoogleAccess]
"""Makes a ``GoogleAccess`` over stored tokens that calls back with refreshed ones."""

REVOKED = (
    "Google no longer accepts this account's access (it was revoked or has expired). "
    "Connect the Google account again with GET /api/v1/google-oauth/authorize/."
)


class GoogleSync:
    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        workspace: GoogleWorkspace,
        access: AccessFactory,
        box: SecretBox,
        clock: Clock,
        past_days: int = 30,
        future_days: int = 90,
        file_limit: int = 1000,
    ) -> None:
        self._uow = uow_factory
        self._workspace = workspace
        self._access = access
        self._box = box
        self._clock = clock
        self._past = timedelta(days=past_days)
        self._future = timedelta(days=future_days)
        self._file_limit = file_limit

    async def sync(self, account_id: int, *, calendar: bool, drive: bool) -> str:
        async with self._uow() as uow:
            account = await uow.google.account(account_id, None)
        if account is None or not account.is_active:
            return f"skipped: account {account_id} is gone or inactive"
        access = self._access(self._opened(account), lambda t: self._keep(account_id, t))
        now = self._clock.now()
        try:
            events = (
                await self._workspace.calendar_events(access, now - self._past, now + self._future)
                if calendar
                else []
            )
            files = (
                await self._workspace.drive_files(access, limit=self._file_limit) if drive else []
            )
        except GoogleAccessRevoked:
            await self._record(account_id, error=REVOKED, active=False)
            return REVOKED
        except DomainError as error:
            await self._record(account_id, error=error.message, active=True)
            raise
        async with self._uow() as uow:
            await uow.google.upsert_events([_event(account_id, e, now) for e in events])
            if calendar:
                since, until = now - self._past, now + self._future
                await uow.google.remove_events_except(
                    account_id, since, until, {e.id for e in events}
                )
            await uow.google.upsert_files([_file(account_id, f, now) for f in files])
            if drive:
                await self._forget_unlisted_files(uow.google, account_id, files)
            await uow.commit()
        await self._record(account_id, error=None, active=True, synced=True)
        return f"account {account_id}: {len(events)} events, {len(files)} files"

    async def _forget_unlisted_files(
        self, store: GoogleStore, account_id: int, files: list[DriveFile]
    ) -> None:
        """Drive lists the newest files first, trash excluded. A listing shorter than the limit
        is complete: every stored file it lacks is gone. A cut listing only speaks for files
        changed after the oldest it holds."""
        if len(files) < self._file_limit:
            await store.remove_files_except(account_id, {f.id for f in files}, None)
            return
        oldest = min((f.modified_time for f in files if f.modified_time), default=None)
        if oldest is not None:
            await store.remove_files_except(account_id, {f.id for f in files}, oldest)

    def _opened(self, account: GoogleAccount) -> GoogleTokens:
        return GoogleTokens(
            access_token=self._box.open(account.access_token),
            refresh_token=self._box.open(account.refresh_token) if account.refresh_token else None,
            expires_at=account.expires_at,
            scopes=account.scopes,
            email=account.email,
            subject=account.subject,
        )

    async def _keep(self, account_id: int, tokens: GoogleTokens) -> None:
        async with self._uow() as uow:
            account = await uow.google.account(account_id, None)
            if account is None:
                return
            refresh = tokens.refresh_token
            await uow.google.save_account(
                replace(
                    account,
                    access_token=self._box.seal(tokens.access_token),
                    refresh_token=self._box.seal(refresh) if refresh else account.refresh_token,
                    expires_at=tokens.expires_at,
                    scopes=tokens.scopes or account.scopes,
                    updated_at=self._clock.now(),
                )
            )
            await uow.commit()

    async def _record(
        self, account_id: int, *, error: str | None, active: bool, synced: bool = False
    ) -> None:
        async with self._uow() as uow:
            account = await uow.google.account(account_id, None)
            if account is None:
                return
            now = self._clock.now()
            await uow.google.save_account(
                replace(
                    account,
                    error=error,
                    is_active=active,
                    updated_at=now,
                    last_sync_at=now if synced else account.last_sync_at,
                )
            )
            await uow.commit()


def _event(account_id: int, event: CalendarEvent, now: datetime) -> StoredEvent:
    return StoredEvent(
        account_id=account_id,
        google_id=event.id,
        summary=event.summary,
        start=event.start,
        end=event.end,
        all_day=event.all_day,
        description=event.description,
        location=event.location,
        status=event.status,
        html_link=event.html_link,
        meet_link=event.meet_link,
        organizer_email=event.organizer_email,
        attendees=tuple(
            {
                "email": a.email,
                "display_name": a.display_name,
                "response_status": a.response_status,
            }
            for a in event.attendees
        ),
        updated=event.updated,
        synced_at=now,
    )


def _file(account_id: int, file: DriveFile, now: datetime) -> StoredFile:
    return StoredFile(
        account_id=account_id,
        google_id=file.id,
        name=file.name,
        mime_type=file.mime_type,
        size=file.size,
        created_time=file.created_time,
        modified_time=file.modified_time,
        web_view_link=file.web_view_link,
        owners=file.owners,
        synced_at=now,
    )
