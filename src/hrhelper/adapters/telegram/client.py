"""``Messenger`` over the Telegram Bot API: ``POST {base}/bot<token>/<method>`` with a JSON body.

- The token is in the URL path: it is masked in httpx's log records (``masking``), our own
  log lines name the method only, and httpx errors are never chained into ours.
- Sends are paced (``pacing.SendPacer``) to stay under the flood limits.
- 429 waits exactly ``parameters.retry_after`` and tries again (Telegram did not act on the
  request), unless the wait is longer than the call may take: then ``RateLimited``.
- 5xx and transport errors are retried for reads; a send is repeated only when it surely did
  not reach Telegram (no connection was made), since a duplicate message cannot be undone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import structlog

from hrhelper.adapters._remote import RetryPolicy, Transient, transport_failure, with_retries
from hrhelper.adapters.telegram import _wire
from hrhelper.adapters.telegram.masking import install_token_mask
from hrhelper.adapters.telegram.pacing import Pacer, SendPacer
from hrhelper.domain.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    OutsideServiceError,
    OutsideServiceUnavailable,
    RateLimited,
)
from hrhelper.ports.messenger import (
    ChatRef,
    Messenger,
    MessengerChat,
    MessengerMessage,
    MessengerUpdate,
    MessengerUser,
)

__all__ = ["TelegramBot"]

_log = structlog.get_logger(__name__)
_SET_TOKEN = "Check TELEGRAM_BOT_TOKEN (the token @BotFather gave the bot)."  # noqa: S105
_MAX_TEXT = 4096


class TelegramBot(Messenger):
    """``base_url`` is the part before ``/bot<token>``, e.g. ``https://api.telegram.org``."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        token: str,
        *,
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> None:
        install_token_mask()
        self._http = http
        self._base = base_url.rstrip("/")
        self._token = token
        self._pacer = pacer or SendPacer()
        self._retry = retry or RetryPolicy()
        self._timeout = timeout or httpx.Timeout(10.0, connect=5.0)

    def __repr__(self) -> str:
        return f"TelegramBot({self._base!r})"

    async def me(self) -> MessengerUser:
        return _wire.user(await self._call("getMe", {}, idempotent=True))

    async def chat(self, chat: ChatRef) -> MessengerChat:
        return _wire.chat(await self._call("getChat", {"chat_id": chat}, idempotent=True))

    async def updates(
        self, offset: int | None = None, *, limit: int = 100, timeout_s: int = 0
    ) -> list[MessengerUpdate]:
        params: dict[str, Any] = {"limit": max(1, min(limit, 100)), "timeout": timeout_s}
        if offset is not None:
            params["offset"] = offset
        # a long poll holds the request open for timeout_s: read for longer than that
        timeout = httpx.Timeout(timeout_s + (self._timeout.read or 10.0), connect=5.0)
        found = await self._call("getUpdates", params, idempotent=True, read_within=timeout)
        items = found if isinstance(found, list) else []
        return [_wire.update(item) for item in items if isinstance(item, Mapping)]

    async def send_message(
        self,
        chat: ChatRef,
        text: str,
        *,
        parse_mode: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> MessengerMessage:
        if not text.strip():
            raise InvalidInput.for_fields({"message": ["The message is empty."]})
        if len(text) > _MAX_TEXT:
            raise InvalidInput.for_fields(
                {"message": [f"Telegram takes at most {_MAX_TEXT} characters in a message."]}
            )
        params: dict[str, Any] = {"chat_id": chat, "text": text}
        if parse_mode:
            params["parse_mode"] = parse_mode
        if reply_to_message_id is not None:
            params["reply_parameters"] = {"message_id": reply_to_message_id}
        group = isinstance(chat, str) or chat < 0  # groups and channels have negative ids
        await self._pacer.acquire(str(chat), group=group)
        return _wire.message(await self._call("sendMessage", params, idempotent=False))

    # -- plumbing ------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        params: dict[str, Any],
        *,
        idempotent: bool,
        read_within: httpx.Timeout | None = None,
    ) -> Any:
        try:
            return await with_retries(
                lambda: self._send(method, params, read_within or self._timeout),
                self._retry,
                idempotent=idempotent,
                event="telegram_retry",
                method=method,
            )
        except Transient as failure:
            raise _unavailable(failure, sent=not idempotent) from None

    async def _send(self, method: str, params: dict[str, Any], limits: httpx.Timeout) -> Any:
        url = f"{self._base}/bot{self._token}/{method}"
        try:
            response = await self._http.post(url, json=params, timeout=limits)
        except httpx.TransportError as error:
            raise transport_failure(error) from None
        _log.debug("telegram_request", method=method, status=response.status_code)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, Mapping):
            body = {}
        if response.is_success and body.get("ok") is True:
            return body.get("result")
        description = str(body.get("description") or f"HTTP {response.status_code}")
        parameters = body.get("parameters")
        parameters = parameters if isinstance(parameters, Mapping) else {}
        status = int(body.get("error_code") or response.status_code)
        if status == 429 or response.status_code == 429:
            wait = parameters.get("retry_after")
            retry_after = float(wait) if isinstance(wait, int | float) else None
            raise Transient("HTTP 429", status=429, retry_after=retry_after)
        if status >= 500 or response.status_code >= 500:
            raise Transient(f"HTTP {response.status_code}", status=response.status_code)
        raise _refusal(method, status, description, parameters)


def _refusal(
    method: str, status: int, description: str, parameters: Mapping[str, Any]
) -> DomainError:
    details: dict[str, object] = {"status": status, "description": description}
    lowered = description.lower()
    if "migrate_to_chat_id" in parameters:
        details["migrate_to_chat_id"] = parameters["migrate_to_chat_id"]
        return OutsideServiceError(
            "The Telegram group became a supergroup; use its new id "
            f"{parameters['migrate_to_chat_id']}.",
            details,
        )
    if status == 400 and "chat not found" in lowered:
        return NotFound("Telegram chat not found, or the bot is not a member of it.", details)
    if status == 400:
        return InvalidInput(f"Telegram refused the request: {description}", details)
    if status in (401, 404):
        return OutsideServiceError(
            f"Telegram does not accept the bot token ({description}). {_SET_TOKEN}", details
        )
    if status == 403:
        return OutsideServiceError(f"Telegram refused the bot: {description}", details)
    if status == 409:
        return OutsideServiceError(
            "Another consumer reads this bot's updates (a webhook or a second poller): "
            + description,
            details,
        )
    return OutsideServiceError(f"Telegram refused {method}: {description}", details)


def _unavailable(failure: Transient, *, sent: bool) -> DomainError:
    if failure.status == 429:
        wait = round(failure.retry_after) if failure.retry_after is not None else 30
        return RateLimited(
            f"Telegram asks to wait {wait} seconds before the next request.", max(1, wait)
        )
    message = (
        f"Telegram is unavailable right now (HTTP {failure.status}); try again later."
        if failure.status is not None
        else f"Telegram {failure.reason}; try again later."
    )
    if sent and not failure.unprocessed:
        message += " The message may have been sent anyway: check the chat before repeating."
    return OutsideServiceUnavailable(message, {"status": failure.status} if failure.status else {})
