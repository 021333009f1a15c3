"""The transaction every narrow unit-of-work port shares: nothing is kept until ``commit``;
leaving the ``async with`` block without it rolls back. ``after_commit`` callbacks run only
after a successful commit (to enqueue jobs that must see the committed rows)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Protocol, Self

__all__ = ["Transaction"]


class Transaction(Protocol):
    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    def after_commit(self, callback: Callable[[], Awaitable[object]]) -> None: ...
