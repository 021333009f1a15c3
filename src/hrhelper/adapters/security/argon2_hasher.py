from __future__ import annotations

from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from hrhelper.adapters.security.blocking import BlockingPool
from hrhelper.ports.security import PasswordHasher

__all__ = ["Argon2PasswordHasher"]


class Argon2PasswordHasher(PasswordHasher):
    """argon2id (argon2-cffi defaults, RFC 9106 low-memory profile), off the event loop."""

    def __init__(self, pool: BlockingPool, *, time_cost: int = 3, memory_cost: int = 65536) -> None:
        self._argon2 = Argon2(time_cost=time_cost, memory_cost=memory_cost)
        self._pool = pool
        self._dummy = self._argon2.hash("not-a-real-password-0")

    async def hash(self, password: str) -> str:
        return await self._pool.run(self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self._pool.run(self._verify, password_hash, password)

    async def verify_dummy(self, password: str) -> None:
        await self._pool.run(self._verify, self._dummy, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return bool(self._argon2.verify(password_hash, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
