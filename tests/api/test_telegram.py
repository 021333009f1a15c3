"""Telegram over HTTP, against a fake Bot API on loopback: sending (stored once Telegram
accepted it), syncing what reached the bot (a queued job), and reading chats and messages."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from structlog.testing import capture_logs

from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api
from tests.fakes.telegram import TOKEN, FakeTelegram, serve_fake_telegram

BASE = "/api/v1/telegram"
GROUP, PERSON = -1001234567890, 555001
DAY_S = 86_400


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with serve_fake_telegram() as fake:
        yield fake


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings], sqlite_url: str, telegram: FakeTelegram
) -> AsyncIterator[Api]:
    settings = make_settings(
        DATABASE_URL=sqlite_url, TELEGRAM_API_URL=telegram.url, TELEGRAM_BOT_TOKEN=TOKEN
    )
    async for value in create_api(settings):
        yield value


async def send(api: Api, role: str = "hr", **body: Any) -> Any:
    return await api.client.post(f"{BASE}/send-message/", json=body, headers=api.auth(role))


async def get(api: Api, path: str, role: str = "hr", **params: Any) -> Any:
    response = await api.client.get(f"{BASE}{path}", params=params, headers=api.auth(role))
    assert response.status_code == 200, response.text
    return response.json()


async def sync(api: Api, **body: Any) -> Any:
    """Ask for a sync and wait until the queued job has run."""
    response = await api.client.post(f"{BASE}/sync/", json=body, headers=api.auth("hr"))
    assert response.status_code == 202, response.text
    queue = api.container.job_queue()
    assert isinstance(queue, InProcessJobQueue)
    await api.in_app(queue.drain)
    return response.json()


async def texts(api: Api, **params: Any) -> list[str]:
    return [m["text"] for m in (await get(api, "/messages/", **params))["results"]]


async def test_a_sent_message_is_stored_once_telegram_accepted_it(
    api: Api, telegram: FakeTelegram
) -> None:
    response = await send(
        api, chat_id=str(GROUP), message="<b>Новый</b> кандидат", parse_mode="HTML"
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["success"], body["message_id"]) == (True, 1)
    assert [(m["chat"]["id"], m["parse_mode"]) for m in telegram.sent] == [(GROUP, "HTML")]
    stored = await get(api, f"/messages/{body['id']}/")
    assert stored == {
        "id": body["id"],
        "chat": body["chat"],
        "message_id": "1",
        "text": "Новый кандидат",
        "message_type": "text",
        "date": stored["date"],
        "sender_id": "123456",
        "sender_name": "HR Bot",
        "reply_to_message_id": None,
        "outgoing": True,
        "edited": False,
    }
    chat = await get(api, f"/chats/{body['chat']}/")
    assert (chat["chat_id"], chat["title"], chat["chat_type"], chat["is_active"]) == (
        str(GROUP),
        "HR Notifications",
        "supergroup",
        True,
    )


async def test_a_public_username_and_a_reply_reach_the_right_chat(
    api: Api, telegram: FakeTelegram
) -> None:
    first = (await send(api, chat_id="@ivan", message="Здравствуйте")).json()
    reply = await send(api, chat_id=PERSON, message="Ещё", reply_to_message_id=first["message_id"])
    assert reply.status_code == 200, reply.text
    stored = await get(api, f"/messages/{reply.json()['id']}/")
    assert stored["reply_to_message_id"] == str(first["message_id"])
    assert [m["chat"]["id"] for m in telegram.sent] == [PERSON, PERSON]
    chats = await get(api, "/chats/")
    assert [(c["chat_id"], c["title"]) for c in chats["results"]] == [(str(PERSON), "Иван Иванов")]


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"chat_id": GROUP, "message": "<b>open", "parse_mode": "HTML"}, 400, "can't parse"),
        ({"chat_id": 42, "message": "hi"}, 404, "not found"),
        ({"chat_id": GROUP, "message": "hi", "reply_to_message_id": 99}, 400, "replied"),
        ({"chat_id": GROUP, "message": "hi", "parse_mode": "BBCode"}, 400, "parse_mode"),
        ({"chat_id": "no spaces allowed", "message": "hi"}, 400, "chat_id"),
        ({"chat_id": GROUP, "message": ""}, 400, "message"),
    ],
)
async def test_a_refused_message_is_a_clear_error_and_nothing_is_stored(
    api: Api, body: dict[str, Any], status: int, fragment: str
) -> None:
    response = await send(api, **body)
    assert response.status_code == status, response.text
    error = response.json()
    assert set(error) == {"error", "message", "details"}
    assert fragment in (error["message"] + str(error["details"]))
    assert (await get(api, "/messages/"))["count"] == 0


async def test_telegram_asking_to_wait_long_is_a_429_with_retry_after(
    api: Api, telegram: FakeTelegram
) -> None:
    telegram.fail_next("sendMessage", 429, retry_after=300)
    response = await send(api, chat_id=GROUP, message="hi")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "300"
    assert response.json()["details"]["retry_after"] == 300
    assert telegram.sent == []


async def test_a_chat_that_blocked_the_bot_turns_inactive_until_it_writes_again(
    api: Api, telegram: FakeTelegram
) -> None:
    assert (await send(api, chat_id=PERSON, message="Здравствуйте")).status_code == 200
    telegram.blocked.add(PERSON)
    refused = await send(api, chat_id=PERSON, message="Ещё раз")
    assert refused.status_code == 502
    assert "blocked" in refused.json()["message"]
    [chat] = (await get(api, "/chats/"))["results"]
    assert chat["is_active"] is False
    assert (await get(api, "/chats/", is_active="false"))["count"] == 1
    telegram.blocked.clear()
    telegram.incoming(PERSON, "Я вернулся")
    await sync(api)
    assert (await get(api, f"/chats/{chat['id']}/"))["is_active"] is True


async def test_sync_stores_new_chats_and_messages_within_days_back(
    api: Api, telegram: FakeTelegram
) -> None:
    # Given messages that reached the bot: two recent, one from ten days ago
    now = int(time.time())
    telegram.incoming(GROUP, "Новый кандидат: Анна")
    telegram.incoming(PERSON, "Пришлите резюме", date=now - DAY_S)
    telegram.incoming(GROUP, "Старое сообщение", date=now - 10 * DAY_S)
    # When HR syncs the last week
    queued = await sync(api, days_back=7)
    # Then the chats and the recent messages are stored, newest first; the old one is not
    assert queued["success"] is True
    assert queued["job_id"]
    assert await texts(api) == ["Новый кандидат: Анна", "Пришлите резюме"]
    chats = {c["chat_id"]: c["id"] for c in (await get(api, "/chats/"))["results"]}
    assert set(chats) == {str(GROUP), str(PERSON)}
    assert await texts(api, chat=chats[str(PERSON)]) == ["Пришлите резюме"]
    assert await texts(api, search="кандидат") == ["Новый кандидат: Анна"]
    # And the next sync confirms what was read and stores only what is new
    telegram.incoming(PERSON, "Готово")
    await sync(api)
    polls = telegram.calls("getUpdates")
    assert "offset" not in polls[0].json
    assert polls[1].json["offset"] == 10004
    assert await texts(api, chat=chats[str(PERSON)]) == ["Готово", "Пришлите резюме"]
    assert (await get(api, "/messages/"))["count"] == 3


async def test_an_edited_message_updates_the_stored_one(api: Api, telegram: FakeTelegram) -> None:
    telegram.incoming(GROUP, "Встреча в 10")
    await sync(api)
    [original] = (await get(api, "/messages/"))["results"]
    edited = {
        "message_id": int(original["message_id"]),
        "chat": telegram.chats[GROUP],
        "date": int(time.time()),
        "edit_date": int(time.time()),
        "text": "Встреча в 11",
    }
    telegram.queue_update({"edited_message": edited})
    await sync(api)
    [stored] = (await get(api, "/messages/"))["results"]
    assert (stored["id"], stored["text"], stored["edited"]) == (
        original["id"],
        "Встреча в 11",
        True,
    )


async def test_chat_and_message_filters(api: Api, telegram: FakeTelegram) -> None:
    telegram.add_chat(-42, "group", title="Архив")
    photo = {
        "message_id": 1,
        "chat": telegram.chats[-42],
        "date": int(time.time()),
        "photo": [{"file_id": "x", "width": 90, "height": 90}],
        "caption": "Скан паспорта",
    }
    telegram.queue_update({"message": photo})
    telegram.incoming(PERSON, "Привет")
    await sync(api)
    groups = await get(api, "/chats/", chat_type="group")
    assert [c["title"] for c in groups["results"]] == ["Архив"]
    found = await get(api, "/chats/", search="ИВАН")
    assert [c["chat_id"] for c in found["results"]] == [str(PERSON)]
    assert await texts(api, message_type="photo") == ["Скан паспорта"]
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert len(await texts(api, date_from=today, date_to=today)) == 2
    assert await texts(api, date_to="2000-01-01") == []
    bad = await api.client.get(
        f"{BASE}/messages/",
        params={"date_from": today, "date_to": "2000-01-01"},
        headers=api.auth("hr"),
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("path", ["/chats/999/", "/messages/999/"])
async def test_unknown_ids_are_404(api: Api, path: str) -> None:
    response = await api.client.get(f"{BASE}{path}", headers=api.auth("admin"))
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


async def test_days_back_out_of_range_is_a_400(api: Api, telegram: FakeTelegram) -> None:
    response = await api.client.post(f"{BASE}/sync/", json={"days_back": 0}, headers=api.auth("hr"))
    assert response.status_code == 400
    assert telegram.calls() == []


async def test_the_bot_token_never_reaches_answers_or_logs(
    api: Api, telegram: FakeTelegram
) -> None:
    telegram.fail_next("sendMessage", 401)
    with capture_logs() as logs:
        response = await send(api, chat_id=GROUP, message="hi")
    assert response.status_code == 502
    assert "TELEGRAM_BOT_TOKEN" in response.json()["message"]
    assert TOKEN not in response.text
    assert TOKEN.split(":")[1] not in repr(logs)


async def test_without_a_bot_token_the_answer_says_what_to_set(
    make_settings: Callable[..., Settings], sqlite_url: str, telegram: FakeTelegram
) -> None:
    settings = make_settings(DATABASE_URL=sqlite_url, TELEGRAM_API_URL=telegram.url)
    async for api in create_api(settings):
        sent = await send(api, chat_id=GROUP, message="hi")
        synced = await api.client.post(f"{BASE}/sync/", json={}, headers=api.auth("hr"))
        for response in (sent, synced):
            assert response.status_code == 502
            assert "TELEGRAM_BOT_TOKEN" in response.json()["message"]
    assert telegram.calls() == []
