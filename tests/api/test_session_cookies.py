"""Browsers authenticate with the session cookie; unsafe requests then need the CSRF header
(double submit), except on public routes, which never act on the cookie's authority."""

from __future__ import annotations

from tests.api.conftest import PASSWORD, Api

PROFILE = "/api/auth/hr/me/"


async def browser_sign_in(api: Api, email: str) -> str:
    """Sign in and keep the cookies, as a browser does; answers the CSRF cookie's value."""
    response = await api.client.post(
        "/api/auth/login/", json={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert api.client.cookies.get("hrhelper_session")
    csrf = api.client.cookies.get("csrftoken")
    assert csrf
    return csrf


async def test_a_cookie_session_reads_without_and_writes_only_with_the_csrf_header(
    api: Api,
) -> None:
    csrf = await browser_sign_in(api, "hr@example.com")
    # safe methods need no header
    read = await api.client.get(PROFILE)
    assert read.status_code == 200, read.text
    # an unsafe request without the header (what a cross-site form would send) is refused
    refused = await api.client.patch(PROFILE, json={"first_name": "Mallory"})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    assert (await api.client.get("/api/auth/me/")).json()["first_name"] != "Mallory"
    # a wrong header is refused too
    wrong = await api.client.patch(
        PROFILE, json={"first_name": "Mallory"}, headers={"X-CSRFToken": csrf + "x"}
    )
    assert wrong.status_code == 403
    # with the cookie's value echoed, it goes through
    accepted = await api.client.patch(
        PROFILE, json={"first_name": "Helen"}, headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 200, accepted.text
    assert (await api.client.get("/api/auth/me/")).json()["first_name"] == "Helen"


async def test_signing_in_again_with_a_live_session_cookie_needs_no_csrf_header(
    api: Api,
) -> None:
    await browser_sign_in(api, "hr@example.com")
    # When the browser, still holding the session cookie, posts the login form again
    again = await api.client.post(
        "/api/auth/login/", json={"email": "user@example.com", "password": PASSWORD}
    )
    # Then it is served (as anonymous) and the new session belongs to the new user
    assert again.status_code == 200, again.text
    me = await api.client.get("/api/auth/me/")
    assert me.json()["email"] == "user@example.com"


async def test_a_bearer_request_needs_no_csrf_header(api: Api) -> None:
    response = await api.client.patch(PROFILE, json={"first_name": "Helen"}, headers=api.auth("hr"))
    assert response.status_code == 200, response.text
