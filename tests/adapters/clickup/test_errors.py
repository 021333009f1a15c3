"""When ClickUp says to wait, and how its refusals read."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from hrhelper.adapters.clickup.errors import error_for, wait_hint
from hrhelper.domain.errors import NotFound, OutsideServiceError

NOW = 1_800_000_000.0


def response(status: int, headers: dict[str, str] | None = None, **body: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, json=body or None)


@pytest.mark.parametrize(
    ("status", "headers", "wait"),
    [
        (429, {"X-RateLimit-Reset": str(int(NOW) + 12)}, 12.0),
        (429, {"X-RateLimit-Reset": str(int(NOW) - 5)}, 0.0),  # already reset
        (429, {"Retry-After": "3", "X-RateLimit-Reset": str(int(NOW) + 40)}, 3.0),
        (429, {"X-RateLimit-Reset": "soon"}, None),
        (429, {}, None),
        (503, {"X-RateLimit-Reset": str(int(NOW) + 12)}, None),  # a reset only explains a 429
        (503, {"Retry-After": "7"}, 7.0),
    ],
)
def test_wait_hint(status: int, headers: dict[str, str], wait: float | None) -> None:
    assert wait_hint(response(status, headers), clock=lambda: NOW) == wait


def test_retry_after_as_an_http_date() -> None:
    headers = {"Retry-After": email.utils.formatdate(NOW + 20, usegmt=True)}
    assert wait_hint(response(429, headers), clock=lambda: NOW) == pytest.approx(20.0)


def test_a_bad_token_and_a_foreign_workspace_read_differently() -> None:
    token = error_for(response(401, err="Token invalid", ECODE="OAUTH_025"), "x")
    missing = error_for(response(401, err="Authorization header required", ECODE="OAUTH_017"), "x")
    foreign = error_for(response(401, err="Team not authorized", ECODE="OAUTH_027"), "x")
    assert isinstance(token, OutsideServiceError)
    assert token.message.startswith("ClickUp rejected the API token.")
    assert missing.message == token.message
    assert "no access to this workspace" in foreign.message
    assert foreign.details == {"status": 401, "error": "Team not authorized", "code": "OAUTH_027"}


def test_not_found_and_other_refusals() -> None:
    gone = error_for(response(404, err="Task not found, deleted", ECODE="ITEM_013"), "No task.")
    odd = error_for(httpx.Response(418, text="<html>teapot</html>"), "No task.")
    assert isinstance(gone, NotFound)
    assert gone.message == "No task."
    assert odd.message == "ClickUp refused the request: HTTP 418."
    assert odd.details == {"status": 418}
