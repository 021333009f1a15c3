"""Token stores and refresh locks for Huntflow connections.

``InMemoryTokenStore`` keeps one pair in the process (tests, scripts); ``UserTokenStore`` keeps
a user's pair sealed in the database and takes its refresh lock from ``RedisRefreshLocks``
(workers in several processes) or ``LocalRefreshLocks`` (the embedded mode, one process), so
the same single-use refresh token is never spent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import LockError

from hrhelper.domain.ats.credentials import HOW_TO_CONNECT
from hrhelper.domain.errors import InvalidInput, OutsideServiceUnavailable
from hrhelper.domain.identity.model import HuntflowSystem
from hrhelper.ports.ats import AtsTokens, SealedTokens, TokenStore
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWorkFactory
from hrhelper.ports.security import SecretBox

__all__ = [
    "InMemoryTokenStore",
    "LocalRefreshLocks",
    "RedisRefreshLock",
    "RedisRefreshLocks",
    "RefreshLocks",
    "UserTokenStore",
]

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


class RefreshLocks(Protocol):
    """Refresh locks by name (one name per user and system)."""

    def __call__(self, name: str) -> AbstractAsyncContextManager[None]: ...


class LocalRefreshLocks(RefreshLocks):
    """``asyncio.Lock`` per name: enough when one process talks to Huntflow (embedded mode)."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    def __call__(self, name: str) -> AbstractAsyncContextManager[None]:
        return self._held(self._locks.setdefault(name, asyncio.Lock()))

    @staticmethod
    @asynccontextmanager
    async def _held(lock: asyncio.Lock) -> AsyncIterator[None]:
        async with lock:
            yield


class RedisRefreshLocks(RefreshLocks):
    """A ``RedisRefreshLock`` per name, shared by every process on the same Redis."""

    def __init__(self, client: Redis, *, prefix: str = "hrhelper:huntflow:refresh-lock:") -> None:
        self._client = client
        self._prefix = prefix

    def __call__(self, name: str) -> AbstractAsyncContextManager[None]:
        return RedisRefreshLock(self._client, name, prefix=self._prefix)()


def _mask(secret: str) -> str:
    return "••••" + secret[-4:] if len(secret) >= 8 else "••••"


class UserTokenStore(TokenStore):
    """A user's pair for one system, sealed in the ``huntflow_tokens`` rows of the database.

    ``replace`` runs in its own transaction with the row locked, and stores the new pair only
    if the stored refresh token is still the one that was spent."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        box: SecretBox,
        clock: Clock,
        locks: RefreshLocks,
        user_id: int,
        system: HuntflowSystem,
    ) -> None:
        self._uow_factory = uow_factory
        self._box = box
        self._clock = clock
        self._locks = locks
        self._user_id = user_id
        self._system = system

    async def current(self) -> AtsTokens:
        async with self._uow_factory() as uow:
            found = await uow.huntflow_tokens.of([self._user_id])
        sealed = found.get(self._user_id, {}).get(self._system)
        if sealed is None:
            system = self._system.value
            raise InvalidInput(f"Huntflow ({system}) is not connected. {HOW_TO_CONNECT}")
        return self._open(sealed)

    async def replace(self, old_refresh: str, new: AtsTokens) -> AtsTokens:
        async with self._uow_factory() as uow:
            stored = await uow.huntflow_tokens.locked(self._user_id, self._system)
            if stored is None:
                return new  # the user removed the pair meanwhile: keep it removed
            if self._open(stored).refresh_token != old_refresh:
                return self._open(stored)  # another worker refreshed first: theirs stays
            await uow.huntflow_tokens.put(
                self._user_id,
                self._system,
                SealedTokens(
                    access_token=self._box.seal(new.access_token),
                    access_tail=_mask(new.access_token),
                    refresh_token=self._box.seal(new.refresh_token),
                    access_expires_at=new.access_expires_at,
                    refresh_expires_at=new.refresh_expires_at,
                    updated_at=self._clock.now(),
                ),
            )
            await uow.commit()
        return new

    def lock(self) -> AbstractAsyncContextManager[None]:
        return self._locks(f"user:{self._user_id}:{self._system.value}")

    def _open(self, sealed: SealedTokens) -> AtsTokens:
        refresh = self._box.open(sealed.refresh_token) if sealed.refresh_token else ""
        return AtsTokens(
            access_token=self._box.open(sealed.access_token),
            refresh_token=refresh,
            access_expires_at=sealed.access_expires_at,
            refresh_expires_at=sealed.refresh_expires_at,
        )
