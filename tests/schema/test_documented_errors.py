"""The error statuses the schema documents are the ones the app really answers.

Most statuses follow from what a route is (``openapi_errors``); here each of those is provoked
on every operation: a bad token (401), a role the route refuses or a session without its CSRF
token (403), an unknown id or a page past the end (404), a malformed body or query (400), an
oversized body (413), a body not sent as JSON (415), the database gone (503), every attempt
throttled (429).

What a route declares of its own (a conflict, an outside service's refusal, ...) needs a
scenario: the API tests' apps record every answer (``tests.support.answered``), and that record
must show each declared status. The other way round, every error status the tests saw a route
answer must be documented for it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from dependency_injector import providers
from litestar.testing import TestClient

from hrhelper.container import create_container
from hrhelper.entrypoints.http.app import create_app
from hrhelper.settings import Settings
from tests.schema.conftest import ROLES
from tests.support.answered import ANSWERED, SUITES, Route, record_answers, route_key
from tests.support.identity_fakes import PASSWORD, Sha256PasswordHasher

DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:9/gone"  # connections refused
UNKNOWN_ID = "999999999"
_PARAMETER = re.compile(r"\{(\w+)\}")
_METHODS = ("get", "post", "put", "patch", "delete")

# Valid bodies where a status needs one: a throttle is counted once the body parsed, and an
# unknown id is looked up once the body is valid (``{}`` is not, for these routes)
_VALID_BODIES: dict[Route, dict[str, Any]] = {
    ("PUT", "/api/users/{user_id}"): {"first_name": "Ann"},
    ("PATCH", "/api/auth/hr/{profile_id}"): {"first_name": "Ann"},
    ("POST", "/api/auth/register"): {
        "email": "new@example.com",
        "password": "Another-passw0rd",
        "password_confirm": "Another-passw0rd",
    },
    ("POST", "/api/auth/login"): {"email": "user@example.com", "password": "wrong"},
    ("POST", "/api/auth/hr/login"): {"email": "hr@example.com", "password": "wrong"},
    ("POST", "/api/auth/password-reset"): {"email": "user@example.com"},
    ("POST", "/api/auth/password-reset-confirm"): {
        "uid": "x",
        "token": "y",
        "password": "Another-passw0rd",
        "password_confirm": "Another-passw0rd",
    },
    ("POST", "/api/auth/hr/set-password"): {
        "uid": "x",
        "token": "y",
        "password": "Another-passw0rd",
        "password_confirm": "Another-passw0rd",
    },
}


class _AlwaysThrottled:
    async def hit(self, key: str, limit: int, window_s: int) -> int:
        return 60


class _Operation:
    def __init__(self, path: str, method: str, spec: dict[str, Any]) -> None:
        self.method = method.upper()
        self.spec = spec
        self.route = route_key(method, path)
        self.documented = {int(s) for s in spec.get("responses", {}) if int(s) >= 400}
        parameters = spec.get("parameters") or []
        self.query = [p for p in parameters if p.get("in") == "query"]
        types = {p["name"]: (p.get("schema") or {}).get("type") for p in parameters}
        self.url = _PARAMETER.sub(
            lambda m: UNKNOWN_ID if types.get(m.group(1)) == "integer" else "unknown", path
        )
        self.body = "requestBody" in spec

    def send(self, client: TestClient[Any], **kwargs: Any) -> int:
        return client.request(self.method, self.url, **kwargs).status_code


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _app(settings: Settings, **overrides: Any) -> Any:
    container = create_container(settings, password_hasher=Sha256PasswordHasher())
    for name, provider in overrides.items():
        getattr(container, name).override(provider)
    return record_answers(create_app(container))


@pytest.fixture(scope="module")
def served(schema_settings: Settings) -> tuple[list[_Operation], dict[str, Any]]:
    """The operations of the served schema, and per role a token and a session cookie."""
    with TestClient(_app(schema_settings)) as client:
        schema = client.get("/api/schema/").json()
        signed_in: dict[str, Any] = {}
        for role in ROLES:
            answer = client.post(
                "/api/auth/login/", json={"email": f"{role}@example.com", "password": PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            signed_in[role] = (answer.json()["tokens"]["access"], dict(answer.cookies))
            client.cookies.clear()
    operations = [
        _Operation(path, method, spec)
        for path, item in schema["paths"].items()
        for method, spec in item.items()
        if method in _METHODS
    ]
    return operations, signed_in


def _provoke_what_every_route_is(
    client: TestClient[Any], operation: _Operation, signed_in: dict[str, Any], limit: int
) -> None:
    operation.send(client, headers=_bearer("not-a-token"))
    for token, cookies in signed_in.values():
        operation.send(client, headers=_bearer(token))  # a refused role; an unknown id
        if operation.route in _VALID_BODIES:
            operation.send(client, headers=_bearer(token), json=_VALID_BODIES[operation.route])
        if operation.method != "GET":  # a session without its CSRF token
            client.cookies.update(cookies)
            operation.send(client)
            client.cookies.clear()
        if operation.body:
            operation.send(client, headers=_bearer(token), json=[])
            as_text = {**_bearer(token), "Content-Type": "text/plain"}
            operation.send(client, headers=as_text, content=b"{}")
            operation.send(client, headers=_bearer(token), content=b"x" * (limit + 1))
        for parameter in operation.query:
            bad = "999999" if parameter["name"] == "page" else "not-valid"
            operation.send(client, headers=_bearer(token), params={parameter["name"]: bad})


def test_every_documented_error_status_is_produced(
    served: tuple[list[_Operation], dict[str, Any]], schema_settings: Settings
) -> None:
    operations, signed_in = served
    admin_token = signed_in["admin"][0]
    limit = schema_settings.max_request_body_bytes
    with TestClient(_app(schema_settings)) as client:
        for operation in operations:
            _provoke_what_every_route_is(client, operation, signed_in, limit)
            client.cookies.clear()
    throttled = {"rate_limiter": providers.Object(_AlwaysThrottled())}
    with TestClient(_app(schema_settings, **throttled)) as client:
        for operation in operations:
            body = _VALID_BODIES.get(operation.route)
            operation.send(client, headers=_bearer(admin_token), json=body)
            if body is not None:
                operation.send(client, json=body)
    dead = replace(schema_settings, database_url=DEAD_DATABASE)
    with TestClient(_app(dead)) as client:
        for operation in operations:
            operation.send(client, headers=_bearer(admin_token))

    missing = [
        f"{op.method} {op.route[1]}: {status}"
        for op in operations
        for status in sorted(op.documented - ANSWERED[op.route])
    ]
    if missing and "api" not in SUITES:
        pytest.skip("the statuses routes declare are shown by tests/api: run it in the same go")
    assert not missing, "documented, never answered:\n" + "\n".join(missing)


def test_every_error_status_answered_is_documented(
    served: tuple[list[_Operation], dict[str, Any]],
) -> None:
    operations, _ = served
    undocumented = [
        f"{op.method} {op.route[1]}: {status}"
        for op in operations
        for status in sorted(ANSWERED[op.route])
        if status >= 400 and status not in op.documented
    ]
    assert not undocumented, "answered, not documented:\n" + "\n".join(undocumented)
