"""``GoogleWorkspace`` over Calendar v3 (events.list) and Drive v3 (files.list), plain httpx.

- Bearer token from the account's ``GoogleAccess``; a 401 renews it once and repeats the
  request once.
- Every page is followed through ``nextPageToken`` (pages may be short while more remain);
  a page token seen twice ends the listing rather than loop.
- 429, 403 ``rateLimitExceeded``/``userRateLimitExceeded``, 5xx and transport errors are
  retried with backoff (reads only); other refusals become domain errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
import structlog

from hrhelper.adapters._remote import (
    RetryPolicy,
    Transient,
    retry_after_header,
    transport_failure,
    with_retries,
)
from hrhelper.adapters.google import _wire
from hrhelper.domain.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    OutsideServiceError,
    OutsideServiceUnavailable,
)
from hrhelper.ports.google import CalendarEvent, DriveFile, GoogleAccess, GoogleWorkspace

__all__ = ["GoogleWorkspaceClient"]

_log = structlog.get_logger(__name__)
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
_MAX_PAGES = 500


class GoogleWorkspaceClient(GoogleWorkspace):
    """``base_url`` is GOOGLE_API_URL (``https://www.googleapis.com``)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        events_per_page: int = 250,
        files_per_page: int = 1000,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._events_per_page = events_per_page
        self._files_per_page = files_per_page
        self._retry = retry or RetryPolicy()
        self._timeout = timeout or httpx.Timeout(30.0, connect=5.0)

    async def calendar_events(
        self,
        access: GoogleAccess,
        time_min: datetime,
        time_max: datetime,
        *,
        calendar_id: str = "primary",
        query: str | None = None,
    ) -> list[CalendarEvent]:
        path = f"/calendar/v3/calendars/{quote(calendar_id, safe='')}/events"
        params: dict[str, Any] = {
            "timeMin": _wire.rfc3339(time_min),
            "timeMax": _wire.rfc3339(time_max),
            "singleEvents": "true",  # recurring events as their instances
            "orderBy": "startTime",  # allowed only with singleEvents
            "maxResults": self._events_per_page,
        }
        if query:
            params["q"] = query
        items = await self._all_pages(access, path, params, "items", "Google calendar")
        return [_wire.event(item) for item in items]

    async def drive_files(
        self,
        access: GoogleAccess,
        *,
        name_contains: str | None = None,
        mime_type: str | None = None,
        limit: int = 10_000,
    ) -> list[DriveFile]:
        clauses = ["trashed = false"]
        if name_contains:
            clauses.append(f"name contains '{_quoted(name_contains)}'")
        if mime_type:
            clauses.append(f"mimeType = '{_quoted(mime_type)}'")
        params: dict[str, Any] = {
            "q": " and ".join(clauses),
            "fields": _wire.DRIVE_FIELDS,
            "pageSize": max(1, min(self._files_per_page, 1000)),
            "orderBy": "modifiedTime desc",
            "spaces": "drive",
        }
        items = await self._all_pages(
            access, "/drive/v3/files", params, "files", "Google Drive", limit=limit
        )
        return [_wire.file(item) for item in items]

    # -- plumbing ------------------------------------------------------------------------

    async def _all_pages(
        self,
        access: GoogleAccess,
        path: str,
        params: dict[str, Any],
        key: str,
        what: str,
        *,
        limit: int | None = None,
    ) -> list[Mapping[str, Any]]:
        found: list[Mapping[str, Any]] = []
        seen_tokens: set[str] = set()
        page_params = dict(params)
        for _ in range(_MAX_PAGES):
            body = await self._get(access, path, page_params, what)
            items = body.get(key)
            found.extend(i for i in items or [] if isinstance(i, Mapping) and i.get("id"))
            token = body.get("nextPageToken")
            if not token or token in seen_tokens or (limit is not None and len(found) >= limit):
                break
            seen_tokens.add(str(token))
            page_params = {**params, "pageToken": token}
        return found[:limit] if limit is not None else found

    async def _get(
        self, access: GoogleAccess, path: str, params: dict[str, Any], what: str
    ) -> Mapping[str, Any]:
        token = await access.access_token()
        response = await self._read(path, params, token)
        if response.status_code == 401:
            _log.info("google_access_renewed", path=path)
            token = await access.renew(token)
            response = await self._read(path, params, token)
        body = _json(response)
        if response.is_success:
            return body
        raise _refusal(response.status_code, body, what)

    async def _read(self, path: str, params: dict[str, Any], token: str) -> httpx.Response:
        try:
            return await with_retries(
                lambda: self._send(path, params, token),
                self._retry,
                idempotent=True,
                event="google_api_retry",
                path=path,
            )
        except Transient as failure:
            raise _unavailable(failure) from None

    async def _send(self, path: str, params: dict[str, Any], token: str) -> httpx.Response:
        try:
            response = await self._http.get(
                self._base + path,
                params=params,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                timeout=self._timeout,
            )
        except httpx.TransportError as error:
            raise transport_failure(error) from None
        _log.debug("google_api_request", path=path, status=response.status_code)
        status = response.status_code
        reason = _reason(_json(response)) if status in (403, 429) else None
        if status == 429 or status >= 500 or (status == 403 and reason in _RATE_REASONS):
            raise Transient(
                f"HTTP {status} {reason or ''}".strip(),
                status=status,
                retry_after=retry_after_header(response),
            )
        return response


def _quoted(value: str) -> str:
    """A string literal of Drive's query language (inside single quotes)."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _json(response: httpx.Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, Mapping) else {}


def _reason(body: Mapping[str, Any]) -> str | None:
    error = body.get("error")
    errors = error.get("errors") if isinstance(error, Mapping) else None
    for item in errors if isinstance(errors, list) else []:
        if isinstance(item, Mapping) and item.get("reason"):
            return str(item["reason"])
    return None


def _refusal(status: int, body: Mapping[str, Any], what: str) -> DomainError:
    error = body.get("error")
    message = str(error.get("message")) if isinstance(error, Mapping) else f"HTTP {status}"
    details: dict[str, object] = {"status": status, "reason": _reason(body)}
    if status == 401:
        return OutsideServiceError(
            f"{what} rejected the access token even after refreshing it. Connect the Google "
            "account again.",
            details,
        )
    if status == 403:
        return OutsideServiceError(
            f"No permission for {what} ({message}). Connect the Google account again and "
            "allow read access to Calendar and Drive.",
            details,
        )
    if status == 404:
        return NotFound(f"{what} not found: {message}", details)
    if status == 400:
        return InvalidInput(f"{what} refused the request: {message}", details)
    return OutsideServiceError(f"{what} refused the request: {message}", details)


def _unavailable(failure: Transient) -> OutsideServiceUnavailable:
    if failure.status is not None:
        return OutsideServiceUnavailable(
            f"Google is unavailable or rate-limiting (HTTP {failure.status}); try again later.",
            {"status": failure.status},
        )
    return OutsideServiceUnavailable(f"Google {failure.reason}; try again later.")
