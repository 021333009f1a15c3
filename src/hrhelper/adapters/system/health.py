"""Health probes: each answers within a short timeout and never raises."""

from __future__ import annotations

import asyncio
import uuid

import structlog
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.ports.cache import Cache
from hrhelper.ports.health import Probe, ProbeState

__all__ = ["CacheProbe", "DatabaseProbe", "DisabledProbe", "RedisProbe"]

_log = structlog.get_logger(__name__)
_TIMEOUT = 3.0


class DatabaseProbe(Probe):
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def check(self) -> ProbeState:
        try:
            async with asyncio.timeout(_TIMEOUT), self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:
            _log.warning("probe_failed", probe="database", error=str(error))
            return "unhealthy"
        return "healthy"


class RedisProbe(Probe):
    def __init__(self, client: Redis) -> None:
        self._client = client

    async def check(self) -> ProbeState:
        try:
            async with asyncio.timeout(_TIMEOUT):
                await self._client.ping()
        except Exception as error:
            _log.warning("probe_failed", probe="redis", error=str(error))
            return "unhealthy"
        return "healthy"


class CacheProbe(Probe):
    """Writes and reads back a short-lived key."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    async def check(self) -> ProbeState:
        key, value = "health:" + uuid.uuid4().hex, b"ok"
        try:
            async with asyncio.timeout(_TIMEOUT):
                await self._cache.set(key, value, ttl_seconds=10)
                seen = await self._cache.get(key)
                await self._cache.delete(key)
        except Exception as error:
            _log.warning("probe_failed", probe="cache", error=str(error))
            return "unhealthy"
        return "healthy" if seen == value else "unhealthy"


class DisabledProbe(Probe):
    async def check(self) -> ProbeState:
        return "disabled"
