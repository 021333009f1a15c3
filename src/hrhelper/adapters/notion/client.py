"""``PageSource`` over the Notion API with plain httpx.

Per request: ``Authorization: Bearer <token>``, the pinned ``Notion-Version``, explicit
timeouts and a pass through the client-side limiter (about 3 requests/s per token, shared by
every worker through Redis). Every call is a read, so transport errors, 429, 529 and other
5xx are retried with backoff, ``Retry-After`` first; a wait longer than ``max_retry_after_s``
is left to the caller (a job's own, slower retry). Other failures become domain errors (see
``errors.py``). File downloads go to the signed file URL without the token.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import httpx
import structlog
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from hrhelper.adapters.notion import _wire
from hrhelper.adapters.notion.errors import Transient, error_for, unavailable
from hrhelper.adapters.notion.files import fetch_file
from hrhelper.adapters.ratelimit import RequestLimiter
from hrhelper.domain.errors import InvalidInput, OutsideServiceError
from hrhelper.domain.recruiting.notion import notion_id
from hrhelper.ports.notion import (
    PAGE_SIZE_MAX,
    NotionBot,
    NotionFile,
    NotionPage,
    NotionPageBatch,
    NotionSort,
    PageSource,
    SourceFile,
)

__all__ = ["NotionClient", "notion_id"]

_log = structlog.get_logger(__name__)
T = TypeVar("T")
_NO_TEXT = ("child_page", "child_database")  # separate pages: their title only


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a moment without a time zone")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _decoded(read: Callable[[dict[str, Any]], T], body: dict[str, Any], path: str) -> T:
    try:
        return read(body)
    except (KeyError, TypeError, ValueError) as error:
        raise OutsideServiceError(
            f"Notion answered {path} in a shape HR Helper does not know ({type(error).__name__})."
        ) from None


class NotionClient(PageSource):
    """One integration token. ``base_url`` ends with ``/v1``."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        token: str,
        limiter: RequestLimiter,
        *,
        version: str,
        max_retries: int = 4,
        backoff_s: float = 0.5,
        max_backoff_s: float = 8.0,
        max_retry_after_s: float = 30.0,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 30.0,
        download_timeout_s: float = 60.0,
        max_blocks: int = 2000,
        max_depth: int = 6,
    ) -> None:
        if not token.strip() or not version.strip():
            raise ValueError("a Notion token and a Notion-Version are required")
        self._http = http
        self._base = base_url.rstrip("/")
        self._token = token
        self._limit_key = "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]
        self._limiter = limiter
        self._version = version
        self._max_retries = max_retries
        self._max_retry_after_s = max_retry_after_s
        self._backoff = wait_exponential(multiplier=backoff_s, max=max_backoff_s) + wait_random(
            0, backoff_s
        )
        self._timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        self._download_timeout = httpx.Timeout(download_timeout_s, connect=connect_timeout_s)
        self._max_blocks = max_blocks
        self._max_depth = max_depth

    def __repr__(self) -> str:
        return f"NotionClient({self._base!r})"

    # -- PageSource ----------------------------------------------------------------------

    async def whoami(self) -> NotionBot:
        body = await self._call("GET", "/users/me", "The Notion integration")
        return _decoded(_wire.bot, body, "/users/me")

    async def query_pages(
        self,
        database_id: str,
        *,
        edited_on_or_after: datetime | None = None,
        sorts: Sequence[NotionSort] = (),
        cursor: str | None = None,
        page_size: int = PAGE_SIZE_MAX,
    ) -> NotionPageBatch:
        if not 1 <= page_size <= PAGE_SIZE_MAX:
            raise InvalidInput.for_fields({"page_size": ["From 1 to 100."]})
        ident = notion_id(database_id, "database_id")
        body: dict[str, Any] = {"page_size": page_size}
        if cursor:
            body["start_cursor"] = cursor
        if sorts:
            body["sorts"] = [
                {s.kind: s.key, "direction": "descending" if s.descending else "ascending"}
                for s in sorts
            ]
        if edited_on_or_after is not None:
            body["filter"] = {
                "timestamp": "last_edited_time",
                "last_edited_time": {"on_or_after": _utc(edited_on_or_after)},
            }
        what = f"The Notion database {ident}"
        path = f"/databases/{ident}/query"
        return _decoded(_wire.page_batch, await self._call("POST", path, what, body), path)

    async def iter_pages(
        self,
        database_id: str,
        *,
        edited_on_or_after: datetime | None = None,
        sorts: Sequence[NotionSort] = (),
    ) -> AsyncIterator[NotionPage]:
        cursor: str | None = None
        while True:
            batch = await self.query_pages(
                database_id, edited_on_or_after=edited_on_or_after, sorts=sorts, cursor=cursor
            )
            for page in batch.pages:
                yield page
            if batch.next_cursor is None or batch.next_cursor == cursor:
                return
            cursor = batch.next_cursor

    async def page(self, page_id: str) -> NotionPage:
        ident = notion_id(page_id, "page_id")
        path = f"/pages/{ident}"
        return _decoded(_wire.page, await self._call("GET", path, f"The Notion page {ident}"), path)

    async def page_text(self, page_id: str) -> str:
        lines: list[str] = []
        budget = [self._max_blocks]
        await self._collect(notion_id(page_id, "page_id"), 0, lines, budget)
        if budget[0] <= 0:
            _log.warning("notion_page_text_truncated", max_blocks=self._max_blocks)
        return "\n".join(lines)

    async def download(self, file: NotionFile, *, max_bytes: int) -> SourceFile:
        return await fetch_file(
            self._http, file, max_bytes=max_bytes, limits=self._download_timeout
        )

    # -- blocks --------------------------------------------------------------------------

    async def _collect(
        self, block_id: str, depth: int, lines: list[str], budget: list[int]
    ) -> None:
        number = 0
        async for block in self._children(block_id):
            if budget[0] <= 0:
                return
            budget[0] -= 1
            kind = str(block.get("type") or "")
            number = number + 1 if kind == "numbered_list_item" else 0
            line = _wire.block_line(block, number)
            if line:
                lines.append("  " * depth + line)
            nested = block.get("has_children") and kind not in _NO_TEXT
            if nested and depth + 1 < self._max_depth and isinstance(block.get("id"), str):
                await self._collect(block["id"], depth + 1, lines, budget)

    async def _children(self, block_id: str) -> AsyncIterator[dict[str, Any]]:
        params: dict[str, Any] = {"page_size": PAGE_SIZE_MAX}
        path, what = f"/blocks/{block_id}/children", f"The Notion page or block {block_id}"
        while True:
            body = await self._call("GET", path, what, params=params)
            for block in body.get("results") or []:
                if isinstance(block, dict):
                    yield block
            cursor = body.get("next_cursor")
            if not body.get("has_more") or not isinstance(cursor, str) or not cursor:
                return
            params = {"page_size": PAGE_SIZE_MAX, "start_cursor": cursor}

    # -- plumbing ------------------------------------------------------------------------

    async def _call(
        self, method: str, path: str, what: str, json: Any = None, params: Any = None
    ) -> dict[str, Any]:
        try:
            response: httpx.Response = await self._retrying(method, path)(
                self._send, method, path, json, params
            )
        except Transient as failure:
            raise unavailable(failure) from None
        if not response.is_success:
            raise error_for(response, what, self._token)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise OutsideServiceError(f"Notion answered {path} with something other than JSON.")
        return body

    def _retrying(self, method: str, path: str) -> AsyncRetrying:
        return AsyncRetrying(
            retry=retry_if_exception(self._worth_retrying),
            stop=stop_after_attempt(self._max_retries + 1),
            wait=self._wait,
            before_sleep=partial(self._log_retry, method, path),
            reraise=True,
        )

    def _worth_retrying(self, error: BaseException) -> bool:
        if not isinstance(error, Transient):
            return False
        return error.retry_after is None or error.retry_after <= self._max_retry_after_s

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, Transient) and error.retry_after is not None:
            return error.retry_after
        return float(self._backoff(state))

    @staticmethod
    def _log_retry(method: str, path: str, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        _log.warning(
            "notion_retry",
            method=method,
            path=path,
            attempt=state.attempt_number,
            reason=str(error),
        )

    async def _send(self, method: str, path: str, json: Any, params: Any) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Notion-Version": self._version,
            "Accept": "application/json",
        }
        await self._limiter.acquire(self._limit_key)
        started = time.perf_counter()
        try:
            response = await self._http.request(
                method,
                self._base + path,
                json=json,
                params=params,
                headers=headers,
                timeout=self._timeout,
            )
        except httpx.TransportError as error:
            _log.warning(
                "notion_transport_error", method=method, path=path, error=type(error).__name__
            )
            raise Transient(error=error) from None
        _log.debug(
            "notion_request",
            method=method,
            path=path,
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000),
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise Transient(response=response)
        return response
