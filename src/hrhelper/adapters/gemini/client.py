"""``ChatModel`` over the Gemini Developer API: ``POST {base}/models/{model}:generateContent``.

- The key goes in the ``x-goog-api-key`` header (never in the URL, so no log line carries it).
- History and the new message are sent as ``contents`` with roles ``user``/``model``; turns of
  the same role in a row are merged (a question left unanswered by a failure stays in the
  history), empty ones dropped.
- 429 ``RESOURCE_EXHAUSTED`` is retried after ``RetryInfo.retryDelay`` unless the spent quota
  is a per-day one; 500/503/504 and transport errors are retried with backoff. Generating has
  no side effect but cost, so a timed-out call may be sent again.
- A blocked prompt (no candidates, ``promptFeedback.blockReason``) or a blocked answer
  (``finishReason`` SAFETY and the like) → ``ChatModelBlocked``; a bad key →
  ``ChatModelKeyInvalid``; a spent quota → ``ChatModelQuotaExceeded``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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
from hrhelper.domain.errors import (
    DomainError,
    InvalidInput,
    OutsideServiceError,
    OutsideServiceUnavailable,
)
from hrhelper.ports.chat_model import (
    ChatModel,
    ChatModelBlocked,
    ChatModelKeyInvalid,
    ChatModelQuotaExceeded,
    ChatTurn,
)

__all__ = ["DEFAULT_MODEL", "GeminiChatModel", "contents_for"]

DEFAULT_MODEL = "gemini-3.5-flash"
_log = structlog.get_logger(__name__)
_BLOCKING_FINISH = {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"}
_DELAY = re.compile(r"^(\d+(?:\.\d+)?)s$")
_SET_KEY = "Set a valid Gemini API key (gemini_api_key) in your profile."
_QUOTA_WAIT_S = 60


class GeminiChatModel(ChatModel):
    """``base_url`` ends with the API version, e.g. ``.../v1beta``."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        model: str = DEFAULT_MODEL,
        system_instruction: str | None = None,
        temperature: float | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> None:
        self._http = http
        self._url = f"{base_url.rstrip('/')}/models/{quote(model, safe='')}:generateContent"
        self._model = model
        self._system = system_instruction
        self._temperature = temperature
        self._retry = retry or RetryPolicy()
        # answers of a long conversation take a while to generate
        self._timeout = timeout or httpx.Timeout(120.0, connect=5.0)

    async def reply(self, api_key: str, history: Sequence[ChatTurn], message: str) -> str:
        if not api_key.strip():
            raise ChatModelKeyInvalid("No Gemini API key is set. " + _SET_KEY)
        if not message.strip():
            raise InvalidInput.for_fields({"message": ["The message is empty."]})
        payload = self._payload(history, message)
        try:
            body = await with_retries(
                lambda: self._send(api_key, payload),
                self._retry,
                idempotent=True,
                event="gemini_retry",
                model=self._model,
            )
        except Transient as failure:
            raise _unavailable(failure) from None
        return _answer(body)

    def _payload(self, history: Sequence[ChatTurn], message: str) -> dict[str, Any]:
        payload: dict[str, Any] = {"contents": contents_for(history, message)}
        if self._system:
            payload["systemInstruction"] = {"parts": [{"text": self._system}]}
        if self._temperature is not None:
            payload["generationConfig"] = {"temperature": self._temperature}
        return payload

    async def _send(self, api_key: str, payload: dict[str, Any]) -> Mapping[str, Any]:
        try:
            response = await self._http.post(
                self._url,
                json=payload,
                headers={"x-goog-api-key": api_key, "Accept": "application/json"},
                timeout=self._timeout,
            )
        except httpx.TransportError as error:
            raise transport_failure(error) from None
        _log.debug("gemini_request", model=self._model, status=response.status_code)
        body = _json(response)
        if response.is_success:
            return body
        raise _failure(response, body, self._model)


