"""Post-commit callbacks, shared by every unit of work implementation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog

__all__ = ["run_after_commit"]

_log = structlog.get_logger(__name__)


async def run_after_commit(callbacks: list[Callable[[], Awaitable[object]]]) -> None:
    """Run post-commit work; its failure must not turn a committed change into an error
    (the outbox relay and the job sweepers pick up what was not enqueued)."""
    for callback in list(callbacks):
        try:
            await callback()
        except Exception:
            _log.exception("after_commit_failed")
