"""ClickUp answers turned into domain errors, with messages a person can act on.

ClickUp's error body is ``{"err": "<text>", "ECODE": "<code>"}``. Messages and details carry
the text and the code, never the token.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable

import httpx

from hrhelper.adapters._remote import out_of_reach
from hrhelper.domain.errors import (
    DomainError,
    NotFound,
    OutsideServiceError,
    OutsideServiceUnavailable,
)

__all__ = ["REISSUE_KEY", "Transient", "error_for", "remote_error", "unavailable", "wait_hint"]

REISSUE_KEY = (
    "Generate a new personal API token in ClickUp (Settings → Apps) and save it in HR Helper."
)

# 401 codes that mean "this token is valid, but not for that workspace"; every other 401
# (OAUTH_017 no header, OAUTH_019/021/025/077 unknown or revoked token ...) is the token itself.
_WORKSPACE_CODES = frozenset(
    {"OAUTH_023", "OAUTH_026", "OAUTH_027"} | {f"OAUTH_0{n}" for n in range(29, 46)}
)


class Transient(Exception):
    """A failure worth another attempt: a transport error, 429 or 5xx."""

    def __init__(
        self,
        *,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            f"HTTP {response.status_code}" if response is not None else type(error).__name__
        )
        self.status = response.status_code if response is not None else None
        self.retry_after = wait_hint(response, clock) if response is not None else None


def wait_hint(response: httpx.Response, clock: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait before the next request: ``Retry-After`` (seconds or an HTTP date), or
    on a 429 ``X-RateLimit-Reset`` (the Unix second the window resets)."""
    retry_after = response.headers.get("retry-after", "").strip()
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                return max(
                    0.0, email.utils.parsedate_to_datetime(retry_after).timestamp() - clock()
                )
            except (TypeError, ValueError):
                pass
    reset = response.headers.get("x-ratelimit-reset", "").strip()
    if response.status_code == 429 and reset:
        try:
            return max(0.0, float(reset) - clock())
        except ValueError:
            return None
    return None


def remote_error(response: httpx.Response) -> tuple[str, str]:
    """ClickUp's ``err`` text and ``ECODE`` code (empty when the body has none)."""
    try:
        body = response.json()
    except ValueError:
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("err") or ""), str(body.get("ECODE") or "")


def unavailable(failure: Transient) -> DomainError:
    """The error for a transient failure we stopped retrying: ``OutsideServiceUnavailable``
    when ClickUp is out of reach (no answer in time, 429, 502/503/504), else (a 500 that
    persists) ``OutsideServiceError``: ClickUp answers, but fails on this request."""
    failing = not out_of_reach(failure.status)
    if failure.status == 429:
        message = "ClickUp keeps rate-limiting requests with this token; try again in a minute."
    elif failing:
        message = f"ClickUp failed on the request (HTTP {failure.status})."
    elif failure.status is not None:
        message = f"ClickUp is unavailable right now (HTTP {failure.status}); try again later."
    else:
        message = "ClickUp cannot be reached or did not answer in time; try again later."
    details: dict[str, object] = {}
    if failure.status is not None:
        details["status"] = failure.status
    if failure.retry_after is not None:
        details["retry_after"] = max(1, round(failure.retry_after))
    if failing:
        return OutsideServiceError(message, details)
    return OutsideServiceUnavailable(message, details)


def error_for(response: httpx.Response, not_found: str) -> DomainError:
    """The domain error for a final, non-transient 4xx answer."""
    status = response.status_code
    text, code = remote_error(response)
    details: dict[str, object] = {"status": status}
    if text:
        details["error"] = text
    if code:
        details["code"] = code
    if status == 401 and code in _WORKSPACE_CODES:
        return OutsideServiceError(
            "The ClickUp API token has no access to this workspace: "
            "choose another team or use a token of a member of it.",
            details,
        )
    if status == 401:
        return OutsideServiceError("ClickUp rejected the API token. " + REISSUE_KEY, details)
    if status == 403:
        return OutsideServiceError("The ClickUp API token may not do this.", details)
    if status == 404:
        return NotFound(not_found, details)
    reason = text or f"HTTP {status}"
    return OutsideServiceError(f"ClickUp refused the request: {reason}.", details)
