"""The ClickUp endpoints over HTTP on PostgreSQL, against the fake ClickUp: settings, the
workspace hierarchy, a sync through the in-process queue, the cached tasks per user, the
error format, and a constant number of queries for a page of tasks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api
from tests.fakes.clickup import FakeClickUp, serve_fake_clickup

BASE = "/api/v1/clickup-int"
SETTINGS = {"team_id": "9001", "space_id": "790", "folder_id": "457", "list_id": "901"}


@pytest.fixture
def fake() -> Iterator[FakeClickUp]:
    with serve_fake_clickup() as server:
        server.rate_limit = 100_000
        yield server


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings],
    postgres_url: str,
    postgres_engine: AsyncEngine,  # empties the database after the test
    fake: FakeClickUp,
) -> AsyncIterator[Api]:
    settings = make_settings(DATABASE_URL=postgres_url, CLICKUP_API_URL=fake.url)
    async for value in create_api(settings):
        yield value


async def set_key(api: Api, role: str, token: str) -> None:
    user_id = api.users[role].pk
    response = await api.client.patch(
        f"/api/users/{user_id}/", json={"clickup_api_key": token}, headers=api.auth(role)
    )
    assert response.status_code == 200, response.text
    assert token not in response.text


async def call(api: Api, method: str, path: str, role: str = "hr", **kwargs: Any) -> Any:
    return await api.client.request(method, BASE + path, headers=api.auth(role), **kwargs)


async def sync(api: Api, role: str = "hr", path: str = BASE + "/sync-tasks/") -> int:
    response = await api.client.post(path, headers=api.auth(role))
    assert response.status_code == 202, response.text
    queue = api.container.job_queue()
    assert isinstance(queue, InProcessJobQueue)
    await api.in_app(queue.drain)
    return int(response.json()["log_id"])


async def test_settings_are_saved_per_user_and_missing_fields_are_named(api: Api) -> None:
    # Before saving, the settings say they are not configured
    response = await call(api, "GET", "/settings/")
    assert response.json()["configured"] is False
    # A body without list_id and space_id is a 400 naming them, in the error format
    response = await call(api, "POST", "/settings/", json={"team_id": "9001"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ValidationError"
    assert set(body["details"]) == {"space_id", "list_id"}
    # A bad filter is a 400 too
    bad = {**SETTINGS, "huntflow_filter": "some"}
    assert (await call(api, "POST", "/settings/", json=bad)).status_code == 400
    # A full body is saved and read back, for this user only
    saved = {**SETTINGS, "auto_sync": True, "sync_interval": 30, "huntflow_filter": "with_huntflow"}
    response = await call(api, "POST", "/settings/", json=saved)
    assert response.status_code == 200, response.text
    got = (await call(api, "GET", "/settings/")).json()
    assert {k: got[k] for k in saved} == saved
    assert got["configured"] is True
    assert (await call(api, "GET", "/settings/", role="admin")).json()["configured"] is False


async def test_without_a_key_the_answer_says_how_to_set_it(api: Api) -> None:
    for method, path in [
        ("POST", "/settings/test-connection/"),
        ("GET", "/path-options/"),
        ("GET", "/spaces/?team_id=9001"),
    ]:
        response = await call(api, method, path)
        assert response.status_code == 400, (path, response.text)
        body = response.json()
        assert body["error"] == "ValidationError"
        assert "clickup_api_key" in body["details"]["clickup_api_key"][0]


async def test_the_workspace_hierarchy_is_browsed_with_the_users_key(
    api: Api, fake: FakeClickUp
) -> None:
    token = fake.issue_token()
    await set_key(api, "hr", token)
    response = await call(api, "POST", "/settings/test-connection/")
    assert response.status_code == 200, response.text
    assert response.json()["teams"] == [{"id": "9001", "name": "Acme Recruiting"}]
    assert token not in response.text
    assert (await call(api, "GET", "/path-options/")).json()["teams"][0]["id"] == "9001"
    spaces = (await call(api, "GET", "/spaces/", params={"team_id": "9001"})).json()
    assert {s["id"] for s in spaces} >= {"790"}
    folders = (await call(api, "GET", "/folders/", params={"space_id": "790"})).json()
    assert [f["id"] for f in folders] == ["457"]
    in_folder = (await call(api, "GET", "/lists/", params={"folder_id": "457"})).json()
    assert {entry["id"] for entry in in_folder} == {"901", "902"}
    folderless = (await call(api, "GET", "/lists/", params={"space_id": "790"})).json()
    assert [entry["id"] for entry in folderless] == ["903"]
    # every call went with the user's own key
    assert {e.headers.get("authorization") for e in fake.requests()} == {token}
    # a missing parameter is a 400 naming it; an unknown space a 404
    response = await call(api, "GET", "/lists/")
    assert response.status_code == 400
    assert "folder_id" in response.json()["details"]
    assert (await call(api, "GET", "/spaces/")).json()["details"] == {
        "team_id": ["This parameter is required."]
    }
    assert (await call(api, "GET", "/folders/", params={"space_id": "404"})).status_code == 404


async def test_a_key_clickup_rejects_is_its_refusal_on_every_browsing_route(
    api: Api, fake: FakeClickUp
) -> None:
    await set_key(api, "hr", "pk_never_issued_by_clickup")
    for method, path in [
        ("POST", "/settings/test-connection/"),
        ("GET", "/path-options/"),
        ("GET", "/spaces/?team_id=9001"),
        ("GET", "/folders/?space_id=790"),
        ("GET", "/lists/?folder_id=457"),
    ]:
        response = await call(api, method, path)
        assert response.status_code == 502, (path, response.text)
        assert response.json()["error"] == "OutsideServiceError"
        assert "never_issued" not in response.text
    assert fake.requests(), "each route asked ClickUp"


async def test_sync_then_browse_the_cache_which_is_per_user(api: Api, fake: FakeClickUp) -> None:
    # Given the HR manager's key, settings and three tasks in the list
    await set_key(api, "hr", fake.issue_token())
    assert (await call(api, "POST", "/settings/", json=SETTINGS)).status_code == 200
    olga = fake.add_task("901", "Olga Python", priority=2, status="in progress")
    fake.add_task("901", "Ivan QA", priority=4)
    fake.add_task("901", "Maria Python", tags=("huntflow",))
    # When a sync is started and the queue has run it
    log_id = await sync(api)
    # Then its log is finished and the tasks are cached
    logs = (await call(api, "GET", "/sync-logs/")).json()
    assert logs["count"] == 1
    assert logs["results"][0]["id"] == log_id
    assert (logs["results"][0]["status"], logs["results"][0]["created"]) == ("success", 3)
    page = (await call(api, "GET", "/tasks/", params={"page_size": 2})).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"] is not None
    found = (await call(api, "GET", "/tasks/", params={"search": "python"})).json()
    assert {t["name"] for t in found["results"]} == {"Olga Python", "Maria Python"}
    high = (await call(api, "GET", "/tasks/", params={"priority": "high"})).json()
    assert [t["task_id"] for t in high["results"]] == [olga]
    by_name = (await call(api, "GET", "/tasks/", params={"sort": "name"})).json()
    assert [t["name"] for t in by_name["results"]] == ["Ivan QA", "Maria Python", "Olga Python"]
    assert (await call(api, "GET", "/tasks/", params={"sort": "secret"})).status_code == 400
    detail = await call(api, "GET", f"/tasks/{olga}/")
    assert detail.status_code == 200
    assert (detail.json()["status"], detail.json()["priority"]) == ("in progress", "high")
    # And another user sees none of it
    assert (await call(api, "GET", f"/tasks/{olga}/", role="admin")).status_code == 404
    assert (await call(api, "GET", "/tasks/", role="admin")).json()["count"] == 0
    assert (await call(api, "GET", "/sync-logs/", role="admin")).json()["count"] == 0
    # The older path answers a bare list in its own shape
    legacy = await api.client.get("/api/clickup/tasks/", headers=api.auth("hr"))
    assert legacy.status_code == 200
    first = next(t for t in legacy.json() if t["id"] == olga)
    assert first["status"]["status"] == "in progress"
    assert set(first) == {
        "id",
        "name",
        "description",
        "status",
        "assignees",
        "date_created",
        "date_updated",
    }
    # Clearing the cache drops this user's tasks
    cleared = await call(api, "POST", "/clear-cache/")
    assert cleared.json()["deleted"] == 3
    assert (await call(api, "GET", "/tasks/")).json()["count"] == 0


async def test_the_older_sync_path_starts_a_sync_and_settings_are_required(
    api: Api, fake: FakeClickUp
) -> None:
    await set_key(api, "hr", fake.issue_token())
    response = await api.client.post("/api/clickup/sync/", headers=api.auth("hr"))
    assert response.status_code == 400
    assert set(response.json()["details"]) == {"team_id", "space_id", "list_id"}
    await call(api, "POST", "/settings/", json=SETTINGS)
    fake.add_task("901", "Olga")
    log_id = await sync(api, path="/api/clickup/sync/")
    logs = (await call(api, "GET", "/sync-logs/")).json()["results"]
    assert [(log["id"], log["status"], log["created"]) for log in logs] == [(log_id, "success", 1)]


async def test_a_page_of_tasks_costs_the_same_queries_whatever_its_size(
    api: Api, fake: FakeClickUp
) -> None:
    # Given 30 cached tasks with assignees, tags and custom fields
    await set_key(api, "hr", fake.issue_token())
    await call(api, "POST", "/settings/", json=SETTINGS)
    for n in range(30):
        fake.add_task("901", f"Candidate {n}", tags=("python",), assignees=(183, 184))
    await sync(api)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = api.container.engine().sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        sizes = {}
        for size in (1, 30):
            statements.clear()
            response = await call(api, "GET", "/tasks/", params={"page_size": size})
            assert len(response.json()["results"]) == size
            sizes[size] = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Then one page of 30 costs what a page of one costs
    assert sizes[1] == sizes[30]
    assert sizes[1] <= 3, statements  # the caller, the count and the rows
