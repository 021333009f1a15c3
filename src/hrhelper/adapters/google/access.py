"""``GoogleAccess`` over a token pair held in memory: refreshed before it expires and after a
401, once under a lock however many calls ask; ``on_refresh`` lets the owner store the new
pair (encrypted) before it is used."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hrhelper.ports.google import GoogleAccess, GoogleAccessRevoked, GoogleOAuth, GoogleTokens

__all__ = ["RefreshingAccess"]

_MARGIN = timedelta(seconds=60)


class RefreshingAccess(GoogleAccess):
    def __init__(
        self,
        oauth: GoogleOAuth,
        tokens: GoogleTokens,
        *,
        on_refresh: Callable[[GoogleTokens], Awaitable[None]] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._oauth = oauth
        self._tokens = tokens
        self._on_refresh = on_refresh
        self._now = clock or (lambda: datetime.now(UTC))
        self._lock = asyncio.Lock()

    @property
    def tokens(self) -> GoogleTokens:
        return self._tokens

    async def access_token(self) -> str:
        expires = self._tokens.expires_at
        if expires is not None and expires - _MARGIN <= self._now():
            return await self.renew(self._tokens.access_token)
        return self._tokens.access_token

    async def renew(self, rejected: str) -> str:
        async with self._lock:
            if self._tokens.access_token != rejected:
                return self._tokens.access_token  # another call refreshed while we waited
            refresh_token = self._tokens.refresh_token
            if not refresh_token:
                raise GoogleAccessRevoked(
                    "No refresh token is stored for this Google account. Connect the Google "
                    "account again."
                )
            fresh = await self._oauth.refresh(refresh_token)
            if fresh.refresh_token is None:  # Google keeps the old one valid
                fresh = replace(fresh, refresh_token=refresh_token)
            if not fresh.email:
                fresh = replace(fresh, email=self._tokens.email, subject=self._tokens.subject)
            if self._on_refresh is not None:
                await self._on_refresh(fresh)
            self._tokens = fresh
            return fresh.access_token
