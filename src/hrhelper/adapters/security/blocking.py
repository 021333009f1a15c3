"""A bounded home for CPU-heavy calls (argon2, parsing): a dedicated thread pool behind a
semaphore, so a burst of logins cannot starve the event loop or queue without limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from hrhelper.domain.errors import ServiceBusy
from hrhelper.ports.blocking import BlockingRunner

__all__ = ["BlockingPool"]

T = TypeVar("T")


class BlockingPool(BlockingRunner):
    def __init__(self, name: str, workers: int, queue_timeout_s: float) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._slots = asyncio.Semaphore(workers * 4)  # a short queue, then ServiceBusy
        self._timeout = queue_timeout_s

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        try:
            await asyncio.wait_for(self._slots.acquire(), self._timeout)
        except TimeoutError as error:
            raise ServiceBusy("The server is busy; try again in a moment.") from error
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)
        finally:
            self._slots.release()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