def contents_for(history: Sequence[ChatTurn], message: str) -> list[dict[str, Any]]:
    """``contents`` for the earlier turns and the new message: roles alternate (turns of one
    role in a row become one content of several parts), empty turns are left out, and the
    new message is the last part of the last, ``user``, content."""
    contents: list[dict[str, Any]] = []
    for turn in [*history, ChatTurn("user", message)]:
        if not turn.text.strip():
            continue
        if contents and contents[-1]["role"] == turn.role:
            contents[-1]["parts"].append({"text": turn.text})
        else:
            contents.append({"role": turn.role, "parts": [{"text": turn.text}]})
    return contents


def _json(response: httpx.Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, Mapping) else {}


def _failure(response: httpx.Response, body: Mapping[str, Any], model: str) -> Exception:
    found = body.get("error")
    error: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    status = response.status_code
    remote = str(error.get("status") or "")
    message = str(error.get("message") or f"HTTP {status}")
    details = [d for d in error.get("details") or [] if isinstance(d, Mapping)]
    if status == 429:
        delay = _retry_delay(details)
        if delay is None:
            delay = retry_after_header(response)
        if _per_day(details):
            return ChatModelQuotaExceeded(
                "The daily Gemini quota of this API key is spent; try again tomorrow or use "
                "a key with a higher quota.",
                retry_after=round(delay) if delay is not None else 3600,
            )
        return Transient(f"HTTP 429 {remote}", status=429, retry_after=delay)
    if status >= 500:
        return Transient(f"HTTP {status} {remote}", status=status)
    if any(d.get("reason") == "API_KEY_INVALID" for d in details):
        return ChatModelKeyInvalid("Gemini does not accept this API key. " + _SET_KEY)
    info: dict[str, object] = {"status": status, "remote_status": remote}
    if status == 403:
        return OutsideServiceError(f"Gemini denied access: {message}", info)
    if status == 404:
        return OutsideServiceError(
            f"The Gemini model {model!r} is not available (retired or unknown); choose another "
            "model in GEMINI_MODEL.",
            info,
        )
    return OutsideServiceError(f"Gemini refused the request: {message}", info)


def _retry_delay(details: list[Mapping[str, Any]]) -> float | None:
    for detail in details:
        if str(detail.get("@type", "")).endswith("google.rpc.RetryInfo"):
            match = _DELAY.match(str(detail.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None


def _per_day(details: list[Mapping[str, Any]]) -> bool:
    for detail in details:
        for violation in detail.get("violations") or []:
            if isinstance(violation, Mapping) and "PerDay" in str(violation.get("quotaId", "")):
                return True
    return False


def _unavailable(failure: Transient) -> DomainError:
    if failure.status == 429:
        wait = round(failure.retry_after) if failure.retry_after is not None else _QUOTA_WAIT_S
        return ChatModelQuotaExceeded(
            f"The Gemini quota of this API key is spent for now; try again in {wait} seconds.",
            retry_after=max(1, wait),
        )
    if failure.status is not None:
        return OutsideServiceUnavailable(
            f"Gemini is unavailable right now (HTTP {failure.status}); try again later.",
            {"status": failure.status},
        )
    return OutsideServiceUnavailable(f"Gemini {failure.reason}; try again later.")


def _answer(body: Mapping[str, Any]) -> str:
    candidates = [c for c in body.get("candidates") or [] if isinstance(c, Mapping)]
    feedback = body.get("promptFeedback")
    block = feedback.get("blockReason") if isinstance(feedback, Mapping) else None
    if block or not candidates:
        reason = str(block or "no answer")
        raise ChatModelBlocked(
            f"Gemini refused to answer this message ({reason}); rephrase it and try again.",
            {"reason": reason},
        )
    first = candidates[0]
    finish = str(first.get("finishReason") or "")
    if finish in _BLOCKING_FINISH:
        raise ChatModelBlocked(
            f"Gemini stopped its answer ({finish}); rephrase the message and try again.",
            {"reason": finish},
        )
    content = first.get("content")
    parts = content.get("parts") if isinstance(content, Mapping) else None
    text = "".join(
        str(part.get("text") or "")
        for part in parts or []
        if isinstance(part, Mapping) and not part.get("thought")
    )
    if not text.strip():
        raise OutsideServiceError(
            f"Gemini gave an empty answer (finish reason {finish or 'unknown'}).",
            {"reason": finish},
        )
    return text
