"""OWASP-style checks: mass assignment, oversized and malformed bodies, ids beyond BIGINT, and
one user reaching another's integration objects (IDOR), each answered in the error format."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from hrhelper.domain.ai.model import ChatSession
from hrhelper.domain.identity.model import Role
from hrhelper.domain.recruiting.clickup_model import CachedTask, SyncLog, SyncStatus
from hrhelper.settings import Settings
from tests.api.conftest import PASSWORD, Api, create_api

BEYOND_BIGINT = 2**63
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
BODY_LIMIT = 64 * 1024


@pytest.fixture
async def api(make_settings: Callable[..., Settings], sqlite_url: str) -> AsyncIterator[Api]:
    settings = make_settings(DATABASE_URL=sqlite_url, MAX_REQUEST_BODY_BYTES=str(BODY_LIMIT))
    async for value in create_api(settings):
        yield value


def assert_error(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == kind
    return dict(body)


# -- mass assignment ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["hr", "user"])
@pytest.mark.parametrize("field", [{"role": "admin"}, {"is_active": False}, {"is_verified": True}])
async def test_owners_cannot_grant_themselves_privileges(
    api: Api, role: str, field: dict[str, Any]
) -> None:
    me = api.users[role].pk
    for method in ("PATCH", "PUT"):
        response = await api.client.request(
            method, f"/api/users/{me}/", json={"first_name": "Eve", **field}, headers=api.auth(role)
        )
        # refused as a whole, naming the field: nothing of the body is applied
        body = assert_error(response, 403, "PermissionDenied")
        assert list(body["details"]) == list(field)
    stored = (await api.client.get(f"/api/users/{me}/", headers=api.auth(role))).json()
    assert stored["role"] == role
    assert stored["is_active"] is True
    assert stored["first_name"] != "Eve"


@pytest.mark.parametrize("field", ["is_staff", "is_superuser", "id", "date_joined"])
async def test_fields_the_api_does_not_know_are_a_400(api: Api, field: str) -> None:
    me = api.users["user"].pk
    response = await api.client.patch(
        f"/api/users/{me}/", json={field: True}, headers=api.auth("user")
    )
    assert_error(response, 400, "ValidationError")
    # the HR manager's own profile takes names and profile fields only
    response = await api.client.patch(
        "/api/auth/hr/me/", json={"role": "admin"}, headers=api.auth("hr")
    )
    assert_error(response, 400, "ValidationError")


async def test_the_candidate_profile_form_changes_only_its_own_fields(api: Api) -> None:
    profile = (await api.client.get("/api/auth/profile/", headers=api.auth("user"))).json()
    response = await api.client.patch(
        f"/api/auth/profile/{profile['id']}/",
        data={"bio": "hello", "role": "admin", "is_active": "false", "user": "1"},
        files={"unused": ("x.txt", b"x", "text/plain")},
        headers=api.auth("user"),
    )
    # a form is not a JSON document: fields it does not have are not read at all
    assert response.status_code == 200, response.text
    me = (await api.client.get("/api/auth/me/", headers=api.auth("user"))).json()
    assert (me["role"], me["is_active"]) == ("user", True)


# -- bodies ---------------------------------------------------------------------------------


async def test_an_oversized_json_body_is_413(api: Api) -> None:
    me = api.users["hr"].pk
    response = await api.client.patch(
        f"/api/users/{me}/",
        content=b'{"first_name": "' + b"a" * BODY_LIMIT + b'"}',
        headers={"content-type": "application/json", **api.auth("hr")},
    )
    assert_error(response, 413, "RequestTooLarge")


async def test_an_oversized_upload_is_413(api: Api) -> None:
    profile = (await api.client.get("/api/auth/profile/", headers=api.auth("user"))).json()
    response = await api.client.patch(
        f"/api/auth/profile/{profile['id']}/",
        files={"resume": ("cv.txt", b"a" * (BODY_LIMIT + 1), "text/plain")},
        headers=api.auth("user"),
    )
    assert_error(response, 413, "RequestTooLarge")


async def test_a_json_route_refuses_a_body_that_does_not_say_it_is_json(api: Api) -> None:
    # a cross-site form (text/plain, urlencoded) could otherwise sign a visitor in as the
    # sender: the body is refused before anything is checked, and no session is opened
    body = ('{"email": "hr@example.com", "password": "' + PASSWORD + '"}').encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": content_type} if content_type else {}
        response = await api.client.post("/api/auth/login/", content=body, headers=headers)
        assert_error(response, 415, "UnsupportedMediaType")
        assert "set-cookie" not in response.headers
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = await api.client.post(
            "/api/auth/login/", content=body, headers={"content-type": content_type}
        )
        assert response.status_code == 200, (content_type, response.text)
        api.client.cookies.clear()


async def test_malformed_json_is_400(api: Api) -> None:
    me = api.users["hr"].pk
    for content in (b"{not json", b'{"first_name": "a",}', b"\xff\xfe{}", b"[]", b"null"):
        response = await api.client.patch(
            f"/api/users/{me}/",
            content=content,
            headers={"content-type": "application/json", **api.auth("hr")},
        )
        assert_error(response, 400, "ValidationError")


@pytest.mark.parametrize(
    ("path", "field", "wrong", "right"),
    [
        ("/api/vacancies/", "is_active", 0, False),
        ("/api/vacancies/", "recruiter", "1", 1),
        ("/api/interviewers/", "experience_years", "5", 5),
        ("/api/interviewers/", "is_active", "false", False),
    ],
)
async def test_json_values_of_another_type_are_not_coerced(
    api: Api, path: str, field: str, wrong: object, right: object
) -> None:
    """JSON has booleans and numbers of its own: 0 is not false and "5" is not 5, as the
    schema says (query strings and forms, which are text, are still read as text)."""
    body = {"name": "Go Developer"} if path == "/api/vacancies/" else {"user": 1}
    before = (await api.client.get(path, headers=api.auth("admin"))).json()["count"]
    response = await api.client.post(path, json={**body, field: wrong}, headers=api.auth("admin"))
    error = assert_error(response, 400, "ValidationError")
    assert field in str(error["details"]), error
    after = (await api.client.get(path, headers=api.auth("admin"))).json()["count"]
    assert after == before
    # the same document with a value of the right type is taken
    response = await api.client.post(path, json={**body, field: right}, headers=api.auth("admin"))
    assert response.status_code == 201, response.text
    assert response.json()[field] == right


async def test_a_whole_number_written_with_a_fraction_is_an_integer(api: Api) -> None:
    # JSON Schema counts 5.0 as an integer; 5.5 is not one
    body = {"user": api.users["hr"].pk}
    response = await api.client.post(
        "/api/interviewers/", json={**body, "experience_years": 5.5}, headers=api.auth("admin")
    )
    assert_error(response, 400, "ValidationError")
    response = await api.client.post(
        "/api/interviewers/", json={**body, "experience_years": 5.0}, headers=api.auth("admin")
    )
    assert response.status_code == 201, response.text
    assert response.json()["experience_years"] == 5


async def test_text_that_is_not_utf8_in_a_form_is_400(api: Api) -> None:
    profile = (await api.client.get("/api/auth/profile/", headers=api.auth("user"))).json()
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="bio"\r\n\r\n'.encode()
        + b"\xff\xfe\xc3("
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = await api.client.patch(
        f"/api/auth/profile/{profile['id']}/",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}", **api.auth("user")},
    )
    assert_error(response, 400, "ValidationError")


# -- ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/users/{id}/"),
        ("PATCH", "/api/users/{id}/"),
        ("DELETE", "/api/users/{id}/"),
        ("GET", "/api/vacancies/{id}/"),
        ("GET", "/api/interviewers/{id}/"),
        ("GET", "/api/v1/finance/grades/{id}/"),
        ("POST", "/api/auth/hr/{id}/toggle_active/"),
        ("GET", "/api/v1/telegram/chats/{id}/"),
        ("GET", "/api/v1/google-oauth/oauth-accounts/{id}/"),
        ("GET", "/api/gemini/sessions/{id}/messages/"),
    ],
)
async def test_path_ids_beyond_bigint_are_404(api: Api, method: str, path: str) -> None:
    for number in (BEYOND_BIGINT, -BEYOND_BIGINT - 1, 10**40):
        response = await api.client.request(
            method, path.format(id=number), json={}, headers=api.auth("admin")
        )
        assert_error(response, 404, "NotFound")


async def test_query_numbers_beyond_bigint_are_400(api: Api) -> None:
    for path, name in (
        ("/api/vacancies/", "recruiter"),
        ("/api/v1/telegram/messages/", "chat"),
        ("/api/v1/google-oauth/calendar-events/", "oauth_account"),
    ):
        response = await api.client.get(
            path, params={name: BEYOND_BIGINT}, headers=api.auth("admin")
        )
        assert_error(response, 400, "ValidationError")


# -- IDOR: one HR manager reaching another's integration objects ------------------------------


async def _second_hr(api: Api) -> None:
    users = api.container.user_service()
    view = await api.in_app(
        users.create,
        api.users["admin"],
        {"email": "hr2@example.com", "role": Role.HR.value},
        PASSWORD,
    )
    api.users["hr2"] = view.user
    api.tokens["hr2"] = await api.sign_in("hr2@example.com")


async def _seed_first_hrs_objects(api: Api) -> dict[str, Any]:
    owner = api.users["hr"].pk

    async def seed() -> dict[str, Any]:
        async with api.container.uow() as uow:
            session = await uow.chats.add_session(ChatSession(owner, "Plans", NOW, NOW))
            await uow.clickup_tasks.upsert(
                CachedTask(owner, "task-1", "Olga Python", "https://app.clickup.com/t/1", NOW)
            )
            await uow.clickup_sync_logs.add(SyncLog(owner, SyncStatus.SUCCESS, NOW))
            await uow.commit()
        return {"session": session.pk, "task": "task-1"}

    return await api.in_app(seed)


async def test_a_second_hr_manager_cannot_reach_the_firsts_objects(api: Api) -> None:
    seeded = await _seed_first_hrs_objects(api)
    await _second_hr(api)
    first = api.users["hr"].pk
    # the owner sees them
    own = await api.client.get(
        f"/api/gemini/sessions/{seeded['session']}/messages/", headers=api.auth("hr")
    )
    assert own.status_code == 200
    task = f"/api/v1/clickup-int/tasks/{seeded['task']}/"
    assert (await api.client.get(task, headers=api.auth("hr"))).status_code == 200
    # the other HR manager gets 404 on each, and empty lists
    for path in (f"/api/gemini/sessions/{seeded['session']}/messages/", task):
        assert_error(await api.client.get(path, headers=api.auth("hr2")), 404, "NotFound")
    for path in (
        "/api/gemini/sessions/",
        "/api/v1/clickup-int/tasks/",
        "/api/v1/clickup-int/sync-logs/",
        "/api/v1/google-oauth/oauth-accounts/",
        "/api/v1/telegram/chats/",
    ):
        listed = (await api.client.get(path, headers=api.auth("hr2"))).json()
        items = listed["results"] if isinstance(listed, dict) else listed
        assert items == [], path
    # writing into another's chat session is 404 too
    write = await api.client.post(
        "/api/gemini/chat/",
        json={"message": "hi", "session_id": seeded["session"]},
        headers=api.auth("hr2"),
    )
    assert write.status_code in (400, 404)  # no key of one's own is checked first, or 404
    # and another's integration credentials cannot be set or replaced
    for key in ("huntflow_api_key", "clickup_api_key", "gemini_api_key"):
        response = await api.client.patch(
            f"/api/users/{first}/", json={key: "stolen-0123456789"}, headers=api.auth("hr2")
        )
        assert_error(response, 404, "NotFound")
