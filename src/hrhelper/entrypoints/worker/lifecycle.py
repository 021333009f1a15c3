"""The container's async resources live on the event loop of dramatiq's AsyncIO middleware."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

import dramatiq
import structlog
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware

from hrhelper.container import Container, close_container

__all__ = ["ContainerLifecycle"]

_log = structlog.get_logger("hrhelper.worker")


class ContainerLifecycle(Middleware):
    """Opens the container's resources when the worker has booted, closes them when it stopped.

    Async actors run on the AsyncIO middleware's loop, and the engine pool and the Redis client
    belong to the loop that first used them, so opening and closing run on that loop too
    (STYLE D1). Add this middleware *after* AsyncIO (``add_middleware(..., after=AsyncIO)``):

    - ``after_worker_boot`` then runs once AsyncIO's ``before_worker_boot`` started the loop;
    - ``after_worker_shutdown`` runs before AsyncIO's (dramatiq calls "after" hooks in reverse
      order), so the loop is still running, and after ``Worker.stop`` joined every worker
      thread. ``before_worker_shutdown`` would be too early: it fires before the running jobs
      finish, and would close the pool under them.
    """

    def __init__(self, container: Container) -> None:
        self._container = container

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        _run_on_loop(self._open())
        _log.info("worker_resources_opened")

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        _run_on_loop(close_container(self._container))
        _log.info("worker_resources_closed")

    async def _open(self) -> None:
        # Engine, Redis and HTTP clients are created lazily, on first use by a job (on this
        # loop). Providers declared as Resource would be initialised here.
        opened = self._container.init_resources()
        if opened is not None:
            await opened


def _run_on_loop(coroutine: Coroutine[Any, Any, None]) -> None:
    loop_thread = get_event_loop_thread()
    if loop_thread is None:
        coroutine.close()
        raise RuntimeError("ContainerLifecycle needs the AsyncIO middleware before it.")
    loop_thread.run_coroutine(coroutine)
