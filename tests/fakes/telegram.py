"""A fake Telegram Bot API on loopback, per ``reference/external-apis.md`` § 8.

Routes ``/bot{token}/{method}`` (method names case-insensitive); an unknown token → 401
``Unauthorized``, an unknown method → 404. Parameters come from the query, a form, JSON or
multipart alike. ``getMe``, ``getChat`` (seeded chats), ``sendMessage`` (chat must exist →
400 ``chat not found``; text 1–4096; ``parse_mode`` HTML/MarkdownV2 syntax check → 400
``can't parse entities``; ``reply_parameters.message_id`` or ``reply_to_message_id`` must
exist; increasing ``message_id`` per chat), ``getUpdates`` (queued updates, ``offset``
confirms, ``limit``, long-poll ``timeout`` that returns early when an update is injected, 409
with a webhook set or when two polls overlap). Knobs: ``blocked`` chats → 403, ``flood``
(per-chat >1 msg/s, group >20/min → 429 with ``parameters.retry_after``), ``fail_next``;
``journal`` records every request and ``sent`` every message sent.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar import Litestar, Request, Response, route

from tests.fakes._serve import Recorded, json_reply, record, serve_app

__all__ = ["FakeTelegram", "serve_fake_telegram", "telegram_server"]

TOKEN = "123456:AAH-fake-bot-token_xyz"
_HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")
_MD2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def _error(code: int, description: str, **parameters: Any) -> Response[Any]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return json_reply(code, body)


def _ok(result: Any) -> Response[Any]:
    return json_reply(200, {"ok": True, "result": result})


@dataclass
class FakeTelegram:
    token: str = TOKEN
    url: str = ""
    """``http://127.0.0.1:<port>`` once served (the part before ``/bot<token>``)."""
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    flood: bool = False
    flood_interval_s: float = 1.0
    """Under ``flood``, a message to a chat sooner than this after the last one → 429."""
    webhook: bool = False
    journal: list[Recorded] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(10001))
    _message_ids: defaultdict[int, Iterator[int]] = field(
        default_factory=lambda: defaultdict(lambda: itertools.count(1))
    )
    _known_messages: set[tuple[int, int]] = field(default_factory=set)
    _sends: defaultdict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    _scripts: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    _polling: bool = False
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.add_chat(-1001234567890, "supergroup", title="HR Notifications")
        self.add_chat(555001, "private", first_name="Иван", last_name="Иванов", username="ivan")

    # -- control surface ---------------------------------------------------------------

    def add_chat(self, chat_id: int, chat_type: str, **fields: Any) -> dict[str, Any]:
        chat = {"id": chat_id, "type": chat_type, **fields}
        with self._mutex:
            self.chats[chat_id] = chat
        return chat

    def incoming(self, chat_id: int, text: str, *, date: int | None = None, **extra: Any) -> int:
        """Someone writes in ``chat_id``: an update is queued; answers its ``update_id``."""
        with self._mutex:
            message_id = next(self._message_ids[chat_id])
            self._known_messages.add((chat_id, message_id))
            message = {
                "message_id": message_id,
                "from": {"id": 777, "is_bot": False, "first_name": "Пётр", "username": "petr"},
                "chat": self.chats[chat_id],
                "date": date if date is not None else int(time.time()),
                "text": text,
                **extra,
            }
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, "message": message})
        return update_id

    def queue_update(self, update: dict[str, Any]) -> int:
        with self._mutex:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **update})
        return update_id

    def fail_next(self, method: str, status: int, times: int = 1, **parameters: Any) -> None:
        with self._mutex:
            self._scripts.extend([(method.lower(), status, parameters)] * times)

    def calls(self, method: str | None = None) -> list[Recorded]:
        with self._mutex:
            entries = list(self.journal)
        return [e for e in entries if method is None or e.path.lower().endswith(method.lower())]

    # -- HTTP ----------------------------------------------------------------------------

    def build_app(self) -> Litestar:
        fake = self

        @route("/{path:path}", http_method=["GET", "POST"])
        async def entry(request: Request[Any, Any, Any]) -> Response[Any]:
            return await fake._handle(request)

        return Litestar(route_handlers=[entry], openapi_config=None, logging_config=None)

    async def _handle(self, request: Request[Any, Any, Any]) -> Response[Any]:
        entry = await record(request)
        with self._mutex:
            self.journal.append(entry)
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", entry.path)
        if match is None or match.group(1) != self.token:
            return _error(401 if match else 404, "Unauthorized" if match else "Not Found")
        method = match.group(2).lower()
        params = await _params(request, entry)
        with self._mutex:
            script = next((s for s in self._scripts if s[0] == method), None)
            if script is not None:
                self._scripts.remove(script)
        if script is not None:
            status, parameters = script[1], script[2]
            description = "Too Many Requests" if status == 429 else f"Scripted {status}"
            if status == 429:
                description += f": retry after {parameters.get('retry_after', 1)}"
            return _error(status, description, **parameters)
        handler = {
            "getme": self._get_me,
            "getchat": self._get_chat,
            "sendmessage": self._send_message,
            "getupdates": self._get_updates,
        }.get(method)
        if handler is None:
            return _error(404, "Not Found")
        return await handler(params)

    async def _get_me(self, params: dict[str, Any]) -> Response[Any]:
        return _ok({"id": 123456, "is_bot": True, "first_name": "HR Bot", "username": "hr_bot"})

    async def _get_chat(self, params: dict[str, Any]) -> Response[Any]:
        chat = self._chat(params.get("chat_id"))
        if chat is None:
            return _error(400, "Bad Request: chat not found")
        return _ok({**chat, "accent_color_id": 0, "max_reaction_count": 11})

    async def _send_message(self, params: dict[str, Any]) -> Response[Any]:
        chat = self._chat(params.get("chat_id"))
        text = str(params.get("text") or "")
        if chat is None:
            return _error(400, "Bad Request: chat not found")
        if chat["id"] in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        problem = _markup_problem(text, params.get("parse_mode"))
        if problem:
            return _error(400, f"Bad Request: can't parse entities: {problem}")
        reply = _reply_id(params)
        if reply is not None and (chat["id"], reply) not in self._known_messages:
            return _error(400, "Bad Request: message to be replied not found")
        wait = self._flood_wait(chat)
        if wait:
            return _error(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        with self._mutex:
            message_id = next(self._message_ids[chat["id"]])
            self._known_messages.add((chat["id"], message_id))
            message: dict[str, Any] = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "from": {"id": 123456, "is_bot": True, "first_name": "HR Bot"},
                "text": re.sub(r"<[^>]+>", "", text) if params.get("parse_mode") else text,
            }
            if reply is not None:
                message["reply_to_message"] = {"message_id": reply, "chat": chat, "date": 0}
            self.sent.append({**message, "parse_mode": params.get("parse_mode")})
        return _ok(message)

    def _flood_wait(self, chat: dict[str, Any]) -> int:
        """Seconds to wait under flood mode, or 0 (and the send is counted)."""
        now = time.monotonic()
        with self._mutex:
            times = self._sends[chat["id"]]
            if self.flood and times and now - times[-1] < self.flood_interval_s:
                return 1
            in_minute = [t for t in times if now - t < 60.0]
            if self.flood and chat["type"] != "private" and len(in_minute) >= 20:
                return 60
            times.append(now)
        return 0

    async def _get_updates(self, params: dict[str, Any]) -> Response[Any]:
        if self.webhook:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        with self._mutex:
            if self._polling:
                return _error(409, "Conflict: terminated by other getUpdates request")
            self._polling = True
        try:
            offset = int(params.get("offset") or 0)
            limit = max(1, min(int(params.get("limit") or 100), 100))
            deadline = time.monotonic() + float(params.get("timeout") or 0)
            while True:
                with self._mutex:
                    if offset:  # confirms every update before it
                        self._updates = [u for u in self._updates if u["update_id"] >= offset]
                    found = self._updates[:limit]
                if found or time.monotonic() >= deadline:
                    return _ok(found)
                await asyncio.sleep(0.02)
        finally:
            with self._mutex:
                self._polling = False

    def _chat(self, chat_id: Any) -> dict[str, Any] | None:
        with self._mutex:
            if isinstance(chat_id, str) and chat_id.startswith("@"):
                return next(
                    (c for c in self.chats.values() if f"@{c.get('username')}" == chat_id), None
                )
            try:
                return self.chats.get(int(chat_id))
            except (TypeError, ValueError):
                return None


