from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from hrhelper.ports.clock import Clock, Sleeper

__all__ = ["SystemClock"]


class SystemClock(Clock, Sleeper):
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))
