"""A shared key/value cache with expiry (process memory or Redis)."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Cache"]


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def incr(self, key: str, ttl_seconds: int) -> int:
        """Add one atomically and return the new count; the key expires ``ttl_seconds`` after
        its first increment."""
        ...
