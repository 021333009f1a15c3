"""Every error status leaves in the spec's format, ``{"error", "message", "details"}``, as
JSON, with no stack trace or internal detail in it."""

from __future__ import annotations

from typing import Any

from tests.http.conftest import PASSWORD, SECRET_DETAIL, Http

TRACE_MARKERS = ("Traceback", 'File "', "BoomError", SECRET_DETAIL, "litestar", ".py")


def assert_error(response: Any, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "message", "details"}, body
    assert body["error"] == kind
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["details"], dict)
    for marker in TRACE_MARKERS:
        assert marker not in response.text, marker
    return dict(body)


async def test_validation_errors_are_400_with_field_details(http: Http) -> None:
    # a required field missing and an unknown one
    response = await http.client.post("/api/auth/register/", json={"email": "a@example.com"})
    body = assert_error(response, 400, "ValidationError")
    assert body["details"], body
    # a body that is not JSON at all
    response = await http.client.post(
        "/api/auth/login/", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(response, 400, "ValidationError")
    # a rule of the domain: a weak password names the field
    response = await http.client.post(
        "/api/auth/register/",
        json={"email": "new@example.com", "password": "short", "password_confirm": "short"},
    )
    body = assert_error(response, 400, "ValidationError")
    assert "password" in body["details"]


async def test_missing_or_bad_credentials_are_401(http: Http) -> None:
    assert_error(await http.client.get("/api/auth/me/"), 401, "AuthenticationFailed")
    response = await http.client.get("/api/auth/me/", headers={"Authorization": "Bearer junk"})
    assert_error(response, 401, "AuthenticationFailed")
    response = await http.client.post(
        "/api/auth/login/", json={"email": "user@example.com", "password": "Wrong-passw0rd"}
    )
    assert_error(response, 401, "AuthenticationFailed")


async def test_a_role_without_the_right_is_403(http: Http) -> None:
    response = await http.client.get("/api/users/", headers=http.auth("user"))
    assert_error(response, 403, "PermissionDenied")


async def test_unknown_routes_and_ids_are_404(http: Http) -> None:
    for path in ("/api/no-such-thing/", "/nowhere", "/api/users/999999/"):
        assert_error(await http.client.get(path, headers=http.auth("admin")), 404, "NotFound")


async def test_a_wrong_method_is_405(http: Http) -> None:
    response = await http.client.delete("/api/health/")
    body = assert_error(response, 405, "MethodNotAllowed")
    assert "method" in body["message"].lower()


async def test_a_duplicate_is_409_naming_the_field(http: Http) -> None:
    response = await http.client.post(
        "/api/auth/register/",
        json={"email": "User@Example.com", "password": PASSWORD, "password_confirm": PASSWORD},
    )
    body = assert_error(response, 409, "Conflict")
    assert "email" in body["details"]


async def test_an_oversized_body_is_413(http: Http) -> None:
    response = await http.client.post(
        "/api/auth/login/",
        content=b'{"email": "' + b"a" * 10_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert_error(response, 413, "RequestTooLarge")


async def test_too_many_attempts_are_429_with_retry_after(http: Http) -> None:
    # Given the per-account limit is 10 sign-in attempts in 15 minutes (known or not)
    statuses = []
    for _ in range(11):
        response = await http.client.post(
            "/api/auth/login/", json={"email": "nobody@example.com", "password": "Wrong-passw0rd"}
        )
        statuses.append(response.status_code)
    # Then the eleventh is throttled, in the error format, saying when to come back
    assert statuses == [401] * 10 + [429]
    body = assert_error(response, 429, "Throttled")
    assert int(response.headers["retry-after"]) > 0
    assert body["details"]["retry_after"] == int(response.headers["retry-after"])


async def test_a_failing_handler_is_a_bare_500(http: Http) -> None:
    response = await http.client.get("/test/boom/")
    body = assert_error(response, 500, "ServerError")
    assert body == {"error": "ServerError", "message": "Internal server error.", "details": {}}
    # and the app keeps serving
    assert (await http.client.get("/api/health/")).status_code == 200
