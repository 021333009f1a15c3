"""Short in-call retries for the HTTP adapters of outside services (Gemini, Google, Telegram).

Each adapter classifies an answer itself and raises ``Transient`` for what is worth another
attempt (a transport error, 429, 5xx); ``with_retries`` repeats the call with exponential
backoff and jitter, or after the server's own wait hint. A non-idempotent call is repeated
only when the service surely did not act on it (``unprocessed``: a 429, or no connection was
made). Longer waits are left to the job queue: a hint above ``max_wait_s`` ends the call.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
import structlog
from tenacity import AsyncRetrying, RetryCallState, wait_exponential_jitter

__all__ = [
    "OUTAGE_STATUSES",
    "RetryPolicy",
    "Transient",
    "out_of_reach",
    "retry_after_header",
    "transport_failure",
    "with_retries",
]

OUTAGE_STATUSES = frozenset({502, 503, 504})
"""5xx answers that say the service (or the way to it) is down for now, whatever was asked:
a bad gateway, unavailable, a gateway timeout. A 500 is the service failing on this request;
when it persists after the retries it is an error of that request, not an outage."""
THROTTLE_STATUSES = frozenset({429})


def out_of_reach(status: int | None, throttles: frozenset[int] = THROTTLE_STATUSES) -> bool:
    """Whether a failure we stopped retrying means the service is out of reach for now (no
    answer at all, a throttle, an outage status) rather than failing on this request."""
    return status is None or status in OUTAGE_STATUSES or status in throttles


T = TypeVar("T")
_log = structlog.get_logger(__name__)


class Transient(Exception):
    """A failure worth another attempt. ``status`` is the HTTP status (None: no answer)."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        unprocessed: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.unprocessed = unprocessed or status == 429


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 3
    """Attempts in all, the first included."""
    backoff_s: float = 0.5
    max_backoff_s: float = 8.0
    max_wait_s: float = 30.0
    """A server wait hint longer than this ends the call at once."""


def transport_failure(error: httpx.TransportError) -> Transient:
    """A transport error as ``Transient``; the message names the error type only (an httpx
    message or request may carry a URL, and some URLs carry secrets)."""
    never_sent = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    timed_out = isinstance(error, httpx.TimeoutException)
    reason = "timed out" if timed_out else "could not be reached"
    return Transient(f"{reason} ({type(error).__name__})", unprocessed=never_sent)


def retry_after_header(response: httpx.Response) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), if any."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


async def with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    idempotent: bool,
    event: str,
    **log_fields: object,
) -> T:
    """``await call()``, repeated on ``Transient`` as the policy allows; the last
    ``Transient`` propagates when retries end."""
    backoff = wait_exponential_jitter(
        multiplier=policy.backoff_s, max=policy.max_backoff_s, jitter=policy.backoff_s
    )

    def failure(state: RetryCallState) -> Transient | None:
        error = state.outcome.exception() if state.outcome is not None else None
        return error if isinstance(error, Transient) else None

    def retry(state: RetryCallState) -> bool:
        error = failure(state)
        return error is not None and (idempotent or error.unprocessed)

    def stop(state: RetryCallState) -> bool:
        error = failure(state)
        too_long = error is not None and (error.retry_after or 0.0) > policy.max_wait_s
        return too_long or state.attempt_number >= policy.attempts

    def wait(state: RetryCallState) -> float:
        error = failure(state)
        if error is not None and error.retry_after is not None:
            return error.retry_after
        return float(backoff(state))

    def before_sleep(state: RetryCallState) -> None:
        error = failure(state)
        _log.warning(
            event,
            attempt=state.attempt_number,
            reason=error.reason if error else "unknown",
            wait_s=round(state.upcoming_sleep, 2),
            **log_fields,
        )

    retrying = AsyncRetrying(
        retry=retry, stop=stop, wait=wait, before_sleep=before_sleep, reraise=True
    )
    async for attempt in retrying:
        with attempt:
            return await call()
    raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover
