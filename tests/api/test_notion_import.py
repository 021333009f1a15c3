"""Bulk imports of Notion pages over HTTP on PostgreSQL, against the fake Notion and the fake
Huntflow, with jobs run by the in-process queue: the same engine as ClickUp's, its own paths."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api import test_notion
from tests.api.conftest import Api
from tests.api.test_notion import call, candidate, configure, patch_me, sync
from tests.fakes import huntflow as fake_huntflow
from tests.fakes import notion as fake_notion
from tests.fakes.huntflow import FakeHuntflow
from tests.fakes.notion import FakeNotion, prop

pytestmark = pytest.mark.postgres

notion = fake_notion.notion_server
huntflow = fake_huntflow.huntflow_server
api = test_notion.api  # the Notion endpoints' app, on PostgreSQL with both fakes
TARGET = {"account_id": 1, "vacancy_id": 101}


async def drain(api: Api) -> None:
    await api.in_app(api.container.job_queue().drain)  # type: ignore[attr-defined]


async def given_pages(api: Api, notion: FakeNotion, huntflow: FakeHuntflow, count: int) -> None:
    database_id = await configure(api, notion)
    for n in range(count):
        cv = notion.add_file(f"cv{n}.pdf", f"Anna Person{n}\np{n}@example.com\n".encode())
        candidate(
            notion,
            database_id,
            f"Person{n} Anna",
            properties={"CV": prop.files((f"cv{n}.pdf", cv, True))},
        )
    await sync(api)
    access, refresh = huntflow.issue_tokens()
    await patch_me(api, "hr", {"huntflow_api_key": access, "huntflow_refresh_token": refresh})


async def test_notion_pages_are_imported_once_and_retried(
    api: Api, notion: FakeNotion, huntflow: FakeHuntflow
) -> None:
    # Given three synced pages with a resume each
    await given_pages(api, notion, huntflow, 3)
    # When an import of the pages runs
    body = {**TARGET, "delay_between_pages": 0, "max_pages": 10}
    started = await call(api, "POST", "/bulk-import/", json=body)
    assert started.status_code == 202, started.text
    job = started.json()
    assert (job["source"], job["status"]) == ("notion", "pending")
    await drain(api)
    # Then each page has one applicant, and the import says so
    path = f"/bulk-import/{job['id']}/"
    done: dict[str, Any] = (await call(api, "GET", path)).json()
    assert (done["status"], done["succeeded"], done["total"]) == ("completed", 3, 3)
    emails = sorted(a["email"] for a in huntflow.applicants.values())
    assert emails == ["ivan@example.com", "p0@example.com", "p1@example.com", "p2@example.com"]
    progress = (await call(api, "GET", path + "progress/")).json()
    assert (progress["percentage"], progress["processed"]) == (100.0, 3)
    # and a second import skips them all
    second = (await call(api, "POST", "/bulk-import/", json=body)).json()
    await drain(api)
    again = (await call(api, "GET", f"/bulk-import/{second['id']}/")).json()
    assert (again["skipped"], again["succeeded"], len(huntflow.applicants)) == (3, 0, 4)
    # and nothing is left to retry or to stop
    assert (await call(api, "POST", path + "retry-failed/")).status_code == 409
    assert (await call(api, "POST", path)).status_code == 409
    # and the list is per source: ClickUp's shows none of them
    listed = (await call(api, "GET", "/bulk-import/")).json()
    assert listed["count"] == 2
    clickup = await api.client.get("/api/v1/clickup-int/bulk-import/", headers=api.auth("hr"))
    assert clickup.json()["count"] == 0
    other_source = f"/api/v1/clickup-int/bulk-import/{job['id']}/"
    assert (await api.client.get(other_source, headers=api.auth("hr"))).status_code == 404


async def test_notion_bodies_settings_and_owners_are_checked(
    api: Api, notion: FakeNotion, huntflow: FakeHuntflow
) -> None:
    missing = await call(api, "POST", "/bulk-import/", json=TARGET)
    assert missing.status_code == 400
    assert "notion_integration_token" in missing.json()["details"]
    await given_pages(api, notion, huntflow, 1)
    for bad, field in (
        ({**TARGET, "delay_between_pages": -1}, "delay_between_pages"),
        ({**TARGET, "max_pages": 0}, "max_pages"),
        ({**TARGET, "max_pages": 5000}, "max_pages"),
    ):
        response = await call(api, "POST", "/bulk-import/", json=bad)
        assert response.status_code == 400, response.text
        assert field in response.json()["details"]
    gone = await call(api, "POST", "/bulk-import/", json={**TARGET, "vacancy_id": 99999})
    assert (gone.status_code, gone.json()["error"]) == (404, "NotFound")
    job = (await call(api, "POST", "/bulk-import/", json=TARGET)).json()
    for method, path in (
        ("GET", f"/bulk-import/{job['id']}/"),
        ("POST", f"/bulk-import/{job['id']}/"),
        ("GET", f"/bulk-import/{job['id']}/progress/"),
        ("POST", f"/bulk-import/{job['id']}/retry-failed/"),
    ):
        assert (await call(api, method, path, "admin")).status_code == 404, path
    await drain(api)
