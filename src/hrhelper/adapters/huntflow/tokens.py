"""Token stores and refresh locks for Huntflow connections.

``InMemoryTokenStore`` keeps one pair in the process (tests, scripts); the production store
keeps it in the database and takes its refresh lock from ``RedisRefreshLock``, so workers in
several processes never spend the same single-use refresh token twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import LockError

from hrhelper.domain.errors import OutsideServiceUnavailable
from hrhelper.ports.ats import AtsTokens, TokenStore

__all__ = ["InMemoryTokenStore", "RedisRefreshLock"]

LockFactory = Callable[[], AbstractAsyncContextManager[None]]


class InMemoryTokenStore(TokenStore):
    """One pair in memory. The lock is an ``asyncio.Lock`` unless ``lock_factory`` gives
    another (e.g. a ``RedisRefreshLock`` when several stores share one pair in tests)."""

    def __init__(self, tokens: AtsTokens, *, lock_factory: LockFactory | None = None) -> None:
        self._tokens = tokens
        self._local = asyncio.Lock()
        self._lock_factory = lock_factory
        self.replacements = 0
        """How many times a refresh was stored (for tests)."""

    async def current(self) -> AtsTokens:
        return self._tokens

    async def replace(self, old_refresh: str, new: AtsTokens) -> AtsTokens:
        if self._tokens.refresh_token == old_refresh:
            self._tokens = new
            self.replacements += 1
        return self._tokens

    def lock(self) -> AbstractAsyncContextManager[None]:
        if self._lock_factory is not None:
            return self._lock_factory()
        return self._locked()

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        async with self._local:
            yield


class RedisRefreshLock:
    """A lock factory over redis.asyncio's ``Lock``, one lock name per connection.

    ``timeout_s`` frees the lock if its holder dies mid-refresh; it must outlast one refresh
    call with its retries. Waiting longer than ``wait_s`` raises OutsideServiceUnavailable.
    """

    def __init__(
        self,
        client: Redis,
        name: str,
        *,
        timeout_s: float = 60.0,
        wait_s: float = 65.0,
        prefix: str = "hrhelper:huntflow:refresh-lock:",
    ) -> None:
        self._client = client
        self._name = prefix + name
        self._timeout_s = timeout_s
        self._wait_s = wait_s

    def __call__(self) -> AbstractAsyncContextManager[None]:
        return self._held()

    @asynccontextmanager
    async def _held(self) -> AsyncIterator[None]:
        lock = self._client.lock(self._name, timeout=self._timeout_s, blocking_timeout=self._wait_s)
        if not await lock.acquire():
            raise OutsideServiceUnavailable(
                "Another worker is refreshing the Huntflow tokens; try again shortly."
            )
        try:
            yield
        finally:
            # LockError: it expired while we held it; the refresh result is stored anyway
            with contextlib.suppress(LockError):
                await lock.release()
