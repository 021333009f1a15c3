from __future__ import annotations

from redis.asyncio import Redis

from hrhelper.ports.cache import Cache

__all__ = ["RedisCache"]


class RedisCache(Cache):
    def __init__(self, client: Redis, prefix: str = "hrhelper:cache:") -> None:
        self._client = client
        self._prefix = prefix

    async def get(self, key: str) -> bytes | None:
        value = await self._client.get(self._prefix + key)
        if value is None:
            return None
        return value if isinstance(value, bytes) else str(value).encode()

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        await self._client.set(self._prefix + key, value, ex=ttl_seconds)

    async def delete(self, key: str) -> None:
        await self._client.delete(self._prefix + key)

    async def incr(self, key: str, ttl_seconds: int) -> int:
        async with self._client.pipeline(transaction=True) as pipe:
            _ = pipe.incr(self._prefix + key)  # buffered until execute()
            _ = pipe.expire(self._prefix + key, ttl_seconds, nx=True)
            count, _ = await pipe.execute()
        return int(count)
