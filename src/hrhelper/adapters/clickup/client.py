"""``TaskSource`` over the ClickUp API v2 with plain httpx.

Per request: ``Authorization: <token>`` (a personal token goes without ``Bearer``), explicit
timeouts and a pass through the client-side limiter (100 requests/min per token, see
``limiter.py``). Failures:

- transport errors, 429 and 5xx: retried with backoff, waiting first as ClickUp says
  (``Retry-After``, or ``X-RateLimit-Reset`` on a 429); every call we make is safe to repeat
  (reads, and adding a tag the task may already have). A wait longer than ``max_wait_s``
  ends the call at once with the wait in the error, for the job to retry later;
- everything else becomes a domain error (see ``errors.py``).

Attachments are fetched from their own URLs without the token: they live on another host and
their URLs already grant access.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from functools import partial
from typing import Any

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

from hrhelper.adapters.clickup import _files, _wire
from hrhelper.adapters.clickup.errors import Transient, error_for, unavailable
from hrhelper.adapters.ratelimit import RequestLimiter
from hrhelper.domain.errors import DomainError, InvalidInput, OutsideServiceError
from hrhelper.ports.clickup import (
    Task,
    TaskAttachment,
    TaskComment,
    TaskFolder,
    TaskList,
    TaskPage,
    TaskQuery,
    TaskSource,
    TaskSpace,
    TaskTeam,
)

__all__ = ["ClickUpClient"]

_log = structlog.get_logger(__name__)

_COMMENTS_PER_PAGE = 25  # ClickUp answers the newest 25, older ones page by page
_MAX_TASK_PAGES = 1000  # 100 000 tasks: beyond that a list is surely answering in circles
_MAX_COMMENT_PAGES = 200
_TEAM = "ClickUp team (workspace) not found, or the token cannot see it."
_SPACE = "ClickUp space not found, or the token cannot see it."
_FOLDER = "ClickUp folder not found, or the token cannot see it."
_LIST = "ClickUp list not found, or the token cannot see it."
_TASK = "ClickUp task not found, or the token cannot see it."


def limit_key(token: str) -> str:
    """The limiter key of a token: a hash, so that the token never reaches Redis."""
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


class ClickUpClient(TaskSource):
    """ClickUp with one user's token. ``base_url`` ends with ``/api/v2``."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        token: str,
        limiter: RequestLimiter,
        *,
        max_retries: int = 3,
        backoff_s: float = 1.0,
        max_wait_s: float = 60.0,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 30.0,
        download_timeout_s: float = 120.0,
        max_download_bytes: int = 50 * 1024 * 1024,
    ) -> None:
        token = token.strip()
        if not token:
            raise InvalidInput.for_fields(
                {"clickup_api_key": ["No ClickUp API token is set."]}, "No ClickUp API token."
            )
        if not token.isascii() or not token.isprintable():
            raise InvalidInput.for_fields(
                {"clickup_api_key": ["The ClickUp API token has characters no token has."]},
                "The ClickUp API token is malformed.",
            )
        self._http = http
        self._base = base_url.rstrip("/")
        self._token = token
        self._key = limit_key(token)
        self._limiter = limiter
        self._max_retries = max_retries
        self._max_wait_s = max_wait_s
        # ~backoff_s, doubling per attempt, plus up to backoff_s of jitter
        self._backoff = wait_exponential(multiplier=backoff_s, max=max_wait_s) + wait_random(
            0, backoff_s
        )
        self._timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        self._download_timeout = httpx.Timeout(download_timeout_s, connect=connect_timeout_s)
        self._max_download_bytes = max_download_bytes

    def __repr__(self) -> str:
        return f"ClickUpClient({self._base!r})"

    # -- the hierarchy -------------------------------------------------------------------

    async def teams(self) -> list[TaskTeam]:
        body = await self._get("/team", _TEAM)
        return [_wire.team(item) for item in _wire.items(body, "teams")]

    async def spaces(self, team_id: str) -> list[TaskSpace]:
        body = await self._get(
            f"/team/{_wire.segment(team_id)}/space", _TEAM, {"archived": "false"}
        )
        return [_wire.space(item) for item in _wire.items(body, "spaces")]

    async def folders(self, space_id: str) -> list[TaskFolder]:
        body = await self._get(
            f"/space/{_wire.segment(space_id)}/folder", _SPACE, {"archived": "false"}
        )
        return [_wire.folder(item) for item in _wire.items(body, "folders")]

    async def lists(self, folder_id: str) -> list[TaskList]:
        body = await self._get(
            f"/folder/{_wire.segment(folder_id)}/list", _FOLDER, {"archived": "false"}
        )
        return [_wire.task_list(item) for item in _wire.items(body, "lists")]

    async def folderless_lists(self, space_id: str) -> list[TaskList]:
        body = await self._get(
            f"/space/{_wire.segment(space_id)}/list", _SPACE, {"archived": "false"}
        )
        return [_wire.task_list(item) for item in _wire.items(body, "lists")]

    # -- tasks ---------------------------------------------------------------------------

    async def task_page(self, list_id: str, page: int, query: TaskQuery) -> TaskPage:
        if page < 0:
            raise ValueError("ClickUp counts pages from 0")
        params = [("page", str(page)), *_wire.task_params(query)]
        body = await self._get(f"/list/{_wire.segment(list_id)}/task", _LIST, params)
        tasks = tuple(_wire.task(item) for item in _wire.items(body, "tasks"))
        # an empty page ends the list too, whatever the flag says
        return TaskPage(tasks, page, bool(body.get("last_page", True)) or not tasks)

    async def tasks(
        self, list_id: str, query: TaskQuery, *, limit: int | None = None
    ) -> list[Task]:
        found: dict[str, Task] = {}  # by id: a task moved between pages while we read is kept once
        for page in range(_MAX_TASK_PAGES):
            answer = await self.task_page(list_id, page, query)
            for task in answer.tasks:
                found.setdefault(task.id, task)
            if answer.last_page or (limit is not None and len(found) >= limit):
                break
        tasks = list(found.values())
        return tasks if limit is None else tasks[:limit]

    async def task(self, task_id: str) -> Task:
        body = await self._get(
            f"/task/{_wire.segment(task_id)}", _TASK, {"include_markdown_description": "true"}
        )
        return _wire.task(body)

    async def attachments(self, task_id: str) -> list[TaskAttachment]:
        # API v2 has no list of attachments: they come with the task
        return list((await self.task(task_id)).attachments)

    async def comments(self, task_id: str) -> list[TaskComment]:
        path = f"/task/{_wire.segment(task_id)}/comment"
        found: dict[str, TaskComment] = {}
        params: dict[str, str] = {}
        for _ in range(_MAX_COMMENT_PAGES):
            body = await self._get(path, _TASK, params)
            raw = _wire.items(body, "comments")
            page = [c for c in map(_wire.comment, raw) if c is not None]
            fresh = [c for c in page if c.id not in found]
            found.update((c.id, c) for c in fresh)
            if len(raw) < _COMMENTS_PER_PAGE or not fresh:
                break
            # newest first: among the oldest-dated, the last one ClickUp listed
            oldest = min(reversed(page), key=lambda c: c.created_at)
            params = {
                "start": str(int(oldest.created_at.timestamp() * 1000)),
                "start_id": oldest.id,
            }
        return sorted(found.values(), key=lambda c: (c.created_at, c.id))

    async def add_tag(self, task_id: str, tag: str) -> None:
        if not tag.strip():
            raise InvalidInput.for_fields({"tag": ["The tag must not be blank."]})
        path = f"/task/{_wire.segment(task_id)}/tag/{_wire.segment(tag.strip())}"
        await self._request("POST", path, _TASK)

    # -- files ---------------------------------------------------------------------------

    async def download(self, attachment: TaskAttachment) -> bytes:
        if not attachment.url.startswith(("http://", "https://")):
            raise OutsideServiceError("The ClickUp attachment has no link to download it from.")
        try:
            fetch = partial(
                _files.fetch,
                self._http,
                limits=self._download_timeout,
                max_bytes=self._max_download_bytes,
            )
            return await self._retrying()(fetch, attachment)
        except Transient as failure:
            raise unavailable(failure) from failure

    # -- plumbing ------------------------------------------------------------------------

    async def _get(self, path: str, not_found: str, params: Any = None) -> Mapping[str, Any]:
        return await self._request("GET", path, not_found, params)

    async def _request(
        self, method: str, path: str, not_found: str, params: Any = None
    ) -> Mapping[str, Any]:
        try:
            response: httpx.Response = await self._retrying()(self._send, method, path, params)
        except Transient as failure:
            raise unavailable(failure) from failure
        if not response.is_success:
            raise self._redacted(error_for(response, not_found))
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise OutsideServiceError(
                f"ClickUp answered {method} {path} with something other than a JSON object."
            )
        return body

    def _retrying(self) -> AsyncRetrying:
        return AsyncRetrying(
            retry=retry_if_exception(self._worth_retrying),
            stop=stop_after_attempt(self._max_retries + 1),
            wait=self._wait,
            before_sleep=self._log_retry,
            reraise=True,
        )

    def _worth_retrying(self, error: BaseException) -> bool:
        if not isinstance(error, Transient):
            return False
        # a wait longer than we may spend is left to the job's own, slower retry
        return error.retry_after is None or error.retry_after <= self._max_wait_s

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, Transient) and error.retry_after is not None:
            return error.retry_after
        return float(self._backoff(state))

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        _log.warning("clickup_retry", attempt=state.attempt_number, reason=str(error))

    async def _send(self, method: str, path: str, params: Any) -> httpx.Response:
        await self._limiter.acquire(self._key)
        headers = {"Authorization": self._token, "Accept": "application/json"}
        started = time.perf_counter()
        try:
            response = await self._http.request(
                method, self._base + path, params=params, headers=headers, timeout=self._timeout
            )
        except httpx.TransportError as error:
            _log.warning(
                "clickup_transport_error", method=method, path=path, error=type(error).__name__
            )
            raise Transient(error=error) from error
        _log.debug(
            "clickup_request",
            method=method,
            path=path,
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000),
            remaining=response.headers.get("x-ratelimit-remaining"),
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise Transient(response=response)
        return response

    def _redacted(self, error: DomainError) -> DomainError:
        """The error with the token blanked out, should ClickUp ever echo it back."""
        if self._token in error.message or self._token in str(error.details):
            error.message = error.message.replace(self._token, "***")
            error.args = (error.message,)
            error.details = {
                key: str(value).replace(self._token, "***") for key, value in error.details.items()
            }
        return error
