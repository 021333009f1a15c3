"""One ``NotionClient`` per user token, all sharing one HTTP pool and one limiter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from redis.asyncio import Redis

from hrhelper.adapters.notion.client import NotionClient
from hrhelper.adapters.ratelimit import (
    RedisRequestLimiter,
    RequestLimiter,
    TokenBucketLimiter,
)
from hrhelper.ports.notion import PageSources

__all__ = ["NOTION_PER_SECOND", "NotionConnector", "notion_limiter"]

NOTION_PER_SECOND = 3
"""Notion's documented average per integration; above it answers 429 ``rate_limited``."""


def notion_limiter(
    redis: Redis | None,
    *,
    per_second: int = NOTION_PER_SECOND,
    prefix: str = "hrhelper:notion:rate:",
) -> RequestLimiter:
    """Pacing per token: shared by every worker through Redis, or in-process when embedded."""
    if redis is None:
        return TokenBucketLimiter(rate=per_second, burst=1)
    return RedisRequestLimiter(redis, limit=per_second, window_s=1.0, prefix=prefix)


class NotionConnector(PageSources):
    """``connect(token)`` → a client for that token; ``client_options`` go to every client."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        limiter: RequestLimiter,
        *,
        version: str,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._http = http
        self._base_url = base_url
        self._limiter = limiter
        self._version = version
        self._options = dict(client_options or {})

    def connect(self, token: str) -> NotionClient:
        return NotionClient(
            self._http,
            self._base_url,
            token,
            self._limiter,
            version=self._version,
            **self._options,
        )
