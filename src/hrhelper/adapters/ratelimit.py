"""Client-side request pacing for outside services, shared by their adapters.

Every limiter waits (``asyncio.sleep``) instead of failing. Keys are opaque: a client passes a
hash of its token, never the token itself.

- ``TokenBucketLimiter`` — in-process, an average rate with bursts (suits per-second limits);
- ``SlidingWindowLimiter`` — in-process, at most ``limit`` per window (suits per-minute limits,
  where a bucket would let a burst plus a full window's worth through);
- ``RedisRequestLimiter`` — the same sliding window on Redis, shared by every worker.

The in-process ones are only valid when one process talks to the service with a given token
(tests, the embedded mode); workers share ``RedisRequestLimiter``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol

from redis.asyncio import Redis

__all__ = [
    "RedisRequestLimiter",
    "RequestLimiter",
    "SlidingWindowLimiter",
    "TokenBucketLimiter",
]


class RequestLimiter(Protocol):
    async def acquire(self, key: str) -> None:
        """Return when one more request under ``key`` fits the limit."""
        ...


class TokenBucketLimiter(RequestLimiter):
    """In-process token bucket per key: ``rate`` requests/s on average, bursts of ``burst``."""

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self._rate = rate
        self._burst = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    async def acquire(self, key: str) -> None:
        while True:
            now = self._clock()
            tokens, at = self._buckets.get(key, (self._burst, now))
            tokens = min(self._burst, tokens + (now - at) * self._rate)
            if tokens >= 1.0:
                # no await between the check and the take: atomic on the event loop
                self._buckets[key] = (tokens - 1.0, now)
                return
            self._buckets[key] = (tokens, now)
            await self._sleep((1.0 - tokens) / self._rate)


class SlidingWindowLimiter(RequestLimiter):
    """In-process: no ``window_s`` ever holds more than ``limit`` grants per key."""

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be at least 1 and window_s positive")
        self._limit = limit
        self._window_s = window_s
        self._clock = clock
        self._sleep = sleep
        self._grants: dict[str, deque[float]] = {}

    async def acquire(self, key: str) -> None:
        grants = self._grants.setdefault(key, deque())
        while True:
            now = self._clock()
            while grants and grants[0] <= now - self._window_s:
                grants.popleft()
            if len(grants) < self._limit:
                grants.append(now)  # no await since the check: atomic on the event loop
                return
            await self._sleep(grants[0] + self._window_s - now)


# A sliding-window log in one atomic script, on Redis's own clock (workers' clocks may
# differ): no window of ``window_us`` ever holds more than ``limit`` grants. Answers 0 when
# granted, else the microseconds until the oldest grant leaves the window.
_SLIDING_WINDOW = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window_us = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window_us)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, math.ceil(window_us / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return math.max(1, math.ceil(tonumber(oldest[2]) + window_us - now))
"""


class RedisRequestLimiter(RequestLimiter):
    """At most ``limit`` requests per ``window_s`` per key, shared by every process that uses
    the same Redis (a sliding window, so no burst straddles two fixed windows). ``prefix``
    names the service, so that two services' limits never share a key."""

    def __init__(self, client: Redis, limit: int, window_s: float, *, prefix: str) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be at least 1 and window_s positive")
        self._script = client.register_script(_SLIDING_WINDOW)
        self._limit = limit
        self._window_us = int(window_s * 1_000_000)
        self._prefix = prefix

    async def acquire(self, key: str) -> None:
        while True:
            wait_us = await self._script(
                keys=[self._prefix + key],
                args=[self._limit, self._window_us, uuid.uuid4().hex],
            )
            if int(wait_us) <= 0:
                return
            await asyncio.sleep(int(wait_us) / 1_000_000)
