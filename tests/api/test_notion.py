"""The Notion endpoints over HTTP on PostgreSQL, against the fake Notion and the fake Huntflow:
settings, the connection test, syncs through the in-process queue (incremental, reading only
what changed), the cached pages per user, the older paths, and a page's transfer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api
from tests.fakes.huntflow import FakeHuntflow, serve_fake_huntflow
from tests.fakes.notion import FakeNotion, block, prop, serve_fake_notion

pytestmark = pytest.mark.postgres

BASE = "/api/v1/notion-int"
T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
CV = "Olga Sidorova\nPython developer\nolga@example.com\n+375 29 765-43-21\n"


@pytest.fixture
def notion() -> Iterator[FakeNotion]:
    with serve_fake_notion() as server:
        yield server


@pytest.fixture
def huntflow() -> Iterator[FakeHuntflow]:
    with serve_fake_huntflow() as server:
        yield server


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings],
    postgres_url: str,
    postgres_engine: AsyncEngine,  # empties the database after the test
    notion: FakeNotion,
    huntflow: FakeHuntflow,
) -> AsyncIterator[Api]:
    settings = make_settings(
        DATABASE_URL=postgres_url,
        NOTION_API_URL=notion.url,
        HUNTFLOW_API_URL="http://127.0.0.1:9/v2",
        HUNTFLOW_SANDBOX_API_URL=huntflow.url,
    )
    async for value in create_api(settings):
        yield value


async def patch_me(api: Api, role: str, values: dict[str, str]) -> None:
    user_id = api.users[role].pk
    response = await api.client.patch(f"/api/users/{user_id}/", json=values, headers=api.auth(role))
    assert response.status_code == 200, response.text
    for secret in values.values():
        assert secret not in response.text


async def call(api: Api, method: str, path: str, role: str = "hr", **kwargs: Any) -> Any:
    return await api.client.request(method, BASE + path, headers=api.auth(role), **kwargs)


async def configure(api: Api, notion: FakeNotion, role: str = "hr") -> str:
    """The user's token and settings for a new shared database; answers the database id."""
    await patch_me(api, role, {"notion_integration_token": notion.issue_token()})
    database_id = notion.add_database()
    response = await call(api, "POST", "/settings/", role, json={"database_id": database_id})
    assert response.status_code == 200, response.text
    return database_id


async def sync(api: Api, role: str = "hr", path: str = BASE + "/sync-pages/") -> dict[str, Any]:
    """Start a sync, let the in-process queue run it, answer its log."""
    response = await api.client.post(path, headers=api.auth(role))
    assert response.status_code == 202, response.text
    queue = api.container.job_queue()
    assert isinstance(queue, InProcessJobQueue)
    await api.in_app(queue.drain)
    log_id = response.json()["log_id"]
    logs = (await call(api, "GET", "/sync-logs/", role)).json()["results"]
    return dict(next(log for log in logs if log["id"] == log_id))


def candidate(notion: FakeNotion, database_id: str, name: str, **extra: Any) -> str:
    properties = {"Name": prop.title(name), "Stage": prop.select("Screening", "status")}
    return notion.add_page(
        database_id,
        {**properties, **extra.pop("properties", {})},
        blocks=extra.pop("blocks", [block("paragraph", f"About {name}")]),
        created=extra.pop("created", T0),
    )


async def test_settings_are_per_user_and_missing_ones_are_named(api: Api) -> None:
    # Before saving, the settings say they are not configured; a sync says what to set
    assert (await call(api, "GET", "/settings/")).json()["configured"] is False
    response = await call(api, "POST", "/sync-pages/")
    assert response.status_code == 400
    assert "POST /api/v1/notion-int/settings/" in response.json()["details"]["database_id"][0]
    # A body without database_id is a 400 naming it, in the error format
    response = await call(api, "POST", "/settings/", json={"auto_sync": True})
    assert response.status_code == 400
    assert (response.json()["error"], list(response.json()["details"])) == (
        "ValidationError",
        ["database_id"],
    )
    assert (await call(api, "POST", "/settings/", json={"database_id": "x"})).status_code == 400
    # A link is saved as the database id, for this user only
    link = "https://www.notion.so/acme/1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6?v=77"
    body = {"database_id": link, "auto_sync": True, "sync_interval": 30}
    response = await call(api, "POST", "/settings/", json=body)
    assert response.status_code == 200, response.text
    got = (await call(api, "GET", "/settings/")).json()
    assert got["database_id"] == "1a2b3c4d-5e6f-47a8-b9c0-d1e2f3a4b5c6"
    assert (got["configured"], got["auto_sync"], got["sync_interval"]) == (True, True, 30)
    assert (await call(api, "GET", "/settings/", role="admin")).json()["configured"] is False
    # Without a token, the connection test and a sync say how to set one
    for path in ("/settings/test-connection/", "/sync-pages/"):
        response = await call(api, "POST", path)
        assert response.status_code == 400, response.text
        assert "PATCH /api/users/" in response.json()["details"]["notion_integration_token"][0]


