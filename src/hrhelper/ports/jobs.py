"""Background jobs: long or retryable work that runs in the worker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

__all__ = ["JobQueue", "JobRef"]

JobRef = str
"""An opaque id of an enqueued job."""


class JobQueue(Protocol):
    async def enqueue(
        self, job: str, payload: Mapping[str, object], *, delay_ms: int = 0
    ) -> JobRef:
        """Queue the named job with a JSON-safe payload. Jobs must be idempotent: a job may run
        more than once (retries, redelivery after a crash)."""
        ...
