"""The Huntflow endpoints over HTTP, against the fake Huntflow on loopback: tokens set through
the users endpoint (never echoed in clear), the spec's answers, and errors in the spec's
``{error, message, details}`` shape."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api
from tests.fakes.huntflow import FakeHuntflow, serve_fake_huntflow


@pytest.fixture
def huntflow() -> Iterator[FakeHuntflow]:
    with serve_fake_huntflow() as fake:
        yield fake


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings], sqlite_url: str, huntflow: FakeHuntflow
) -> AsyncIterator[Api]:
    settings = make_settings(
        DATABASE_URL=sqlite_url,
        HUNTFLOW_API_URL="http://127.0.0.1:9/v2",  # prod is never used unless chosen
        HUNTFLOW_SANDBOX_API_URL=huntflow.url,
    )
    async for value in create_api(settings):
        yield value


async def connect(api: Api, access: str, refresh: str, role: str = "hr") -> dict[str, object]:
    user_id = api.users[role].pk
    response = await api.client.patch(
        f"/api/users/{user_id}/",
        json={"huntflow_api_key": access, "huntflow_refresh_token": refresh},
        headers=api.auth(role),
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_tokens_set_through_the_users_endpoint_open_the_connection(
    api: Api, huntflow: FakeHuntflow
) -> None:
    access, refresh = huntflow.issue_tokens()
    body = await connect(api, access, refresh)
    assert body["huntflow_api_key"] == "••••" + access[-4:]
    assert body["huntflow_api_key_set"] is True
    assert body["huntflow_refresh_token_set"] is True
    assert body["huntflow_active_system"] == "sandbox"
    again = await api.client.get(f"/api/users/{api.users['hr'].pk}/", headers=api.auth("hr"))
    for text in (str(body), again.text):
        assert access not in text
        assert refresh not in text
    # and the connection check answers as the spec shows
    response = await api.client.post("/api/huntflow/test-connection/", headers=api.auth("hr"))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "success": True,
        "message": "Подключение успешно",
        "accounts": [{"id": 1, "name": "Acme"}, {"id": 2, "name": "Beta"}],
    }
    assert [e.path for e in huntflow.requests("GET")] == ["/v2/me", "/v2/accounts"]
    assert {e.headers["authorization"] for e in huntflow.journal} == {f"Bearer {access}"}
    # and so do the organisations and all pages of one organisation's vacancies
    accounts = await api.client.get("/api/huntflow/accounts/", headers=api.auth("hr"))
    vacancies = await api.client.get("/api/huntflow/accounts/1/vacancies/", headers=api.auth("hr"))
    assert accounts.json() == {
        "items": [
            {"id": 1, "name": "Acme", "type": "company"},
            {"id": 2, "name": "Beta", "type": "company"},
        ]
    }
    items = vacancies.json()["items"]
    assert [v["id"] for v in items] == list(range(101, 172))  # 71 vacancies over 3 pages
    assert {k: items[0][k] for k in ("id", "position", "state")} == {
        "id": 101,
        "position": "Vacancy 1",
        "state": "CLOSED",
    }


async def test_without_credentials_the_answer_says_how_to_set_them(
    api: Api, huntflow: FakeHuntflow
) -> None:
    for path in ("/api/huntflow/accounts/", "/api/huntflow/accounts/1/vacancies/"):
        response = await api.client.get(path, headers=api.auth("admin"))
        body = response.json()
        assert response.status_code == 400
        assert body["error"] == "ValidationError"
        assert "PATCH /api/users/{id}/" in body["message"]
        assert "huntflow_api_key" in body["message"]
        assert body["details"] == {"huntflow_api_key": ["Not set for the active Huntflow system."]}
    assert huntflow.journal == []


async def test_remote_refusals_become_clear_errors(api: Api, huntflow: FakeHuntflow) -> None:
    await connect(api, *huntflow.issue_tokens())
    forbidden = await api.client.get("/api/huntflow/accounts/99/vacancies/", headers=api.auth("hr"))
    missing = await api.client.get(
        "/api/huntflow/accounts/12345/vacancies/", headers=api.auth("hr")
    )
    huntflow.fail_next(
        "/accounts", 503, times=10, text="<html>down</html>", headers={"Retry-After": "0"}
    )
    down = await api.client.get("/api/huntflow/accounts/", headers=api.auth("hr"))
    assert (forbidden.status_code, forbidden.json()["error"]) == (502, "OutsideServiceError")
    assert "No access to this Huntflow account" in forbidden.json()["message"]
    assert (missing.status_code, missing.json()["message"]) == (404, "Huntflow account not found.")
    assert down.status_code == 503
    assert down.json()["error"] == "ServiceUnavailable"
    assert down.json()["details"]["status"] == 503
    # When the stored pair is wrong
    await connect(api, "hf-a-wrong-0000000000", "hf-r-wrong-1111111111")
    response = await api.client.post("/api/huntflow/test-connection/", headers=api.auth("hr"))
    assert response.status_code == 502
    assert response.json()["error"] == "OutsideServiceError"
    assert "Settings → API" in response.json()["message"]
    assert "wrong" not in response.text


async def test_a_token_pair_huntflow_rejects_is_its_refusal_when_listing_accounts(
    api: Api, huntflow: FakeHuntflow
) -> None:
    await connect(api, "hf-a-wrong-0000000000", "hf-r-wrong-1111111111")
    accounts = await api.client.get("/api/huntflow/accounts/", headers=api.auth("hr"))
    assert (accounts.status_code, accounts.json()["error"]) == (502, "OutsideServiceError")
    assert "wrong" not in accounts.text