async def test_the_connection_test_reads_the_database_with_the_users_token(
    api: Api, notion: FakeNotion
) -> None:
    database_id = await configure(api, notion)
    response = await call(api, "POST", "/settings/test-connection/")
    assert response.status_code == 200, response.text
    assert response.json()["bot"]["workspace_name"] == "Acme"
    assert [e.path for e in notion.requests()] == [
        "/v1/users/me",
        f"/v1/databases/{database_id}/query",
    ]
    # a database not shared with the integration is a 404 that says so
    hidden = notion.add_database(shared=False)
    await call(api, "POST", "/settings/", json={"database_id": hidden})
    response = await call(api, "POST", "/settings/test-connection/")
    assert response.status_code == 404
    assert all(token not in response.text for token in notion.tokens)
    # a token Notion does not know is Notion's refusal (502), named and not echoed
    await patch_me(api, "hr", {"notion_integration_token": "secret_not-issued-by-notion"})
    response = await call(api, "POST", "/settings/test-connection/")
    assert (response.status_code, response.json()["error"]) == (502, "OutsideServiceError")
    assert "not-issued" not in response.text


async def test_sync_then_browse_the_cache_which_is_per_user(api: Api, notion: FakeNotion) -> None:
    # Given three candidates' pages in the HR manager's database
    database_id = await configure(api, notion)
    olga = candidate(
        notion, database_id, "Olga Python", properties={"Skills": prop.multi("Python", "SQL")}
    )
    candidate(notion, database_id, "Ivan QA", created=T0 + timedelta(minutes=1))
    candidate(notion, database_id, "Maria Python", created=T0 + timedelta(minutes=2))
    # When a sync runs
    log = await sync(api)
    # Then its log says three pages were created, and the pages are cached with their body
    assert (log["status"], log["processed"], log["created"], log["updated"]) == ("success", 3, 3, 0)
    assert log["duration"] is not None
    page = (await call(api, "GET", "/pages/", params={"page_size": 2})).json()
    assert (page["count"], len(page["results"]), page["next"] is not None) == (3, 2, True)
    found = (await call(api, "GET", "/pages/", params={"search": "PYTHON"})).json()
    assert {p["title"] for p in found["results"]} == {"Olga Python", "Maria Python"}
    by_title = (await call(api, "GET", "/pages/", params={"sort": "title"})).json()
    assert [p["title"] for p in by_title["results"]] == ["Ivan QA", "Maria Python", "Olga Python"]
    in_db = (await call(api, "GET", "/pages/", params={"parent_id": database_id})).json()
    assert in_db["count"] == 3
    assert (await call(api, "GET", "/pages/", params={"sort": "content"})).status_code == 400
    detail = (await call(api, "GET", f"/pages/{olga}/")).json()
    assert detail["content"] == "About Olga Python"
    assert detail["properties"]["Skills"] == ["Python", "SQL"]
    assert detail["properties"]["Stage"] == "Screening"
    # And another user sees none of it
    assert (await call(api, "GET", f"/pages/{olga}/", role="admin")).status_code == 404
    assert (await call(api, "GET", "/pages/", role="admin")).json()["count"] == 0
    assert (await call(api, "GET", "/sync-logs/", role="admin")).json()["count"] == 0
    # nor does ClickUp's log list show Notion's syncs
    assert (await api.client.get("/api/v1/clickup-int/sync-logs/", headers=api.auth("hr"))).json()[
        "count"
    ] == 0
    # The older path answers a bare list in its own shape
    legacy = (await api.client.get("/api/notion/pages/", headers=api.auth("hr"))).json()
    assert set(legacy[0]) == {
        "id",
        "title",
        "url",
        "created_time",
        "last_edited_time",
        "properties",
    }
    assert olga in {p["id"] for p in legacy}
    # Clearing the cache drops this user's pages
    assert (await call(api, "POST", "/clear-cache/")).json()["deleted"] == 3
    assert (await call(api, "GET", "/pages/")).json()["count"] == 0


