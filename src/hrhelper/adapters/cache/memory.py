from __future__ import annotations

import time

from hrhelper.ports.cache import Cache

__all__ = ["MemoryCache"]


class MemoryCache(Cache):
    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[float, bytes]] = {}
        self._max_entries = max_entries

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            self._entries.pop(key, None)
            return None
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        if len(self._entries) >= self._max_entries:
            self._evict()
        self._entries[key] = (time.monotonic() + ttl_seconds, value)

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def incr(self, key: str, ttl_seconds: int) -> int:
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            await self.set(key, b"1", ttl_seconds)
            return 1
        count = int(entry[1]) + 1
        self._entries[key] = (entry[0], str(count).encode())
        return count

    def _evict(self) -> None:
        now = time.monotonic()
        for key in [k for k, (expires, _) in self._entries.items() if expires < now]:
            del self._entries[key]
        while len(self._entries) >= self._max_entries:
            self._entries.pop(next(iter(self._entries)))