async def _params(request: Request[Any, Any, Any], entry: Recorded) -> dict[str, Any]:
    params: dict[str, Any] = dict(entry.params)
    content_type = entry.headers.get("content-type", "")
    if "json" in content_type and entry.body:
        params.update(entry.json)
    elif "form" in content_type:
        form = await request.form()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params


def _reply_id(params: dict[str, Any]) -> int | None:
    reply = params.get("reply_parameters")
    if isinstance(reply, dict) and reply.get("message_id") is not None:
        return int(reply["message_id"])
    legacy = params.get("reply_to_message_id")
    return None if legacy in (None, "") else int(legacy)


def _markup_problem(text: str, parse_mode: Any) -> str | None:
    if parse_mode == "HTML":
        return _html_problem(text)
    if parse_mode == "MarkdownV2":
        return _markdown_v2_problem(text)
    if parse_mode not in (None, "", "Markdown"):
        return f"Unsupported parse_mode {parse_mode}"
    return None


def _html_problem(text: str) -> str | None:
    stack: list[str] = []
    for closing, name in _HTML_TAG.findall(text):
        tag = name.lower()
        if tag not in _HTML_TAGS:
            return f'Unsupported start tag "{tag}"'
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            return f'Can\'t find end tag corresponding to start tag "{tag}"'
    if stack:
        return f'Can\'t find end tag corresponding to start tag "{stack[-1]}"'
    return None


def _markdown_v2_problem(text: str) -> str | None:
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _MD2_RESERVED and char not in "*_`":
            return f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
    return None


@contextmanager
def serve_fake_telegram(fake: FakeTelegram | None = None) -> Iterator[FakeTelegram]:
    fake = fake or FakeTelegram()
    with serve_app(fake.build_app(), "Telegram") as base:
        fake.url = base
        yield fake


@pytest.fixture
def telegram_server() -> Iterator[FakeTelegram]:
    with serve_fake_telegram() as fake:
        yield fake
