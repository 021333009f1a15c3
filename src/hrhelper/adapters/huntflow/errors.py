"""Huntflow answers turned into domain errors, with messages a person can act on.

Messages never carry tokens or request bodies; the remote error titles go into the message
and the remote ``errors[]`` (type, title, location) into ``details``.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx

from hrhelper.adapters._remote import out_of_reach
from hrhelper.domain.errors import (
    DomainError,
    NotFound,
    OutsideServiceError,
    OutsideServiceUnavailable,
)

__all__ = [
    "REISSUE_TOKENS",
    "Transient",
    "error_for",
    "remote_errors",
    "retry_after_seconds",
    "unavailable",
]

REISSUE_TOKENS = "Issue a new token pair in Huntflow (Settings → API) and save it in HR Helper."


class Transient(Exception):
    """A failure worth another attempt: a transport error, 429 or 5xx.

    ``unprocessed`` means Huntflow surely did not act on the request (429, or the connection
    never opened), so even a non-idempotent call may be sent again.
    """

    def __init__(
        self,
        *,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
    ) -> None:
        super().__init__(
            f"HTTP {response.status_code}" if response is not None else type(error).__name__
        )
        self.response = response
        self.error = error
        self.status = response.status_code if response is not None else None
        self.retry_after = retry_after_seconds(response) if response is not None else None
        self.unprocessed = self.status == 429 or isinstance(
            error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
        )


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The ``Retry-After`` hint in seconds (a number or an HTTP date), if any."""
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


def remote_errors(response: httpx.Response) -> list[dict[str, Any]]:
    """The ``errors[]`` of a Huntflow error body, reduced to type/title/detail/location."""
    try:
        body = response.json()
    except ValueError:
        return []
    items = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return []
    keep = ("type", "title", "detail", "location")
    return [{k: item[k] for k in keep if k in item} for item in items if isinstance(item, dict)]


def _titles(errors: list[dict[str, Any]]) -> str:
    parts = []
    for item in errors:
        title = str(item.get("title") or item.get("type") or "error")
        variable = (
            (item.get("location") or {}).get("variable")
            if isinstance(item.get("location"), dict)
            else None
        )
        parts.append(f"{title} ({variable})" if variable else title)
    return "; ".join(parts) or "no reason given"


def unavailable(failure: Transient, *, may_be_applied: bool) -> DomainError:
    """The error for a transient failure we stopped retrying: ``OutsideServiceUnavailable``
    when Huntflow is out of reach (no answer in time, 429, 502/503/504), else (a 500 that
    persists) ``OutsideServiceError``: Huntflow answers, but fails on this request."""
    failing = not out_of_reach(failure.status)
    if failure.status == 429:
        message = "Huntflow keeps rate-limiting requests; try again in a minute."
    elif failing:
        message = f"Huntflow failed on the request (HTTP {failure.status})."
    elif failure.status is not None:
        message = f"Huntflow is unavailable right now (HTTP {failure.status}); try again later."
    else:
        message = "Huntflow cannot be reached or did not answer in time; try again later."
    if may_be_applied and not failure.unprocessed:
        message += " The change may have been applied anyway: look for it before repeating."
    details: dict[str, object] = {}
    if failure.status is not None:
        details["status"] = failure.status
    if failure.retry_after is not None:
        details["retry_after"] = round(failure.retry_after)
    if failing:
        return OutsideServiceError(message, details)
    return OutsideServiceUnavailable(message, details)


def error_for(response: httpx.Response, not_found: str) -> DomainError:
    """The domain error for a final, non-transient 4xx answer."""
    status = response.status_code
    errors = remote_errors(response)
    details: dict[str, object] = {"status": status, "errors": errors}
    if status == 401:
        return OutsideServiceError(
            "Huntflow rejected the access token even after refreshing it. " + REISSUE_TOKENS,
            details,
        )
    if status == 402:
        return OutsideServiceError(
            "The Huntflow organisation must be paid for before its API can be used.", details
        )
    if status == 403:
        return OutsideServiceError(
            "No access to this Huntflow account (or this token may not do that).", details
        )
    if status == 404:
        return NotFound(not_found, details)
    return OutsideServiceError(f"Huntflow refused the request: {_titles(errors)}.", details)
