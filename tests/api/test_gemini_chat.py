"""The Gemini chat over HTTP, against a fake Gemini on loopback: sessions, history sent to the
model, failures that keep the question, and sessions that belong to their user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from structlog.testing import capture_logs

from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api
from tests.fakes.gemini import FakeGemini, serve_fake_gemini

CHAT, SESSIONS = "/api/gemini/chat/", "/api/gemini/sessions/"
KEY = "gm-key-valid"


@pytest.fixture
def gemini() -> Iterator[FakeGemini]:
    with serve_fake_gemini() as fake:
        yield fake


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings], sqlite_url: str, gemini: FakeGemini
) -> AsyncIterator[Api]:
    settings = make_settings(DATABASE_URL=sqlite_url, GEMINI_API_URL=gemini.url)
    async for value in create_api(settings):
        yield value


async def set_key(api: Api, role: str, key: str = KEY) -> None:
    user_id = api.users[role].pk
    response = await api.client.patch(
        f"/api/users/{user_id}/", json={"gemini_api_key": key}, headers=api.auth(role)
    )
    assert response.status_code == 200, response.text
    assert key not in response.text


async def chat(api: Api, role: str, message: str, session_id: int | None = None) -> Any:
    body: dict[str, Any] = {"message": message}
    if session_id is not None:
        body["session_id"] = session_id
    return await api.client.post(CHAT, json=body, headers=api.auth(role))


async def messages_of(api: Api, role: str, session_id: int) -> list[tuple[str, str]]:
    response = await api.client.get(f"{SESSIONS}{session_id}/messages/", headers=api.auth(role))
    assert response.status_code == 200, response.text
    return [(m["role"], m["content"]) for m in response.json()["results"]]


def sent_contents(gemini: FakeGemini) -> list[list[tuple[str, list[str]]]]:
    return [
        [(c["role"], [p["text"] for p in c["parts"]]) for c in call.json["contents"]]
        for call in gemini.calls()
    ]


async def test_without_a_key_the_answer_says_how_to_set_it_and_nothing_is_kept(
    api: Api, gemini: FakeGemini
) -> None:
    response = await chat(api, "hr", "Hello?")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ValidationError"
    assert "gemini_api_key" in body["message"]
    assert f"PATCH /api/users/{api.users['hr'].pk}/" in body["message"]
    assert gemini.calls() == []
    listed = await api.client.get(SESSIONS, headers=api.auth("hr"))
    assert listed.json() == []


async def test_a_conversation_keeps_its_history_and_sends_it_with_each_question(
    api: Api, gemini: FakeGemini
) -> None:
    # Given HR with a Gemini key
    await set_key(api, "hr")
    # When they start a chat and then follow up in the same session
    gemini.answer_next("Python is a language.")
    first = await chat(api, "hr", "What is Python?")
    assert first.status_code == 200, first.text
    session_id = first.json()["session_id"]
    assert first.json() == {
        "success": True,
        "response": "Python is a language.",
        "session_id": session_id,
    }
    second = await chat(api, "hr", "And Go?", session_id)
    # Then the second call carried the history once, then the new question once
    assert second.json() == {
        "success": True,
        "response": "Answer to: And Go?",
        "session_id": session_id,
    }
    assert sent_contents(gemini) == [
        [("user", ["What is Python?"])],
        [
            ("user", ["What is Python?"]),
            ("model", ["Python is a language."]),
            ("user", ["And Go?"]),
        ],
    ]
    assert all(call.headers["x-goog-api-key"] == KEY for call in gemini.calls())
    assert "gemini-3.5-flash:generateContent" in gemini.calls()[0].path
    # And both questions and answers are stored, counted in the session list
    assert await messages_of(api, "hr", session_id) == [
        ("user", "What is Python?"),
        ("model", "Python is a language."),
        ("user", "And Go?"),
        ("model", "Answer to: And Go?"),
    ]
    listed = (await api.client.get(SESSIONS, headers=api.auth("hr"))).json()
    assert [(s["id"], s["message_count"], s["title"]) for s in listed] == [
        (session_id, 4, "What is Python?")
    ]


async def test_each_chat_without_a_session_id_starts_a_new_session(
    api: Api, gemini: FakeGemini
) -> None:
    await set_key(api, "hr")
    one = (await chat(api, "hr", "one")).json()["session_id"]
    two = (await chat(api, "hr", "two")).json()["session_id"]
    assert one != two
    assert sent_contents(gemini)[1] == [("user", ["two"])]
    listed = (await api.client.get(SESSIONS, headers=api.auth("hr"))).json()
    assert [(s["id"], s["message_count"]) for s in listed] == [(two, 2), (one, 2)]


async def test_a_spent_quota_is_a_429_and_the_question_is_kept(
    api: Api, gemini: FakeGemini
) -> None:
    await set_key(api, "hr")
    gemini.quota_next(per_day=True)
    response = await chat(api, "hr", "Lots of questions")
    assert response.status_code == 429
    body = response.json()
    assert body["error"] == "Throttled"
    assert set(body) == {"error", "message", "details"}
    session_id = body["details"]["session_id"]
    assert await messages_of(api, "hr", session_id) == [("user", "Lots of questions")]
    # The next question in that session carries the unanswered one as context
    retried = await chat(api, "hr", "Still there?", session_id)
    assert retried.status_code == 200, retried.text
    assert sent_contents(gemini)[-1] == [("user", ["Lots of questions", "Still there?"])]


@pytest.mark.parametrize("block", ["prompt", "answer"])
async def test_a_safety_block_is_a_clear_error_and_the_question_is_kept(
    api: Api, gemini: FakeGemini, block: str
) -> None:
    await set_key(api, "hr")
    if block == "prompt":
        gemini.block_prompt_next("SAFETY")
    else:
        gemini.block_answer_next("SAFETY")
    response = await chat(api, "hr", "Something dubious")
    assert response.status_code == 502
    body = response.json()
    assert body["error"] == "OutsideServiceError"
    assert body["details"]["reason"] == "SAFETY"
    assert await messages_of(api, "hr", body["details"]["session_id"]) == [
        ("user", "Something dubious")
    ]


async def test_a_key_gemini_refuses_is_a_400_and_never_echoed(api: Api, gemini: FakeGemini) -> None:
    await set_key(api, "admin", "gm-key-revoked-1234567")
    with capture_logs() as logs:
        response = await chat(api, "admin", "Hi")
    assert response.status_code == 400
    assert "gemini_api_key" in response.json()["message"]
    assert "gm-key-revoked" not in response.text
    assert "gm-key-revoked" not in repr(logs)


async def test_another_users_session_is_not_found(api: Api, gemini: FakeGemini) -> None:
    # Given HR's session
    await set_key(api, "hr")
    await set_key(api, "admin")
    session_id = (await chat(api, "hr", "private")).json()["session_id"]
    calls = len(gemini.calls())
    # When the admin reads it or writes into it
    read = await api.client.get(f"{SESSIONS}{session_id}/messages/", headers=api.auth("admin"))
    write = await chat(api, "admin", "intrude", session_id)
    # Then both are 404, nothing reached the model, nothing was added
    assert (read.status_code, write.status_code) == (404, 404)
    assert read.json()["error"] == "NotFound"
    assert len(gemini.calls()) == calls
    assert (await api.client.get(SESSIONS, headers=api.auth("admin"))).json() == []
    assert await messages_of(api, "hr", session_id) == [
        ("user", "private"),
        ("model", "Answer to: private"),
    ]


async def test_messages_are_paged(api: Api, gemini: FakeGemini) -> None:
    await set_key(api, "hr")
    session_id = (await chat(api, "hr", "q0")).json()["session_id"]
    for n in range(1, 3):
        await chat(api, "hr", f"q{n}", session_id)
    url = f"{SESSIONS}{session_id}/messages/"
    page = (await api.client.get(url, params={"page_size": 4}, headers=api.auth("hr"))).json()
    assert page["count"] == 6
    assert [m["content"] for m in page["results"]] == ["q0", "Answer to: q0", "q1", "Answer to: q1"]
    assert page["next"].endswith(f"{url}?page_size=4&page=2")
    assert all(m["session"] == session_id for m in page["results"])


@pytest.mark.parametrize("body", [{}, {"message": ""}, {"message": "x", "session_id": "one"}])
async def test_bad_input_is_a_400(api: Api, body: dict[str, Any]) -> None:
    response = await api.client.post(CHAT, json=body, headers=api.auth("hr"))
    assert response.status_code == 400
    assert response.json()["error"] == "ValidationError"
