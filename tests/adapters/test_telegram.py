"""TelegramBot against the fake Bot API over real HTTP: sending, updates, chats, 429 with
retry_after, refusals, pacing, and the token kept out of messages and logs."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import structlog
from redis.asyncio import Redis

from hrhelper.adapters._remote import RetryPolicy
from hrhelper.adapters.telegram.client import TelegramBot
from hrhelper.adapters.telegram.pacing import SendPacer, SharedSendPacer
from hrhelper.domain.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    OutsideServiceError,
    OutsideServiceUnavailable,
    RateLimited,
)
from tests.fakes import telegram as fake_telegram
from tests.fakes.telegram import FakeTelegram
from tests.support import services

telegram_server = fake_telegram.telegram_server

GROUP = -1001234567890
PERSON = 555001
FAST = RetryPolicy(attempts=3, backoff_s=0.01, max_backoff_s=0.05, max_wait_s=2.0)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def no_pacing() -> SendPacer:
    return SendPacer(per_second=10_000, chat_interval_s=0.0, group_per_minute=10_000)


def create_sut(fake: FakeTelegram, http: httpx.AsyncClient, **options: Any) -> TelegramBot:
    options = {"retry": FAST, "pacer": no_pacing(), **options}
    return TelegramBot(http, fake.url, fake.token, **options)


# -- sending -----------------------------------------------------------------------------


async def test_send_message_answers_the_sent_message(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    sut = create_sut(telegram_server, http)
    question = telegram_server.incoming(GROUP, "Есть кандидат?")
    assert question
    sent = await sut.send_message(
        GROUP, "<b>Новый кандидат</b> на рассмотрение", parse_mode="HTML", reply_to_message_id=1
    )
    assert sent.message_id == 2  # message ids grow per chat
    assert sent.chat.id == GROUP
    assert sent.chat.title == "HR Notifications"
    assert sent.text == "Новый кандидат на рассмотрение"
    assert sent.message_type == "text"
    assert sent.reply_to_message_id == 1
    assert sent.sender is not None
    assert sent.sender.is_bot
    (call,) = telegram_server.calls("sendMessage")
    assert call.path == f"/bot{telegram_server.token}/sendMessage"
    assert call.json == {
        "chat_id": GROUP,
        "text": "<b>Новый кандидат</b> на рассмотрение",
        "parse_mode": "HTML",
        "reply_parameters": {"message_id": 1},
    }


async def test_bad_markup_is_an_input_error_with_telegrams_description(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    sut = create_sut(telegram_server, http)
    with pytest.raises(InvalidInput) as caught:
        await sut.send_message(PERSON, "Price: 10.5!", parse_mode="MarkdownV2")
    assert "can't parse entities" in caught.value.message
    assert "reserved" in str(caught.value.details["description"])
    assert telegram_server.sent == []


@pytest.mark.parametrize(
    ("chat", "reply", "error", "words"),
    [
        (42, None, NotFound, "chat not found"),
        (PERSON, 999, InvalidInput, "message to be replied not found"),
    ],
)
async def test_refusals_become_domain_errors(
    telegram_server: FakeTelegram,
    http: httpx.AsyncClient,
    chat: int,
    reply: int | None,
    error: type[DomainError],
    words: str,
) -> None:
    sut = create_sut(telegram_server, http)
    with pytest.raises(error) as caught:
        await sut.send_message(chat, "hi", reply_to_message_id=reply)
    assert words in str(caught.value.details["description"])


async def test_a_blocked_bot_is_an_outside_refusal(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    telegram_server.blocked.add(PERSON)
    with pytest.raises(OutsideServiceError, match="blocked by the user"):
        await create_sut(telegram_server, http).send_message(PERSON, "hi")


async def test_empty_and_too_long_texts_are_refused_before_sending(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    sut = create_sut(telegram_server, http)
    for text in ("   ", "x" * 4097):
        with pytest.raises(InvalidInput):
            await sut.send_message(PERSON, text)
    assert telegram_server.calls() == []


async def test_429_waits_retry_after_then_sends_once(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    # Given Telegram limits floods and no client-side pacing
    telegram_server.flood = True
    sut = create_sut(telegram_server, http)
    # When two messages go to one chat at once
    await sut.send_message(PERSON, "one")
    await sut.send_message(PERSON, "two")
    # Then the second was refused with retry_after 1, sent again after a second, and
    # each message arrived exactly once
    assert [m["text"] for m in telegram_server.sent] == ["one", "two"]
    attempts = telegram_server.calls("sendMessage")
    assert len(attempts) == 3
    assert attempts[2].at - attempts[1].at >= 1.0


async def test_a_retry_after_longer_than_allowed_is_rate_limited(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    telegram_server.fail_next("sendMessage", 429, retry_after=35)
    with pytest.raises(RateLimited) as caught:
        await create_sut(telegram_server, http).send_message(PERSON, "hi")
    assert caught.value.retry_after == 35
    assert len(telegram_server.calls("sendMessage")) == 1


async def test_a_send_is_not_repeated_after_a_server_error(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    telegram_server.fail_next("sendMessage", 502)
    with pytest.raises(OutsideServiceUnavailable, match="may have been sent"):
        await create_sut(telegram_server, http).send_message(PERSON, "hi")
    assert len(telegram_server.calls("sendMessage")) == 1


async def test_reads_are_retried_after_server_errors(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    telegram_server.fail_next("getMe", 502, times=2)
    me = await create_sut(telegram_server, http).me()
    assert me.username == "hr_bot"
    assert len(telegram_server.calls("getMe")) == 3


async def test_pacing_keeps_a_flooding_chat_free_of_429s(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    # Given Telegram refuses a second message within a second (less some network jitter)
    telegram_server.flood = True
    telegram_server.flood_interval_s = 0.8
    sut = create_sut(telegram_server, http, pacer=SendPacer())
    # When two messages go to one chat
    for text in ("a", "b"):
        await sut.send_message(PERSON, text)
    # Then the pacer spaced them: no 429, no second attempt
    assert len(telegram_server.calls("sendMessage")) == 2
    assert [m["text"] for m in telegram_server.sent] == ["a", "b"]


async def test_pacer_limits_a_group_per_minute_and_all_chats_per_second() -> None:
    # Given a clock that only moves when the pacer sleeps
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    sut = SendPacer(
        per_second=3, chat_interval_s=0.0, group_per_minute=2, clock=lambda: now[0], sleep=sleep
    )
    # When a group gets three messages
    grants = []
    for _ in range(3):
        await sut.acquire("-100", group=True)
        grants.append(now[0])
    # Then the third waits for the minute of the first to pass
    assert grants == [0.0, 0.0, 60.0]
    # And private chats share the overall limit of three a second with it
    private = []
    for chat in range(6):
        await sut.acquire(str(chat), group=False)
        private.append(now[0])
    assert private == [60.0, 60.0, 61.0, 61.0, 61.0, 62.0]


# -- updates and chats -------------------------------------------------------------------


async def test_updates_come_once_and_an_offset_confirms_them(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    sut = create_sut(telegram_server, http)
    first = telegram_server.incoming(GROUP, "Привет")
    telegram_server.incoming(PERSON, "Hello")
    telegram_server.queue_update(
        {"my_chat_member": {"chat": {"id": -42, "type": "group", "title": "New"}, "date": 1}}
    )
    found = await sut.updates()
    assert [u.update_id for u in found] == [first, first + 1, first + 2]
    assert found[0].message is not None
    assert found[0].message.text == "Привет"
    assert found[0].message.sender is not None
    assert found[0].message.sender.username == "petr"
    assert found[1].chat is not None
    assert found[1].chat.name == "Иван Иванов"
    assert found[2].message is None
    assert found[2].chat is not None
    assert found[2].chat.title == "New"
    again = await sut.updates(offset=found[-1].update_id + 1)
    assert again == []


async def test_a_long_poll_returns_when_an_update_arrives(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    sut = create_sut(telegram_server, http)
    poll = asyncio.create_task(sut.updates(timeout_s=20))
    await asyncio.sleep(0.2)
    telegram_server.incoming(PERSON, "late")
    found = await poll
    assert [u.message.text for u in found if u.message] == ["late"]
    assert telegram_server.calls("getUpdates")[0].json["timeout"] == 20


async def test_updates_while_a_webhook_is_set_is_a_clear_conflict(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    telegram_server.webhook = True
    with pytest.raises(OutsideServiceError, match="webhook"):
        await create_sut(telegram_server, http).updates()


async def test_chat_details_and_unknown_chats(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    sut = create_sut(telegram_server, http)
    chat = await sut.chat(GROUP)
    assert (chat.id, chat.type, chat.name) == (GROUP, "supergroup", "HR Notifications")
    assert (await sut.chat("@ivan")).id == PERSON
    with pytest.raises(NotFound):
        await sut.chat(1)


async def test_a_wrong_token_says_which_setting_to_check(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    sut = TelegramBot(http, telegram_server.url, "1:wrong", retry=FAST)
    with pytest.raises(OutsideServiceError, match="TELEGRAM_BOT_TOKEN"):
        await sut.me()


async def test_the_token_never_reaches_messages_or_logs(
    telegram_server: FakeTelegram, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = telegram_server.token
    errors: list[DomainError] = []
    with structlog.testing.capture_logs() as events:
        sut = create_sut(telegram_server, http, timeout=httpx.Timeout(0.2))
        await sut.send_message(PERSON, "hi")
        telegram_server.fail_next("getMe", 500, times=3)
        telegram_server.fail_next("sendMessage", 429, retry_after=99)
        calls = [sut.me(), sut.send_message(PERSON, "x"), sut.chat(1)]
        unreachable = TelegramBot(http, "http://127.0.0.1:9", token, retry=FAST)
        calls.append(unreachable.me())
        for call in calls:
            try:
                await call
            except DomainError as error:
                errors.append(error)
    assert len(errors) == 4
    assert "HTTP Request" in caplog.text  # httpx did log the requests, masked
    assert "/bot<token>/" in caplog.text
    texts = [caplog.text, repr(sut), *map(str, events)]
    texts += [f"{e!s} {e.details} {e.__cause__!s} {e.__context__!s}" for e in errors]
    assert not [text for text in texts if token in text or "fake-bot-token" in text]


async def test_media_and_edited_messages_are_told_apart(
    telegram_server: FakeTelegram, http: httpx.AsyncClient
) -> None:
    chat = telegram_server.chats[GROUP]
    photo = {"message_id": 7, "chat": chat, "date": 1763630000, "photo": [{"file_id": "p"}]}
    telegram_server.queue_update({"message": {**photo, "caption": "Резюме"}})
    edited = {"message_id": 8, "chat": chat, "date": 1763630001, "text": "fixed"}
    telegram_server.queue_update({"edited_message": edited})
    found = await create_sut(telegram_server, http).updates()
    messages = [u.message for u in found if u.message is not None]
    assert [(m.message_type, m.text, m.edited) for m in messages] == [
        ("photo", "Резюме", False),
        ("text", "fixed", True),
    ]
    assert messages[0].date.isoformat() == "2025-11-20T09:13:20+00:00"
    assert messages[0].sender is None


async def test_shared_pacer_spaces_one_chat_across_processes() -> None:
    # Given two processes' pacers over the same Redis (keys of this test only)
    prefix = f"hrhelper-test:{uuid.uuid4().hex}:"
    client = Redis.from_url(services.test_redis_url())
    try:
        pacers = [SharedSendPacer(client, prefix=prefix) for _ in range(2)]
        # When three messages to one chat are sent through them at once
        started = time.monotonic()
        await asyncio.gather(*(pacers[n % 2].acquire("42", group=False) for n in range(3)))
        elapsed = time.monotonic() - started
        # Then they were spaced a second apart as if one process sent them (a lower bound:
        # two separate in-process pacers would let two go at once)
        assert elapsed >= 2.0
    finally:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
