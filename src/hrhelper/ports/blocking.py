"""A bounded home for blocking work (hashing, parsing uploads) away from the event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

__all__ = ["BlockingRunner"]

T = TypeVar("T")


class BlockingRunner(Protocol):
    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """Call ``fn(*args)`` in a worker thread and return its result (or raise its error).

        May raise ServiceBusy when too much work is already waiting."""
        ...
