"""``Ats`` over the Huntflow API v2 with plain httpx.

Per request: a User-Agent (Huntflow answers 400 without one), a Bearer access token, explicit
timeouts and a pass through the client-side limiter. Failures:

- 401: refresh the pair once under the store's lock, unless another call or worker already
  did, then send the request once more;
- transport errors, 429 and 5xx: retried with backoff (``Retry-After`` first) for reads; a
  change (create, upload, bind, comment, refresh) is sent again only when Huntflow surely did
  not act on it (429, or no connection was made);
- everything else becomes a domain error (see ``errors.py``).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
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

from hrhelper.adapters.huntflow import _wire
from hrhelper.adapters.huntflow.errors import (
    REISSUE_TOKENS,
    Transient,
    error_for,
    remote_errors,
    unavailable,
)
from hrhelper.adapters.huntflow.limiter import RequestLimiter
from hrhelper.domain.errors import OutsideServiceError, OutsideServiceUnavailable
from hrhelper.ports.ats import (
    ApplicantDraft,
    ApplicantRef,
    Ats,
    AtsAccount,
    AtsPage,
    AtsRejectionReason,
    AtsStatus,
    AtsTokens,
    AtsUser,
    AtsVacancy,
    AtsVacancyLink,
    TokenStore,
    UploadedFile,
)

__all__ = ["HuntflowClient"]

_log = structlog.get_logger(__name__)

_PAGE_SIZE = 30  # Huntflow's default page size; larger ones are not documented
_MAX_SEARCH_PAGES = 50
_ACCOUNT = "Huntflow account not found."
_VACANCY = "Huntflow vacancy not found."
_APPLICANT = "Huntflow applicant (or its vacancy) not found."


@dataclass(frozen=True, slots=True)
class _Call:
    method: str
    path: str
    not_found: str
    idempotent: bool
    timeout: httpx.Timeout
    params: Any = None
    json: Any = None
    files: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def _limit_key(access_token: str) -> str:
    return "token:" + hashlib.sha256(access_token.encode()).hexdigest()[:32]


class HuntflowClient(Ats):
    """One connection (one token pair). ``base_url`` ends with ``/v2``."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        tokens: TokenStore,
        limiter: RequestLimiter,
        *,
        user_agent: str,
        max_retries: int = 3,
        backoff_s: float = 1.0,
        max_backoff_s: float = 10.0,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 30.0,
        upload_timeout_s: float = 90.0,
    ) -> None:
        if not user_agent.strip():
            raise ValueError("Huntflow refuses requests without a User-Agent")
        self._http = http
        self._base = base_url.rstrip("/")
        self._tokens = tokens
        self._limiter = limiter
        self._user_agent = user_agent
        self._max_retries = max_retries
        self._max_backoff_s = max_backoff_s
        # ~backoff_s, doubling per attempt, plus up to backoff_s of jitter
        self._backoff = wait_exponential(multiplier=backoff_s, max=max_backoff_s) + wait_random(
            0, backoff_s
        )
        self._timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        self._upload_timeout = httpx.Timeout(upload_timeout_s, connect=connect_timeout_s)

    # -- reads ---------------------------------------------------------------------------

    async def me(self) -> AtsUser:
        return _wire.user(await self._get("/me", "Huntflow user not found."))

    async def accounts(self) -> list[AtsAccount]:
        body = await self._get("/accounts", _ACCOUNT)
        return [_wire.account(item) for item in _wire.items(body)]

    async def vacancies(
        self, account_id: int, page: int = 1, count: int = _PAGE_SIZE
    ) -> AtsPage[AtsVacancy]:
        path = f"/accounts/{account_id}/vacancies"
        body = await self._get(path, _ACCOUNT, params={"page": page, "count": count})
        return _wire.vacancy_page(body)

    async def all_vacancies(self, account_id: int) -> list[AtsVacancy]:
        first = await self.vacancies(account_id, 1, _PAGE_SIZE)
        found = list(first.items)
        for page in range(2, first.total_pages + 1):
            more = await self.vacancies(account_id, page, _PAGE_SIZE)
            if not more.items:
                break  # the list shrank while we read it
            found.extend(more.items)
        return found

    async def vacancy(self, account_id: int, vacancy_id: int) -> AtsVacancy:
        body = await self._get(f"/accounts/{account_id}/vacancies/{vacancy_id}", _VACANCY)
        return _wire.vacancy(body)

    async def statuses(self, account_id: int) -> list[AtsStatus]:
        body = await self._get(f"/accounts/{account_id}/vacancies/statuses", _ACCOUNT)
        return [_wire.status(item) for item in _wire.items(body)]

    async def rejection_reasons(self, account_id: int) -> list[AtsRejectionReason]:
        body = await self._get(f"/accounts/{account_id}/rejection_reasons", _ACCOUNT)
        return [_wire.rejection_reason(item) for item in _wire.items(body)]

    async def search_applicants(
        self, account_id: int, query: str, *, limit: int = 100
    ) -> list[ApplicantRef]:
        path = f"/accounts/{account_id}/applicants/search_by_cursor"
        params: dict[str, Any] = {"q": query, "field": "all", "count": _PAGE_SIZE}
        found: list[ApplicantRef] = []
        for _ in range(_MAX_SEARCH_PAGES):
            body = await self._get(path, _ACCOUNT, params=params)
            found.extend(_wire.applicant_ref(item) for item in _wire.items(body))
            cursor = body.get("next_page_cursor")
            if len(found) >= limit or not cursor:
                break
            params = {"next_page_cursor": cursor}  # follow-ups carry the cursor only
        return found[:limit]

    # -- changes (not idempotent) --------------------------------------------------------

    async def upload(
        self,
        account_id: int,
        filename: str,
        content: bytes,
        content_type: str,
        *,
        parse: bool = True,
    ) -> UploadedFile:
        call = _Call(
            "POST",
            f"/accounts/{account_id}/upload",
            _ACCOUNT,
            idempotent=False,
            timeout=self._upload_timeout,  # recognition of a CV is slow
            files={"file": (filename, content, content_type)},
            headers={"X-File-Parse": "true"} if parse else {},
        )
        return _wire.uploaded_file(await self._json(call))

    async def create_applicant(self, account_id: int, draft: ApplicantDraft) -> ApplicantRef:
        body = await self._post(
            f"/accounts/{account_id}/applicants", _ACCOUNT, _wire.draft_body(draft)
        )
        return _wire.applicant_ref(body)

    async def bind_to_vacancy(
        self,
        account_id: int,
        applicant_id: int,
        vacancy_id: int,
        status_id: int,
        *,
        comment: str | None = None,
        rejection_reason_id: int | None = None,
        file_ids: tuple[int, ...] = (),
    ) -> AtsVacancyLink:
        payload: dict[str, Any] = {"vacancy": vacancy_id, "status": status_id}
        if comment is not None:
            payload["comment"] = comment
        if rejection_reason_id is not None:
            payload["rejection_reason"] = rejection_reason_id
        if file_ids:
            payload["files"] = list(file_ids)
        path = f"/accounts/{account_id}/applicants/{applicant_id}/vacancy"
        return _wire.link(await self._post(path, _APPLICANT, payload))

    async def add_comment(
        self, account_id: int, applicant_id: int, vacancy_id: int, status_id: int, comment: str
    ) -> AtsVacancyLink:
        # The documented way: "move" to the stage it is at, with a comment.
        path = f"/accounts/{account_id}/applicants/{applicant_id}/vacancy"
        payload = {"vacancy": vacancy_id, "status": status_id, "comment": comment}
        return _wire.link(await self._post(path, _APPLICANT, payload, method="PUT"))

    async def add_tags(self, account_id: int, applicant_id: int, tag_ids: tuple[int, ...]) -> None:
        path = f"/accounts/{account_id}/applicants/{applicant_id}/tags"
        body = await self._get(path, _APPLICANT)
        current = [int(tag) for tag in body.get("tags") or []]
        wanted = current + [tag for tag in dict.fromkeys(tag_ids) if tag not in current]
        if wanted != current:  # the POST replaces the whole set
            await self._post(path, _APPLICANT, {"tags": wanted})

    # -- connection ----------------------------------------------------------------------

    async def refresh_tokens(self) -> AtsTokens:
        """Spend the refresh token now (the scheduled refresh of pairs about to expire);
        answers the pair stored afterwards."""
        return await self._refresh(await self._tokens.current())

    # -- plumbing ------------------------------------------------------------------------

    async def _get(self, path: str, not_found: str, params: Any = None) -> dict[str, Any]:
        call = _Call("GET", path, not_found, True, self._timeout, params=params)
        return await self._json(call)

    async def _post(
        self, path: str, not_found: str, payload: Any, *, method: str = "POST"
    ) -> dict[str, Any]:
        call = _Call(method, path, not_found, False, self._timeout, json=payload)
        return await self._json(call)

    async def _json(self, call: _Call) -> dict[str, Any]:
        response = await self._authorised(call)
        return self._body(response, call.path)

    @staticmethod
    def _body(response: httpx.Response, path: str) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise OutsideServiceError(
                f"Huntflow answered {path} with something other than a JSON object."
            )
        return body

    async def _authorised(self, call: _Call) -> httpx.Response:
        stale = await self._tokens.current()
        response = await self._attempts(call, stale.access_token)
        if response.status_code == 401:
            fresh = await self._refresh(stale)
            response = await self._attempts(call, fresh.access_token)
        if response.is_success:
            return response
        raise error_for(response, call.not_found)

    async def _attempts(self, call: _Call, access_token: str) -> httpx.Response:
        try:
            return await self._retrying(call)(self._send, call, access_token)
        except Transient as failure:
            raise unavailable(failure, may_be_applied=not call.idempotent) from failure

    def _retrying(self, call: _Call) -> AsyncRetrying:
        return AsyncRetrying(
            retry=retry_if_exception(partial(self._worth_retrying, call)),
            stop=stop_after_attempt(self._max_retries + 1),
            wait=self._wait,
            before_sleep=partial(self._log_retry, call),
            reraise=True,
        )

    def _worth_retrying(self, call: _Call, error: BaseException) -> bool:
        if not isinstance(error, Transient) or not (call.idempotent or error.unprocessed):
            return False
        # a long Retry-After is better left to the job's own, slower retry
        return error.retry_after is None or error.retry_after <= self._max_backoff_s

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, Transient) and error.retry_after is not None:
            return error.retry_after
        return float(self._backoff(state))

    def _log_retry(self, call: _Call, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        _log.warning(
            "huntflow_retry",
            method=call.method,
            path=call.path,
            attempt=state.attempt_number,
            reason=str(error),
        )

    async def _send(self, call: _Call, access_token: str | None) -> httpx.Response:
        headers = {"User-Agent": self._user_agent, "Accept": "application/json", **call.headers}
        if access_token is not None:
            headers["Authorization"] = f"Bearer {access_token}"
            await self._limiter.acquire(_limit_key(access_token))
        started = time.perf_counter()
        try:
            response = await self._http.request(
                call.method,
                self._base + call.path,
                params=call.params,
                json=call.json,
                files=call.files,
                headers=headers,
                timeout=call.timeout,
            )
        except httpx.TransportError as error:
            _log.warning(
                "huntflow_transport_error",
                method=call.method,
                path=call.path,
                error=type(error).__name__,
            )
            raise Transient(error=error) from error
        _log.debug(
            "huntflow_request",
            method=call.method,
            path=call.path,
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000),
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise Transient(response=response)
        return response

    async def _refresh(self, stale: AtsTokens) -> AtsTokens:
        """Spend the refresh token once, even when many calls hit 401 together."""
        async with self._tokens.lock():
            current = await self._tokens.current()
            if current.refresh_token != stale.refresh_token:
                return current  # another call or worker refreshed while we waited
            call = _Call(
                "POST",
                "/token/refresh",
                "",
                idempotent=False,  # the refresh token is single-use
                timeout=self._timeout,
                json={"refresh_token": stale.refresh_token},
            )
            try:
                response: httpx.Response = await self._retrying(call)(self._send, call, None)
            except Transient as failure:
                raise OutsideServiceUnavailable(
                    "Huntflow did not confirm the token refresh; try again later. If this "
                    "keeps failing, the stored tokens may be spent. " + REISSUE_TOKENS,
                    {"status": failure.status} if failure.status else {},
                ) from failure
            if not response.is_success:
                _log.warning("huntflow_refresh_refused", status=response.status_code)
                raise OutsideServiceError(
                    "Huntflow no longer accepts the stored refresh token. " + REISSUE_TOKENS,
                    {"status": response.status_code, "errors": remote_errors(response)},
                )
            fresh = _wire.tokens(self._body(response, call.path))
            _log.info("huntflow_tokens_refreshed")
            return await self._tokens.replace(stale.refresh_token, fresh)
