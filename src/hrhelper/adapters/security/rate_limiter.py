from __future__ import annotations

import hashlib
import time

from hrhelper.ports.cache import Cache
from hrhelper.ports.security import RateLimiter

__all__ = ["FixedWindowRateLimiter"]


class FixedWindowRateLimiter(RateLimiter):
    """Counts attempts per key in fixed windows, in the shared cache (Redis when configured,
    so the limit holds across processes)."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    async def hit(self, key: str, limit: int, window_s: int) -> int:
        now = int(time.time())
        window = now // window_s
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # keys may hold addresses
        count = await self._cache.incr(f"ratelimit:{digest}:{window}", ttl_seconds=window_s)
        if count <= limit:
            return 0
        return max(1, (window + 1) * window_s - now)
