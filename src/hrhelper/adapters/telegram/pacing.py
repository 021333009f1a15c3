"""Client-side pacing of sends, after Telegram's published guidance: about 1 message a second
in one chat, 20 a minute in one group, 30 a second overall. Exceeding them brings 429s and,
if ignored, a temporary ban of the bot. ``SendPacer`` counts in one process (the embedded
mode); ``SharedSendPacer`` counts in Redis for every process that sends for the bot."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Protocol

from redis.asyncio import Redis

from hrhelper.adapters.ratelimit import RedisRequestLimiter

__all__ = ["Pacer", "SendPacer", "SharedSendPacer"]


class Pacer(Protocol):
    async def acquire(self, chat: str, *, group: bool) -> None:
        """Return when one more message to ``chat`` fits every limit (and count it)."""
        ...


class SendPacer(Pacer):
    def __init__(
        self,
        *,
        per_second: int = 30,
        chat_interval_s: float = 1.0,
        group_per_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._per_second = per_second
        self._chat_interval_s = chat_interval_s
        self._group_per_minute = group_per_minute
        self._clock = clock
        self._sleep = sleep
        self._overall: deque[float] = deque()
        self._last_in_chat: dict[str, float] = {}
        self._in_group: defaultdict[str, deque[float]] = defaultdict(deque)

    async def acquire(self, chat: str, *, group: bool) -> None:
        """Return when one more message to ``chat`` fits every limit (and count it)."""
        while True:
            now = self._clock()
            wait = self._wait(chat, group, now)
            if wait <= 0:
                # no await between the check and the count: atomic on the event loop
                self._overall.append(now)
                self._last_in_chat[chat] = now
                if group:
                    self._in_group[chat].append(now)
                return
            await self._sleep(wait)

    def _wait(self, chat: str, group: bool, now: float) -> float:
        waits = [0.0]
        _forget(self._overall, now - 1.0)
        if len(self._overall) >= self._per_second:
            waits.append(self._overall[-self._per_second] + 1.0 - now)
        last = self._last_in_chat.get(chat)
        if last is not None:
            waits.append(last + self._chat_interval_s - now)
        if group:
            recent = self._in_group[chat]
            _forget(recent, now - 60.0)
            if len(recent) >= self._group_per_minute:
                waits.append(recent[-self._group_per_minute] + 60.0 - now)
        return max(waits)


def _forget(times: deque[float], before: float) -> None:
    while times and times[0] <= before:
        times.popleft()


class SharedSendPacer(Pacer):
    """The same limits, counted in Redis so that every API process and worker sending for one
    bot shares them (sliding windows on Redis's clock). A message waits for its chat, then its
    group, then the bot's overall budget; a slot taken while waiting on a later limit is simply
    spent, which only ever errs on the slow side."""

    def __init__(
        self,
        client: Redis,
        *,
        per_second: int = 30,
        group_per_minute: int = 20,
        prefix: str = "hrhelper:telegram:pace:",
    ) -> None:
        self._chat = RedisRequestLimiter(client, 1, 1.0, prefix=prefix + "chat:")
        self._group = RedisRequestLimiter(client, group_per_minute, 60.0, prefix=prefix + "group:")
        self._overall = RedisRequestLimiter(client, per_second, 1.0, prefix=prefix)

    async def acquire(self, chat: str, *, group: bool) -> None:
        await self._chat.acquire(chat)
        if group:
            await self._group.acquire(chat)
        await self._overall.acquire("all")
