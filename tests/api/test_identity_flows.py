"""The identity flows end to end over HTTP, on PostgreSQL, with mail delivered through the
outbox to a real SMTP server on loopback and Google keys served from loopback."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.settings import Settings
from tests.api.conftest import PASSWORD, Api, create_api
from tests.support.google_keys import GoogleKeys, google_key_server
from tests.support.smtp import CapturingSmtp, smtp_server

CLIENT_ID = "hrhelper-test.apps.googleusercontent.com"
NEW_PASSWORD = "Another-passw0rd"


@pytest.fixture
def smtp() -> Iterator[tuple[CapturingSmtp, str]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def google() -> Iterator[tuple[GoogleKeys, str]]:
    with google_key_server(CLIENT_ID) as server:
        yield server


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings],
    postgres_url: str,
    postgres_engine: AsyncEngine,  # empties the database after the test
    smtp: tuple[CapturingSmtp, str],
    google: tuple[GoogleKeys, str],
) -> AsyncIterator[Api]:
    settings = make_settings(
        DATABASE_URL=postgres_url,
        SMTP_URL=smtp[1],
        GOOGLE_CLIENT_ID=CLIENT_ID,
        GOOGLE_CERTS_URL=google[1],
        PUBLIC_URL="https://hr.example.com",
    )
    async for value in create_api(settings):
        yield value


async def mails_to(api: Api, smtp: CapturingSmtp, address: str, count: int = 1) -> list[str]:
    """Let the in-process jobs deliver, then read what the SMTP server received."""
    queue = api.container.job_queue()
    assert isinstance(queue, InProcessJobQueue)
    deadline = time.monotonic() + 10
    while len(smtp.bodies_to(address)) < count and time.monotonic() < deadline:
        await api.in_app(queue.drain)
        await asyncio.sleep(0.02)
    return smtp.bodies_to(address)


def link_in(body: str) -> tuple[str, dict[str, str]]:
    match = re.search(r"https://hr\.example\.com\S+", body)
    assert match, body
    parts = urlsplit(match.group(0))
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


async def test_candidate_registers_verifies_signs_in_refreshes_and_signs_out(
    api: Api, smtp: tuple[CapturingSmtp, str]
) -> None:
    client, server = api.client, smtp[0]
    # Given a new candidate
    response = await client.post(
        "/api/auth/register/",
        json={
            "email": "Ivan@Example.com",
            "first_name": "Иван",
            "last_name": "Иванов",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["role"] == "user"
    assert body["user"]["is_verified"] is False
    assert body["user"]["email"] == "ivan@example.com"
    assert set(body["tokens"]) == {"access", "refresh"}
    # When they follow the link in the mail
    [mail] = await mails_to(api, server, "ivan@example.com")
    assert PASSWORD not in mail
    path, query = link_in(mail)
    assert path == "/api/auth/verify-email/"
    assert (await client.get(path, params=query)).status_code == 200
    # Then they are verified, and the link does not work twice
    assert (await client.get(path, params=query)).status_code == 400
    login = await client.post(
        "/api/auth/login/", json={"username": "ivan@example.com", "password": PASSWORD}
    )
    assert login.status_code == 200
    assert login.json()["user"]["is_verified"] is True
    client.cookies.clear()
    first = login.json()["tokens"]
    # Refresh rotates: the new pair works, the old refresh is spent
    rotated = await client.post("/api/auth/token/refresh/", json={"refresh": first["refresh"]})
    assert rotated.status_code == 200
    second = rotated.json()
    me = await client.get("/api/auth/me/", headers={"Authorization": f"Bearer {second['access']}"})
    assert me.json()["email"] == "ivan@example.com"
    reused = await client.post("/api/auth/token/refresh/", json={"refresh": first["refresh"]})
    assert reused.status_code == 401
    assert reused.json()["error"] == "AuthenticationFailed"
    # the reuse revoked the whole family, the new refresh included
    assert (
        await client.post("/api/auth/token/refresh/", json={"refresh": second["refresh"]})
    ).status_code == 401
    # Logout blacklists the refresh it is given
    third = (
        await client.post(
            "/api/auth/login/", json={"email": "ivan@example.com", "password": PASSWORD}
        )
    ).json()
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {third['tokens']['access']}"}
    out = await client.post(
        "/api/auth/logout/", json={"refresh": third["tokens"]["refresh"]}, headers=headers
    )
    assert out.status_code == 200
    assert (
        await client.post("/api/auth/token/refresh/", json={"refresh": third["tokens"]["refresh"]})
    ).status_code == 401


async def test_admin_onboards_an_hr_who_sets_a_password_and_edits_the_profile(
    api: Api, smtp: tuple[CapturingSmtp, str]
) -> None:
    client, server = api.client, smtp[0]
    # Given an admin creating an HR manager
    created = await client.post(
        "/api/auth/hr/",
        headers=api.auth("admin"),
        json={
            "email": "maria@company.com",
            "first_name": "Мария",
            "last_name": "Петрова",
            "company": "Tech Company",
            "department": "Recruitment",
        },
    )
    assert created.status_code == 201, created.text
    hr = created.json()["hr"]
    assert hr["user"]["role"] == "hr"
    assert hr["user"]["is_verified"] is False
    assert hr["created_by"] == api.users["admin"].pk
    # The invitation carries a one-time link and no password
    [mail] = await mails_to(api, server, "maria@company.com")
    path, query = link_in(mail)
    assert path == "/auth/set-password/"
    assert "Пароль:" not in mail
    # HR cannot sign in before setting a password
    assert (
        await client.post(
            "/api/auth/hr/login/", json={"email": "maria@company.com", "password": "whatever1"}
        )
    ).status_code == 401
    weak = await client.post(
        "/api/auth/hr/set-password/",
        json={**query, "password": "short", "password_confirm": "short"},
    )
    assert weak.status_code == 400
    assert "password" in weak.json()["details"]
    done = await client.post(
        "/api/auth/hr/set-password/",
        json={**query, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert done.status_code == 200
    again = await client.post(
        "/api/auth/hr/set-password/",
        json={**query, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert again.status_code == 400
    # When the HR manager signs in
    login = await client.post(
        "/api/auth/hr/login/", json={"email": "maria@company.com", "password": NEW_PASSWORD}
    )
    assert login.status_code == 200, login.text
    assert login.json()["profile"]["company"] == "Tech Company"
    assert login.json()["user"]["is_verified"] is True
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {login.json()['tokens']['access']}"}
    # Then they can edit their profile but not their role
    patched = await client.patch(
        "/api/auth/hr/me/",
        headers=headers,
        json={"last_name": "Петрова-Сидорова", "contacts": "Telegram: @petrova_hr"},
    )
    assert patched.status_code == 200
    me = (await client.get("/api/auth/hr/me/", headers=headers)).json()
    assert (me["user_full_name"], me["contacts"]) == (
        "Мария Петрова-Сидорова",
        "Telegram: @petrova_hr",
    )
    refused = await client.patch("/api/auth/hr/me/", headers=headers, json={"role": "admin"})
    assert refused.status_code == 400
    # And deactivation signs them out at once
    toggled = await client.post(
        f"/api/auth/hr/{hr['id']}/toggle_active/", headers=api.auth("admin")
    )
    assert toggled.json() == {
        "success": True,
        "message": "The HR user is deactivated.",
        "is_active": False,
    }
    assert (await client.get("/api/auth/hr/me/", headers=headers)).status_code == 401
    assert (
        await client.post(
            "/api/auth/token/refresh/", json={"refresh": login.json()["tokens"]["refresh"]}
        )
    ).status_code == 401


async def test_password_reset_replaces_the_password_and_signs_out_everywhere(
    api: Api, smtp: tuple[CapturingSmtp, str]
) -> None:
    client, server = api.client, smtp[0]
    user = api.users["user"]
    old = (
        await client.post("/api/auth/login/", json={"email": user.email, "password": PASSWORD})
    ).json()["tokens"]
    client.cookies.clear()
    # unknown addresses get the same answer and no mail
    unknown = await client.post("/api/auth/password-reset/", json={"email": "nobody@example.com"})
    known = await client.post("/api/auth/password-reset/", json={"email": user.email})
    assert unknown.json() == known.json()
    [mail] = await mails_to(api, server, user.email)
    assert await mails_to(api, server, "nobody@example.com", 0) == []
    path, query = link_in(mail)
    assert path == "/auth/reset-password/"
    mismatch = await client.post(
        "/api/auth/password-reset-confirm/",
        json={**query, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD + "x"},
    )
    assert mismatch.json()["details"]["password_confirm"]
    confirmed = await client.post(
        "/api/auth/password-reset-confirm/",
        json={**query, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert confirmed.status_code == 200
    # the old password and the old refresh token are dead; the link is spent
    assert (
        await client.post("/api/auth/login/", json={"email": user.email, "password": PASSWORD})
    ).status_code == 401
    assert (
        await client.post("/api/auth/token/refresh/", json={"refresh": old["refresh"]})
    ).status_code == 401
    assert (
        await client.post(
            "/api/auth/password-reset-confirm/",
            json={**query, "password": PASSWORD, "password_confirm": PASSWORD},
        )
    ).status_code == 400
    assert (
        await client.post("/api/auth/login/", json={"email": user.email, "password": NEW_PASSWORD})
    ).status_code == 200


async def test_admin_reset_of_an_hr_password_mails_a_link(
    api: Api, smtp: tuple[CapturingSmtp, str]
) -> None:
    client = api.client
    created = await client.post(
        "/api/auth/hr/", headers=api.auth("admin"), json={"email": "olga@company.com"}
    )
    profile_id = created.json()["hr"]["id"]
    reset = await client.post(
        f"/api/auth/hr/{profile_id}/reset_password/", headers=api.auth("admin")
    )
    assert reset.status_code == 200
    mails = await mails_to(api, smtp[0], "olga@company.com", 2)
    paths = sorted(link_in(body)[0] for body in mails)
    assert paths == ["/auth/reset-password/", "/auth/set-password/"]


async def test_google_login_creates_a_verified_user_and_rejects_bad_tokens(
    api: Api, google: tuple[GoogleKeys, str]
) -> None:
    keys, client = google[0], api.client
    signed_in = await client.post(
        "/api/auth/google/", json={"token": keys.id_token("new.person@gmail.com")}
    )
    assert signed_in.status_code == 200, signed_in.text
    user = signed_in.json()["user"]
    assert (user["auth_type"], user["is_verified"], user["role"]) == ("google", True, "user")
    client.cookies.clear()
    # the same account links on the next sign-in; keys are cached
    again = await client.post(
        "/api/auth/google/",
        json={"token": keys.id_token("new.person@gmail.com", iss="accounts.google.com")},
    )
    assert again.json()["user"]["id"] == user["id"]
    assert keys.fetches == 1
    for bad in (
        keys.id_token("x@gmail.com", aud="someone-else"),
        keys.id_token("x@gmail.com", exp=int(time.time()) - 3600),
        keys.id_token("x@gmail.com", iss="https://evil.example.com"),
        keys.id_token("x@gmail.com")[:-4] + "AAAA",
    ):
        client.cookies.clear()
        refused = await client.post("/api/auth/google/", json={"token": bad})
        assert refused.status_code == 401, bad
    client.cookies.clear()
    unverified = await client.post(
        "/api/auth/google/", json={"token": keys.id_token("x@gmail.com", email_verified=False)}
    )
    assert unverified.status_code == 401


async def test_login_is_rate_limited_per_account(api: Api) -> None:
    # Given ten failed attempts on one account
    attempt = {"email": "ghost@example.com", "password": "wrong-pass1"}
    statuses = [
        (await api.client.post("/api/auth/login/", json=attempt)).status_code for _ in range(11)
    ]
    # Then the eleventh is refused, whatever the password and the case of the address
    assert statuses == [401] * 10 + [429]
    limited = await api.client.post(
        "/api/auth/login/", json={"email": "GHOST@example.com", "password": PASSWORD}
    )
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert limited.json()["error"] == "Throttled"


async def test_the_login_limit_per_account_is_a_setting(
    make_settings: Callable[..., Settings], sqlite_url: str
) -> None:
    settings = make_settings(DATABASE_URL=sqlite_url, LOGIN_LIMIT_PER_ACCOUNT="2/600")
    async for api in create_api(settings):
        attempt = {"email": "ghost@example.com", "password": "wrong-pass1"}
        statuses = [
            (await api.client.post("/api/auth/login/", json=attempt)).status_code for _ in range(3)
        ]
        assert statuses == [401, 401, 429]


async def test_a_password_set_by_an_admin_ends_the_users_access_tokens_at_once(api: Api) -> None:
    user = api.users["user"]
    before = await api.client.get("/api/auth/me/", headers=api.auth("user"))
    assert before.status_code == 200
    changed = await api.client.patch(
        f"/api/users/{user.pk}/", json={"password": "Brand-new-pass9"}, headers=api.auth("admin")
    )
    assert changed.status_code == 200, changed.text
    # the token issued before the change is refused, a new sign-in works
    after = await api.client.get("/api/auth/me/", headers=api.auth("user"))
    assert after.status_code == 401
    assert after.json()["error"] == "AuthenticationFailed"
    fresh = await api.sign_in(user.email, "Brand-new-pass9")
    me = await api.client.get("/api/auth/me/", headers={"Authorization": f"Bearer {fresh}"})
    assert me.status_code == 200


async def test_an_admin_cannot_delete_their_own_account(api: Api) -> None:
    admin = api.users["admin"]
    response = await api.client.delete(f"/api/users/{admin.pk}/", headers=api.auth("admin"))
    assert (response.status_code, response.json()["error"]) == (409, "Conflict")
    assert "own account" in response.json()["message"]
    still = await api.client.get("/api/auth/me/", headers=api.auth("admin"))
    assert still.status_code == 200
