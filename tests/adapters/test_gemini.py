"""GeminiChatModel against the fake Gemini over real HTTP: the request it sends, answers,
blocks, quota and key errors, retries, and the key kept out of messages and logs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import structlog

from hrhelper.adapters._remote import RetryPolicy
from hrhelper.adapters.gemini.client import GeminiChatModel
from hrhelper.domain.errors import (
    DomainError,
    InvalidInput,
    OutsideServiceError,
    OutsideServiceUnavailable,
)
from hrhelper.ports.chat_model import (
    ChatModelBlocked,
    ChatModelKeyInvalid,
    ChatModelQuotaExceeded,
    ChatTurn,
)
from tests.fakes import gemini as fake_gemini
from tests.fakes.gemini import FakeGemini

gemini_server = fake_gemini.gemini_server

KEY = "gm-key-valid"
FAST = RetryPolicy(attempts=3, backoff_s=0.01, max_backoff_s=0.05, max_wait_s=2.0)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def create_sut(fake: FakeGemini, http: httpx.AsyncClient, **options: Any) -> GeminiChatModel:
    return GeminiChatModel(http, fake.url, **{"retry": FAST, **options})


async def test_sends_history_with_roles_and_the_new_message_once(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    # Given a conversation of two exchanges
    sut = create_sut(gemini_server, http, system_instruction="You help recruiters.")
    history = [
        ChatTurn("user", "Hi"),
        ChatTurn("model", "Hello! How can I help?"),
        ChatTurn("user", "What is Python?"),
        ChatTurn("model", "A language."),
    ]
    # When a new message is sent
    answer = await sut.reply(KEY, history, "Tell me more")
    # Then the answer is the model's text, and the request carried every turn once, in order
    assert answer == "Answer to: Tell me more"
    (call,) = gemini_server.calls()
    assert call.path == "/v1beta/models/gemini-3.5-flash:generateContent"
    assert call.headers["x-goog-api-key"] == KEY
    assert "key" not in call.params
    sent = [(c["role"], [p["text"] for p in c["parts"]]) for c in call.json["contents"]]
    assert sent == [
        ("user", ["Hi"]),
        ("model", ["Hello! How can I help?"]),
        ("user", ["What is Python?"]),
        ("model", ["A language."]),
        ("user", ["Tell me more"]),
    ]
    assert call.json["systemInstruction"] == {"parts": [{"text": "You help recruiters."}]}


async def test_an_unanswered_question_in_history_is_merged_not_repeated(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    # Given the last question got no answer (quota), so two user turns follow each other
    sut = create_sut(gemini_server, http, model="gemini-3.7-flash")
    history = [ChatTurn("user", "first"), ChatTurn("model", ""), ChatTurn("user", "second")]
    await sut.reply(KEY, history, "third")
    (call,) = gemini_server.calls()
    assert call.path.endswith("/models/gemini-3.7-flash:generateContent")
    assert call.json["contents"] == [
        {"role": "user", "parts": [{"text": "first"}, {"text": "second"}, {"text": "third"}]}
    ]


async def test_scripted_answer_is_returned_verbatim(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    gemini_server.answer_next("Python — высокоуровневый язык.")
    assert await create_sut(gemini_server, http).reply(KEY, [], "q") == (
        "Python — высокоуровневый язык."
    )


@pytest.mark.parametrize("blocked_where", ["prompt", "answer"])
async def test_a_safety_block_is_a_clear_error(
    gemini_server: FakeGemini, http: httpx.AsyncClient, blocked_where: str
) -> None:
    if blocked_where == "prompt":
        gemini_server.block_prompt_next("SAFETY")
    else:
        gemini_server.block_answer_next("SAFETY")
    with pytest.raises(ChatModelBlocked) as caught:
        await create_sut(gemini_server, http).reply(KEY, [], "something bad")
    assert caught.value.details["reason"] == "SAFETY"
    assert "refused" in caught.value.message or "stopped" in caught.value.message
    assert len(gemini_server.calls()) == 1  # a block is final, never retried


async def test_a_truncated_answer_is_still_an_answer(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    gemini_server.truncate_next("The first half")
    assert await create_sut(gemini_server, http).reply(KEY, [], "q") == "The first half"


async def test_an_invalid_key_is_an_input_error_and_not_retried(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    with pytest.raises(ChatModelKeyInvalid) as caught:
        await create_sut(gemini_server, http).reply("gm-key-wrong", [], "q")
    assert isinstance(caught.value, InvalidInput)
    assert "gemini_api_key" in caught.value.message
    assert len(gemini_server.calls()) == 1


async def test_no_key_fails_before_any_request(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    with pytest.raises(ChatModelKeyInvalid, match="No Gemini API key"):
        await create_sut(gemini_server, http).reply("  ", [], "q")
    assert gemini_server.calls() == []


async def test_a_short_quota_wait_is_retried_after_retry_delay(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    gemini_server.quota_next(1, retry_delay="0.2s")
    answer = await create_sut(gemini_server, http).reply(KEY, [], "q")
    assert answer == "Answer to: q"
    first, second = gemini_server.calls()
    assert second.at - first.at >= 0.2


async def test_a_quota_that_stays_spent_is_a_quota_error(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    gemini_server.quota_next(5, retry_delay="0.01s")
    with pytest.raises(ChatModelQuotaExceeded) as caught:
        await create_sut(gemini_server, http).reply(KEY, [], "q")
    assert caught.value.retry_after >= 1
    assert len(gemini_server.calls()) == FAST.attempts


async def test_a_long_quota_wait_ends_the_call_at_once(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    gemini_server.quota_next(1, retry_delay="45s")
    with pytest.raises(ChatModelQuotaExceeded) as caught:
        await create_sut(gemini_server, http).reply(KEY, [], "q")
    assert caught.value.retry_after == 45
    assert len(gemini_server.calls()) == 1


async def test_a_daily_quota_is_not_retried(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    gemini_server.quota_next(1, retry_delay="0.01s", per_day=True)
    with pytest.raises(ChatModelQuotaExceeded, match="daily"):
        await create_sut(gemini_server, http).reply(KEY, [], "q")
    assert len(gemini_server.calls()) == 1


async def test_overload_is_retried_then_answered(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    gemini_server.fail_next(503, times=2)
    assert await create_sut(gemini_server, http).reply(KEY, [], "q") == "Answer to: q"
    assert len(gemini_server.calls()) == 3


async def test_lasting_overload_is_unavailable(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    gemini_server.fail_next(503, times=5)
    with pytest.raises(OutsideServiceUnavailable, match="HTTP 503"):
        await create_sut(gemini_server, http).reply(KEY, [], "q")


async def test_a_timeout_is_retried_then_unavailable(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    gemini_server.delay_s = 0.5
    sut = create_sut(gemini_server, http, timeout=httpx.Timeout(0.1))
    with pytest.raises(OutsideServiceUnavailable, match="timed out"):
        await sut.reply(KEY, [], "q")
    assert len(gemini_server.calls()) == FAST.attempts


async def test_an_unknown_model_says_which_setting_to_change(
    gemini_server: FakeGemini, http: httpx.AsyncClient
) -> None:
    sut = create_sut(gemini_server, http, model="gemini-2.0-flash")
    with pytest.raises(OutsideServiceError, match="GEMINI_MODEL"):
        await sut.reply(KEY, [], "q")


async def test_the_key_never_reaches_messages_or_logs(
    gemini_server: FakeGemini, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[DomainError] = []
    secret = "gm-key-secret-123456"
    gemini_server.keys.add(secret)
    sut = create_sut(gemini_server, http)
    with structlog.testing.capture_logs() as events:
        gemini_server.fail_next(503, times=5)
        gemini_server.quota_next(5, retry_delay="0.01s")
        for key in (secret, secret, "gm-key-secret-wrong"):
            try:
                await sut.reply(key, [], "q")
            except DomainError as error:
                errors.append(error)
    assert len(errors) == 3
    assert events  # the retries were logged
    texts = [caplog.text, *map(str, events)]
    texts += [f"{e!s} {e.details} {e.__cause__!s}" for e in errors]
    assert not [text for text in texts if "gm-key-secret" in text]
