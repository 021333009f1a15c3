"""Time as a dependency, so tests can move it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

__all__ = ["Clock", "Sleeper"]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...


class Sleeper(Protocol):
    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (a test's clock moves its time instead)."""
        ...