async def test_a_second_sync_reads_only_the_edited_page(api: Api, notion: FakeNotion) -> None:
    # Given two pages synced once, long after their last edit
    database_id = await configure(api, notion)
    olga = candidate(notion, database_id, "Olga")
    ivan = candidate(notion, database_id, "Ivan", created=T0 + timedelta(minutes=1))
    await sync(api)
    # When Olga's page is edited a day later and the older sync path runs
    notion.edit_page(olga, T0 + timedelta(days=1), Stage=prop.select("Offer", "status"))
    notion.journal.clear()
    log = await sync(api, path="/api/notion/sync/")
    # Then pages edited since the last sync (less the overlap: both) were listed, and only
    # Olga's body was read: Ivan's version was read long after its minute had passed
    (query,) = notion.requests("POST")
    assert query.json["filter"]["timestamp"] == "last_edited_time"
    assert [e.path for e in notion.requests("GET")] == [f"/v1/blocks/{olga}/children"]
    assert (log["processed"], log["created"], log["updated"]) == (2, 0, 1)
    assert (await call(api, "GET", f"/pages/{olga}/")).json()["properties"]["Stage"] == "Offer"
    # And a sync with nothing new lists only Olga's page (the last edit) and reads no body
    notion.journal.clear()
    again = await sync(api)
    assert (again["processed"], again["created"], again["updated"]) == (1, 0, 0)
    assert notion.requests("GET") == []
    assert (await call(api, "GET", f"/pages/{ivan}/")).status_code == 200


async def test_a_page_is_transferred_once_with_its_resume(
    api: Api, notion: FakeNotion, huntflow: FakeHuntflow
) -> None:
    # Given a synced page with a CV in a files property, and the user's Huntflow connection
    database_id = await configure(api, notion)
    cv = notion.add_file("olga.pdf", CV.encode())
    page = candidate(
        notion,
        database_id,
        "Сидорова Ольга",
        properties={"CV": prop.files(("olga.pdf", cv, True)), "Telegram": prop.text("@olga_dev")},
    )
    await sync(api)
    access, refresh = huntflow.issue_tokens()
    await patch_me(api, "hr", {"huntflow_api_key": access, "huntflow_refresh_token": refresh})
    target = {"account_id": 1, "vacancy_id": 101}
    # When the page is transferred
    response = await call(api, "POST", f"/pages/{page}/transfer-to-huntflow/", json=target)
    # Then one applicant was created from it, with the resume, on the vacancy
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["action"], body["vacancy_id"]) == (True, "created", 101)
    applicant = huntflow.applicants[body["applicant_id"]]
    assert (applicant["last_name"], applicant["email"]) == ("Сидорова", "olga@example.com")
    assert applicant["externals"][0]["data"]["body"] == CV
    assert 101 in huntflow.links[body["applicant_id"]]
    # When it is transferred again, or by another user, or with a bad body
    again = await call(api, "POST", f"/pages/{page}/transfer-to-huntflow/", json=target)
    assert again.status_code == 409
    assert again.json()["details"]["applicant_id"] == body["applicant_id"]
    other = await call(api, "POST", f"/pages/{page}/transfer-to-huntflow/", "admin", json=target)
    assert other.status_code == 404
    bad = await call(api, "POST", f"/pages/{page}/transfer-to-huntflow/", json={"account_id": 1})
    assert bad.status_code == 400
    # a Huntflow account the connection may not use is Huntflow's refusal, nothing created
    refused = {"account_id": 99, "vacancy_id": 101}
    response = await call(api, "POST", f"/pages/{page}/transfer-to-huntflow/", json=refused)
    assert (response.status_code, response.json()["error"]) == (502, "OutsideServiceError")
    # Then Huntflow still has one applicant from the page
    assert len(huntflow.requests("POST", "/accounts/1/applicants")) == 1
