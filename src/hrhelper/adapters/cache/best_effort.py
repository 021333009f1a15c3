"""A cache that is only a shortcut: its failures become misses instead of errors."""

from __future__ import annotations

import structlog

from hrhelper.ports.cache import Cache

__all__ = ["BestEffortCache"]

_log = structlog.get_logger(__name__)


class BestEffortCache(Cache):
    """For data that can always be recomputed. Not for rate limits: a limiter that fails open
    would let an attacker through while Redis is down."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    async def get(self, key: str) -> bytes | None:
        try:
            return await self._cache.get(key)
        except Exception as error:  # the cache's own errors differ (redis, OS): all are a miss
            _log.warning("cache_unavailable", operation="get", error=repr(error))
            return None

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        try:
            await self._cache.set(key, value, ttl_seconds)
        except Exception as error:
            _log.warning("cache_unavailable", operation="set", error=repr(error))

    async def delete(self, key: str) -> None:
        try:
            await self._cache.delete(key)
        except Exception as error:
            _log.warning("cache_unavailable", operation="delete", error=repr(error))

    async def incr(self, key: str, ttl_seconds: int) -> int:
        try:
            return await self._cache.incr(key, ttl_seconds)
        except Exception as error:
            _log.warning("cache_unavailable", operation="incr", error=repr(error))
            return 0
