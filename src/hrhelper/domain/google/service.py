"""Connecting Google accounts and reading what was synced from them.

- Anyone allowed here connects their own accounts; an admin sees everyone's, others only
  their own (another user's account, event or file is "not found").
- Tokens are sealed before they are stored and never leave this service.
- Sync runs as a background job per account (``GoogleSync``); asking for it checks the
  account and enqueues.
"""

from __future__ import annotations

from dataclasses import replace

from hrhelper.domain.errors import InvalidInput, NotFound
from hrhelper.domain.google.model import (
    AccountQuery,
    EventQuery,
    FileQuery,
    GoogleAccount,
    StoredEvent,
    StoredFile,
)
from hrhelper.domain.google.state import ConnectStates
from hrhelper.domain.identity.model import Role, User
from hrhelper.ports.clock import Clock
from hrhelper.ports.google import GoogleOAuth
from hrhelper.ports.jobs import JobQueue, JobRef
from hrhelper.ports.persistence import UnitOfWorkFactory
from hrhelper.ports.security import SecretBox

__all__ = ["SYNC_GOOGLE_ACCOUNT_JOB", "GoogleService"]

SYNC_GOOGLE_ACCOUNT_JOB = "sync_google_account"
_CONNECT = "Connect one with GET /api/v1/google-oauth/authorize/."


def owner_of(user: User) -> int | None:
    """Whose rows ``user`` may see: None (all) for admins."""
    return None if user.role is Role.ADMIN else user.pk


class GoogleService:
    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        oauth: GoogleOAuth,
        box: SecretBox,
        jobs: JobQueue,
        clock: Clock,
        states: ConnectStates,
        redirect_uri: str,
    ) -> None:
        self._uow = uow_factory
        self._oauth = oauth
        self._box = box
        self._jobs = jobs
        self._clock = clock
        self._states = states
        self.redirect_uri = redirect_uri

    def authorize(self, user: User) -> tuple[str, str]:
        """The consent URL and the state it carries (bound to ``user``, valid 10 minutes)."""
        state = self._states.make(user.pk, self._clock.now())
        return self._oauth.consent_url(state, self.redirect_uri, login_hint=user.email), state

    async def finish_consent(self, code: str, state: str, error: str | None) -> GoogleAccount:
        """The redirect back from Google: an ``error`` (the person declined) or a code."""
        if error:
            raise InvalidInput(
                f"Google access was not granted ({error}). {_CONNECT}", {"error": [error]}
            )
        if not code or not state:
            raise InvalidInput(
                "The redirect from Google carries no code or state.",
                {name: ["Required."] for name, v in (("code", code), ("state", state)) if not v},
            )
        return await self.connect(code, state)

    async def connect(self, code: str, state: str) -> GoogleAccount:
        """Exchange the consent code and store the account's tokens, sealed. Connecting the
        same Google account again replaces its tokens and makes it active."""
        now = self._clock.now()
        user_id = self._states.check(state, now)
        if user_id is None:
            raise InvalidInput(
                "The Google sign-in link has expired or is not valid. Start again with "
                "GET /api/v1/google-oauth/authorize/.",
                {"state": ["Invalid or expired."]},
            )
        tokens = await self._oauth.exchange_code(code, self.redirect_uri)
        if not tokens.email:
            raise InvalidInput(
                "Google did not share the account's email address; allow it on the consent "
                "screen and connect again.",
                {"scope": ["email is required."]},
            )
        async with self._uow() as uow:
            known = await uow.google.account_of(user_id, tokens.email)
            refresh = self._box.seal(tokens.refresh_token) if tokens.refresh_token else None
            account = GoogleAccount(
                user_id=user_id,
                email=tokens.email,
                subject=tokens.subject,
                scopes=tokens.scopes,
                access_token=self._box.seal(tokens.access_token),
                # without a new refresh token the stored one stays valid
                refresh_token=refresh or (known.refresh_token if known else None),
                expires_at=tokens.expires_at,
                created_at=known.created_at if known else now,
                updated_at=now,
                last_sync_at=known.last_sync_at if known else None,
                id=known.id if known else 0,
            )
            account = await uow.google.save_account(account)
            await uow.commit()
        return account

    async def accounts(self, user: User, query: AccountQuery) -> tuple[int, list[GoogleAccount]]:
        async with self._uow() as uow:
            return await uow.google.accounts(replace(query, owner=owner_of(user)))

    async def account(self, user: User, account_id: int) -> GoogleAccount:
        async with self._uow() as uow:
            found = await uow.google.account(account_id, owner_of(user))
        if found is None:
            raise NotFound("Google account not found.", {"id": account_id})
        return found

    async def events(self, user: User, query: EventQuery) -> tuple[int, list[StoredEvent]]:
        async with self._uow() as uow:
            return await uow.google.events(replace(query, owner=owner_of(user)))

    async def event(self, user: User, event_id: int) -> StoredEvent:
        async with self._uow() as uow:
            found = await uow.google.event(event_id, owner_of(user))
        if found is None:
            raise NotFound("Calendar event not found.", {"id": event_id})
        return found

    async def files(self, user: User, query: FileQuery) -> tuple[int, list[StoredFile]]:
        async with self._uow() as uow:
            return await uow.google.files(replace(query, owner=owner_of(user)))

    async def file(self, user: User, file_id: int) -> StoredFile:
        async with self._uow() as uow:
            found = await uow.google.file(file_id, owner_of(user))
        if found is None:
            raise NotFound("Drive file not found.", {"id": file_id})
        return found

    async def request_sync(
        self, user: User, account_id: int | None, *, calendar: bool, drive: bool
    ) -> list[JobRef]:
        """One job per account: the one named (an admin may name anyone's), else every
        active account of the caller."""
        if not (calendar or drive):
            raise InvalidInput(
                "Nothing to sync: set sync_calendar or sync_drive.",
                {"sync_calendar": ["One of sync_calendar and sync_drive must be true."]},
            )
        async with self._uow() as uow:
            if account_id is not None:
                account = await uow.google.account(account_id, owner_of(user))
                if account is None:
                    raise NotFound("Google account not found.", {"id": account_id})
                if not account.is_active:
                    raise InvalidInput(
                        f"The Google account {account.email} is inactive. "
                        + (account.error or _CONNECT),
                        {"oauth_account_id": ["The account is inactive."]},
                    )
                ids = [account.id]
            else:
                ids = await uow.google.active_account_ids(user.pk)
        if not ids:
            raise InvalidInput(
                f"No active Google account is connected. {_CONNECT}",
                {"oauth_account_id": ["No active Google account."]},
            )
        payload = {"calendar": calendar, "drive": drive}
        return [
            await self._jobs.enqueue(SYNC_GOOGLE_ACCOUNT_JOB, {"account_id": i, **payload})
            for i in ids
        ]
