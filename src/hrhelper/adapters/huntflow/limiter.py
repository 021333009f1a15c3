"""Client-side request pacing for Huntflow (10 requests/s per token on its side).

The limiters themselves live in ``hrhelper.adapters.ratelimit``; these names keep Huntflow's
defaults. Keys are opaque: the client passes a hash of the access token, never the token.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from hrhelper.adapters import ratelimit
from hrhelper.adapters.ratelimit import RequestLimiter

__all__ = ["RedisRequestLimiter", "RequestLimiter", "TokenBucketLimiter"]

DEFAULT_PER_SECOND = 8
"""Huntflow answers 429 above 10 requests/s; staying at 8 leaves room for clock skew and for
requests that arrive late and land in the same second on its side."""


class TokenBucketLimiter(ratelimit.TokenBucketLimiter):
    """The in-process bucket, at Huntflow's pace unless told otherwise."""

    def __init__(
        self,
        rate: float = DEFAULT_PER_SECOND,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(rate, burst, clock=clock, sleep=sleep)


class RedisRequestLimiter(ratelimit.RedisRequestLimiter):
    """The Redis sliding window shared by workers, at Huntflow's pace unless told otherwise."""

    def __init__(
        self,
        client: Redis,
        limit: int = DEFAULT_PER_SECOND,
        window_s: float = 1.0,
        *,
        prefix: str = "hrhelper:huntflow:rate:",
    ) -> None:
        super().__init__(client, limit, window_s, prefix=prefix)
