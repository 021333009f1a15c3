"""Pacing for ClickUp: 100 requests per minute per token (the Free, Unlimited and Business
plans; ClickUp answers 429 above it).

Workers share ``shared_limiter`` (a sliding window on Redis); the embedded mode, with one
process, uses ``local_limiter``. Both count per token hash, so two users never slow each other.
"""

from __future__ import annotations

from redis.asyncio import Redis

from hrhelper.adapters.ratelimit import RedisRequestLimiter, SlidingWindowLimiter

__all__ = ["PER_MINUTE", "REDIS_PREFIX", "local_limiter", "shared_limiter"]

PER_MINUTE = 100
REDIS_PREFIX = "hrhelper:clickup:rate:"


def shared_limiter(
    client: Redis, per_minute: int = PER_MINUTE, *, prefix: str = REDIS_PREFIX
) -> RedisRequestLimiter:
    return RedisRequestLimiter(client, per_minute, 60.0, prefix=prefix)


def local_limiter(per_minute: int = PER_MINUTE) -> SlidingWindowLimiter:
    return SlidingWindowLimiter(per_minute, 60.0)
