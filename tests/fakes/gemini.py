"""A fake Gemini Developer API (generateContent) on loopback, per
``reference/external-apis.md`` § 4 ("Fake server must").

``POST /{v1|v1beta}/models/{model}:generateContent`` with the key in ``x-goog-api-key`` or
``?key=``: a bad key → 400 ``INVALID_ARGUMENT`` with ``ErrorInfo.reason = API_KEY_INVALID``,
an unknown model → 404 ``NOT_FOUND``; ``contents`` must be non-empty with roles ``user`` and
``model`` only. The answer is rule-based (``Answer to: <last user text>``, or JSON text when
``responseMimeType`` asks for it) with ``finishReason`` and word-count ``usageMetadata``.

Knobs (``FakeGemini`` methods): ``answer_next``, ``block_prompt_next`` (no candidates and
``promptFeedback.blockReason``), ``block_answer_next`` (``finishReason: SAFETY``),
``truncate_next`` (``MAX_TOKENS``), ``quota_next`` (429 ``RESOURCE_EXHAUSTED`` with
``RetryInfo``, per minute or per day), ``fail_next`` (503 ``UNAVAILABLE`` and the like),
``delay_s``; ``journal`` records every request.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar import Litestar, Request, Response, post

from tests.fakes._serve import Recorded, json_reply, record, serve_app

__all__ = ["FakeGemini", "gemini_server", "serve_fake_gemini"]

_STATUS = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"


def google_error(status: int, message: str, details: list[Any] | None = None) -> Response[Any]:
    body = {"error": {"code": status, "message": message, "status": _STATUS.get(status, "")}}
    if details:
        body["error"]["details"] = details
    return json_reply(status, body)


@dataclass
class FakeGemini:
    keys: set[str] = field(default_factory=lambda: {"gm-key-valid"})
    models: set[str] = field(default_factory=lambda: {"gemini-3.5-flash", "gemini-3.7-flash"})
    delay_s: float = 0.0
    journal: list[Recorded] = field(default_factory=list)
    url: str = ""
    """``http://127.0.0.1:<port>/v1beta`` once served."""
    _next: list[Any] = field(default_factory=list)
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    # -- control surface ---------------------------------------------------------------

    def answer_next(self, text: str) -> None:
        self._push(("answer", text))

    def block_prompt_next(self, reason: str = "SAFETY") -> None:
        self._push(("block_prompt", reason))

    def block_answer_next(self, reason: str = "SAFETY") -> None:
        self._push(("block_answer", reason))

    def truncate_next(self, text: str) -> None:
        self._push(("truncate", text))

    def quota_next(self, times: int = 1, *, retry_delay: str = "1s", per_day: bool = False):
        quota_id = (
            "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
            if per_day
            else "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
        )
        details = [
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [{"quotaMetric": "generate_content_requests", "quotaId": quota_id}],
            },
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay},
        ]
        for _ in range(times):
            self._push(("error", 429, "You exceeded your current quota.", details))

    def fail_next(self, status: int = 503, times: int = 1, message: str = "overloaded") -> None:
        for _ in range(times):
            self._push(("error", status, message, None))

    def calls(self) -> list[Recorded]:
        with self._mutex:
            return list(self.journal)

    def _push(self, item: Any) -> None:
        with self._mutex:
            self._next.append(item)

    # -- HTTP ----------------------------------------------------------------------------

    def build_app(self) -> Litestar:
        fake = self

        @post("/{path:path}", status_code=200)
        async def generate(request: Request[Any, Any, Any]) -> Any:
            version, _, rest = request.url.path.strip("/").partition("/models/")
            return await fake._generate(request, version, rest)

        return Litestar(route_handlers=[generate], openapi_config=None, logging_config=None)

    async def _generate(self, request: Request[Any, Any, Any], version: str, rest: str) -> Any:
        entry = await record(request)
        with self._mutex:
            self.journal.append(entry)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        model, _, method = rest.partition(":")
        if version not in ("v1", "v1beta") or method != "generateContent":
            return google_error(404, f"Method {rest} not found.")
        key = entry.headers.get("x-goog-api-key") or entry.params.get("key", "")
        if key not in self.keys:
            reason = [{"@type": _ERROR_INFO, "reason": "API_KEY_INVALID", "domain": "googleapis"}]
            return google_error(400, "API key not valid. Please pass a valid API key.", reason)
        if model not in self.models:
            return google_error(404, f"models/{model} is not found for API version {version}.")
        body = entry.json if entry.body else None
        problem = _invalid(body)
        if problem:
            return google_error(400, problem)
        with self._mutex:
            scripted = self._next.pop(0) if self._next else None
        return self._answer(body, model, scripted)

    def _answer(self, body: dict[str, Any], model: str, scripted: Any) -> Response[Any]:
        kind = scripted[0] if scripted else "answer"
        if kind == "error":
            return google_error(scripted[1], scripted[2], scripted[3])
        prompt_words = sum(len(_text(c).split()) for c in body["contents"])
        if kind == "block_prompt":
            usage = {"promptTokenCount": prompt_words, "totalTokenCount": prompt_words}
            return json_reply(
                200, {"promptFeedback": {"blockReason": scripted[1]}, "usageMetadata": usage}
            )
        last_user = next(_text(c) for c in reversed(body["contents"]) if c["role"] == "user")
        text = scripted[1] if kind in ("answer", "truncate") and scripted else None
        if text is None:
            text = f"Answer to: {last_user}"
            config = body.get("generationConfig") or {}
            if config.get("responseMimeType") == "application/json":
                text = json.dumps({"answer": text})
        finish = {"block_answer": scripted[1] if scripted else "", "truncate": "MAX_TOKENS"}
        candidate: dict[str, Any] = {
            "content": {"role": "model", "parts": [{"text": text}]},
            "finishReason": finish.get(kind, "STOP"),
            "index": 0,
        }
        if kind == "block_answer":
            candidate["content"] = {"role": "model", "parts": []}
        answer_words = len(text.split())
        usage = {
            "promptTokenCount": prompt_words,
            "candidatesTokenCount": answer_words,
            "totalTokenCount": prompt_words + answer_words,
        }
        return json_reply(
            200, {"candidates": [candidate], "usageMetadata": usage, "modelVersion": model}
        )


def _text(content: dict[str, Any]) -> str:
    return " ".join(str(part.get("text", "")) for part in content.get("parts", []))


def _invalid(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "Invalid JSON payload received."
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        return "* GenerateContentRequest.contents: contents is not specified"
    for index, content in enumerate(contents):
        if not isinstance(content, dict) or content.get("role") not in ("user", "model"):
            return f"Please use a valid role: user, model. (contents[{index}])"
        parts = content.get("parts")
        if not isinstance(parts, list) or not parts:
            return f"* GenerateContentRequest.contents[{index}].parts: must not be empty."
    if contents[-1].get("role") != "user":
        return "Please ensure that the last turn is from the user."
    return None


@contextmanager
def serve_fake_gemini(fake: FakeGemini | None = None) -> Iterator[FakeGemini]:
    fake = fake or FakeGemini()
    with serve_app(fake.build_app(), "Gemini") as base:
        fake.url = f"{base}/v1beta"
        yield fake


@pytest.fixture
def gemini_server() -> Iterator[FakeGemini]:
    with serve_fake_gemini() as fake:
        yield fake
