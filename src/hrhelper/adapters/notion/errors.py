"""Notion answers turned into domain errors, with messages a person can act on.

Messages never carry the token; Notion's own ``code`` and ``message`` go into ``details``.
"""

from __future__ import annotations

from typing import Any

import httpx

from hrhelper.adapters._remote import out_of_reach
from hrhelper.domain.errors import (
    DomainError,
    NotFound,
    OutsideServiceError,
    OutsideServiceUnavailable,
)

__all__ = ["REISSUE_ADVICE", "Transient", "error_for", "remote_error", "unavailable"]

REISSUE_ADVICE = (
    "Copy the integration secret again in Notion (Settings → Connections → Develop or manage "
    "integrations) and save it in HR Helper."
)
_THROTTLES = frozenset({429, 529})  # 529: Notion overloaded
_SHARE = "Open it in Notion, choose ••• → Connections and add the integration, or check the id."


class Transient(Exception):
    """A failure worth another attempt: a transport error, 429, 529 or another 5xx."""

    def __init__(
        self,
        *,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
    ) -> None:
        super().__init__(
            f"HTTP {response.status_code}" if response is not None else type(error).__name__
        )
        self.status = response.status_code if response is not None else None
        self.retry_after = retry_after_seconds(response) if response is not None else None


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Notion's ``Retry-After``: whole seconds (fractions tolerated)."""
    try:
        return max(0.0, float(response.headers.get("retry-after", "").strip()))
    except ValueError:
        return None


def remote_error(response: httpx.Response, secret: str) -> dict[str, Any]:
    """``code`` and ``message`` of a Notion error body, with the token blotted out."""
    try:
        body = response.json()
    except ValueError:
        body = None
    found: dict[str, Any] = {"status": response.status_code}
    if isinstance(body, dict):
        for key in ("code", "message", "request_id"):
            if isinstance(body.get(key), str):
                found[key] = body[key].replace(secret, "***") if secret else body[key]
    return found


def unavailable(failure: Transient) -> DomainError:
    """The error for a transient failure we stopped retrying: ``OutsideServiceUnavailable``
    when Notion is out of reach (no answer in time, 429 or 529, 502/503/504), else (a 500
    that persists) ``OutsideServiceError``: Notion answers, but fails on this request."""
    failing = not out_of_reach(failure.status, _THROTTLES)
    if failure.status in _THROTTLES:
        message = "Notion keeps rate-limiting requests; try again in a minute."
    elif failing:
        message = f"Notion failed on the request (HTTP {failure.status})."
    elif failure.status is not None:
        message = f"Notion is unavailable right now (HTTP {failure.status}); try again later."
    else:
        message = "Notion cannot be reached or did not answer in time; try again later."
    details: dict[str, object] = {}
    if failure.status is not None:
        details["status"] = failure.status
    if failure.retry_after is not None:
        details["retry_after"] = round(failure.retry_after)
    if failing:
        return OutsideServiceError(message, details)
    return OutsideServiceUnavailable(message, details)


def error_for(response: httpx.Response, what: str, secret: str) -> DomainError:
    """The domain error for a final 4xx answer about ``what`` ("Notion database 1234…")."""
    details = remote_error(response, secret)
    code = details.get("code")
    if response.status_code == 401:
        return OutsideServiceError(
            "Notion rejected the integration token. " + REISSUE_ADVICE, details
        )
    if response.status_code == 404 or code == "object_not_found":
        return NotFound(
            f"{what} was not found, or it is not shared with the integration. " + _SHARE,
            details,
        )
    if response.status_code == 403:
        return OutsideServiceError(
            "The Notion integration may not read this content: give it the "
            "“Read content” capability in the integration settings.",
            details,
        )
    reason = details.get("message") or code or "no reason given"
    return OutsideServiceError(f"Notion refused the request: {reason}", details)
