"""A ClickUp task's transfer and bulk imports over HTTP on PostgreSQL, against the fake
ClickUp and the fake Huntflow, with jobs run by the in-process queue."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api
from tests.fakes import clickup as fake_clickup
from tests.fakes import huntflow as fake_huntflow
from tests.fakes.clickup import FakeClickUp
from tests.fakes.huntflow import FakeHuntflow

pytestmark = pytest.mark.postgres

BASE = "/api/v1/clickup-int"
SETTINGS = {"team_id": "9001", "space_id": "790", "folder_id": "457", "list_id": "901"}
TARGET = {"account_id": 1, "vacancy_id": 101}


def cv(name: str, email: str) -> tuple[str, bytes, str]:
    return ("cv.pdf", f"{name}\nPython developer\n{email}\n".encode(), "application/pdf")


clickup = fake_clickup.clickup_server
huntflow = fake_huntflow.huntflow_server


@pytest.fixture
def import_settings(
    make_settings: Callable[..., Settings],
    postgres_url: str,
    postgres_engine: AsyncEngine,  # empties the database after the test
    clickup: FakeClickUp,
    huntflow: FakeHuntflow,
) -> Callable[..., Settings]:
    """Settings on PostgreSQL with the fake ClickUp and the fake (sandbox) Huntflow, their
    limits out of the way; ``env`` adds to them."""

    def make(**env: str) -> Settings:
        return make_settings(
            DATABASE_URL=postgres_url,
            CLICKUP_API_URL=clickup.url,
            HUNTFLOW_API_URL="http://127.0.0.1:9/v2",
            HUNTFLOW_SANDBOX_API_URL=huntflow.url,
            HUNTFLOW_REQUESTS_PER_SECOND="1000",
            CLICKUP_REQUESTS_PER_MINUTE="100000",
            **env,
        )

    return make


@pytest.fixture
async def api(import_settings: Callable[..., Settings]) -> AsyncIterator[Api]:
    async for value in create_api(import_settings()):
        yield value


async def call(api: Api, method: str, path: str, role: str = "hr", **kwargs: Any) -> Any:
    return await api.client.request(method, BASE + path, headers=api.auth(role), **kwargs)


async def connect(
    api: Api, clickup: FakeClickUp, huntflow: FakeHuntflow, role: str = "hr", *, keys: bool = True
) -> None:
    """The user's ClickUp key, Huntflow tokens and ClickUp settings."""
    clickup.rate_limit = 100_000
    access, refresh = huntflow.issue_tokens()
    body: dict[str, str] = {"huntflow_api_key": access, "huntflow_refresh_token": refresh}
    if keys:
        body["clickup_api_key"] = clickup.issue_token()
    response = await api.client.patch(
        f"/api/users/{api.users[role].pk}/", json=body, headers=api.auth(role)
    )
    assert response.status_code == 200, response.text
    assert (await call(api, "POST", "/settings/", role, json=SETTINGS)).status_code == 200


async def drain(api: Api) -> None:
    queue = api.container.job_queue()
    assert isinstance(queue, InProcessJobQueue)
    await api.in_app(queue.drain)


async def test_a_task_is_transferred_once_and_tagged(
    api: Api, clickup: FakeClickUp, huntflow: FakeHuntflow
) -> None:
    # Given a task with a resume and a comment, cached by a sync
    await connect(api, clickup, huntflow)
    task_id = clickup.add_task(
        "901", "Smirnova Olga", attachments=(cv("Olga Smirnova", "olga@example.com"),)
    )
    assert (await call(api, "POST", "/sync-tasks/")).status_code == 202
    await drain(api)
    # When it is transferred
    path = f"/tasks/{task_id}/transfer-to-huntflow/"
    response = await call(api, "POST", path, json=TARGET)
    # Then one applicant is created and put on the vacancy
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["success"], body["created"], body["vacancy_id"]) == (True, True, 101)
    applicant = huntflow.applicants[body["applicant_id"]]
    assert (applicant["last_name"], applicant["email"]) == ("Smirnova", "olga@example.com")
    assert 101 in huntflow.links[body["applicant_id"]]
    # and the task carries the huntflow tag in ClickUp and in the cache
    assert "huntflow" in clickup.tags_of(task_id)
    cached = (await call(api, "GET", f"/tasks/{task_id}/")).json()
    assert "huntflow" in cached["tags"]
    # and a second transfer is a conflict naming the applicant
    again = await call(api, "POST", path, json=TARGET)
    assert again.status_code == 409
    assert again.json()["details"]["applicant_id"] == body["applicant_id"]
    assert len(huntflow.applicants) == 2  # the seeded one and Olga


async def test_transfer_errors_are_clear(
    api: Api, clickup: FakeClickUp, huntflow: FakeHuntflow
) -> None:
    task_id = clickup.add_task("901", "Smirnova Olga", attachments=(cv("Olga S", "o@x.com"),))
    path = f"/tasks/{task_id}/transfer-to-huntflow/"
    # without keys: the answer names what to set
    response = await call(api, "POST", path, json=TARGET)
    assert response.status_code == 400
    assert response.json()["error"] == "ValidationError"
    await connect(api, clickup, huntflow)
    # an unknown task, an unknown vacancy, a bad body
    assert (
        await call(api, "POST", "/tasks/nope/transfer-to-huntflow/", json=TARGET)
    ).status_code == 404
    unknown = await call(api, "POST", path, json={"account_id": 1, "vacancy_id": 99999})
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "NotFound"
    # a Huntflow account the token may not use: Huntflow's refusal, named (502 like every
    # refusal of an outside service)
    refused_account = await call(api, "POST", path, json={"account_id": 99, "vacancy_id": 101})
    assert refused_account.status_code == 502
    assert refused_account.json()["error"] == "OutsideServiceError"
    assert "No access to this Huntflow account" in refused_account.json()["message"]
    bad = await call(api, "POST", path, json={"account_id": 1})
    assert bad.status_code == 400
    assert set(bad.json()) == {"error", "message", "details"}
    # a task without a resume or a profile link cannot be transferred
    bare = clickup.add_task("901", "Ivanova Maria")
    refused = await call(api, "POST", f"/tasks/{bare}/transfer-to-huntflow/", json=TARGET)
    assert refused.status_code == 400, refused.text
    assert len(huntflow.applicants) == 1


async def test_bulk_import_runs_stops_and_retries_through_the_endpoints(
    api: Api, clickup: FakeClickUp, huntflow: FakeHuntflow
) -> None:
    # Given three tasks, one of which ClickUp cannot serve at first
    await connect(api, clickup, huntflow)
    ids = [
        clickup.add_task(
            "901", f"Person{n} Anna", attachments=(cv(f"Anna Person{n}", f"a{n}@x.com"),)
        )
        for n in range(3)
    ]
    clickup.fail_next(f"/task/{ids[1]}", 500, times=10)
    # When an import starts
    body = {**TARGET, "delay_between_tasks": 0, "max_tasks": 10, "sync_settings": True}
    started = await call(api, "POST", "/bulk-import/", json=body)
    assert started.status_code == 202, started.text
    job = started.json()
    assert (job["status"], job["total"], job["source"]) == ("pending", 0, "clickup")
    await drain(api)
    # Then it completes with the failed task named
    detail = (await call(api, "GET", f"/bulk-import/{job['id']}/")).json()
    assert (detail["status"], detail["succeeded"], detail["failed"]) == ("completed", 2, 1)
    failed = [i for i in detail["items"] if i["status"] == "failed"]
    assert [i["source_id"] for i in failed] == [ids[1]]
    assert failed[0]["reason"]
    progress = (await call(api, "GET", f"/bulk-import/{job['id']}/progress/")).json()
    assert (progress["processed"], progress["total"], progress["percentage"]) == (3, 3, 100.0)
    assert progress["eta_seconds"] is None
    # and a finished import cannot be stopped
    assert (await call(api, "POST", f"/bulk-import/{job['id']}/")).status_code == 409
    # When the failed task is retried with ClickUp healthy again
    clickup.fail_next(f"/task/{ids[1]}", 200, times=0)
    with_scripts_cleared(clickup)
    retried = await call(api, "POST", f"/bulk-import/{job['id']}/retry-failed/")
    assert retried.status_code == 202, retried.text
    await drain(api)
    # Then every task has exactly one applicant and the huntflow tag
    final = (await call(api, "GET", f"/bulk-import/{job['id']}/")).json()
    assert (final["status"], final["succeeded"], final["failed"], final["runs"]) == (
        "completed",
        3,
        0,
        2,
    )
    for n, task_id in enumerate(ids):
        assert len([a for a in huntflow.applicants.values() if a["email"] == f"a{n}@x.com"]) == 1
        assert "huntflow" in clickup.tags_of(task_id)
    # and nothing is left to retry
    assert (await call(api, "POST", f"/bulk-import/{job['id']}/retry-failed/")).status_code == 409
    # and a second import skips what was transferred
    second = (await call(api, "POST", "/bulk-import/", json=body)).json()
    await drain(api)
    again = (await call(api, "GET", f"/bulk-import/{second['id']}/")).json()
    assert (again["skipped"], again["succeeded"]) == (3, 0)
    listed = (await call(api, "GET", "/bulk-import/", params={"page_size": 1})).json()
    assert (listed["count"], listed["results"][0]["id"]) == (2, second["id"])


def with_scripts_cleared(fake: FakeClickUp) -> None:
    fake._scripts.clear()


async def test_a_running_import_stops_before_its_next_task_and_resumes(
    api: Api, clickup: FakeClickUp, huntflow: FakeHuntflow
) -> None:
    # Given an import of two tasks, half a minute apart
    await connect(api, clickup, huntflow)
    for n in range(2):
        clickup.add_task("901", f"Person{n} Anna", attachments=(cv(f"A P{n}", f"a{n}@x.com"),))
    body = {**TARGET, "delay_between_tasks": 30, "max_tasks": 5}
    job = (await call(api, "POST", "/bulk-import/", json=body)).json()
    path = f"/bulk-import/{job['id']}/"

    # When it is stopped once the first task is in
    async def progress() -> dict[str, Any]:
        return dict((await call(api, "GET", path + "progress/")).json())

    for _ in range(200):
        if (await progress())["processed"] == 1:
            break
        await asyncio.sleep(0.05)
    running = await progress()
    assert (running["status"], running["total"], running["percentage"]) == ("running", 2, 50.0)
    assert running["eta_seconds"] >= 30
    asked = await call(api, "POST", path)
    assert (asked.status_code, asked.json()["stop_requested"]) == (200, True)
    await drain(api)
    # Then it stops without the second task
    stopped = (await call(api, "GET", path)).json()
    assert (stopped["status"], stopped["succeeded"], stopped["total"]) == ("stopped", 1, 2)
    assert [i["status"] for i in stopped["items"]] == ["done", "pending"]
    # and retry-failed runs what the stop left undone, at once
    assert (await call(api, "POST", path + "retry-failed/")).status_code == 202
    await drain(api)
    final = (await call(api, "GET", path)).json()
    assert (final["status"], final["succeeded"]) == ("completed", 2)
    assert len(huntflow.applicants) == 3


async def test_bulk_import_bodies_and_owners_are_checked(
    api: Api, clickup: FakeClickUp, huntflow: FakeHuntflow
) -> None:
    # without keys or settings: a 400 naming what is missing
    missing = await call(api, "POST", "/bulk-import/", json=TARGET)
    assert missing.status_code == 400
    assert "clickup_api_key" in missing.json()["details"]
    await connect(api, clickup, huntflow)
    for bad in (
        {**TARGET, "delay_between_tasks": -1},
        {**TARGET, "max_tasks": 0},
        {**TARGET, "max_tasks": 1001},
        {**TARGET, "unknown": 1},
        {"vacancy_id": 101},
    ):
        response = await call(api, "POST", "/bulk-import/", json=bad)
        assert response.status_code == 400, (bad, response.text)
        assert set(response.json()) == {"error", "message", "details"}
    delay = await call(api, "POST", "/bulk-import/", json={**TARGET, "delay_between_tasks": -1})
    assert "delay_between_tasks" in delay.json()["details"]
    gone = await call(api, "POST", "/bulk-import/", json={**TARGET, "vacancy_id": 99999})
    assert gone.status_code == 404
    # another user's import is not found, whatever is asked of it
    job = (await call(api, "POST", "/bulk-import/", json={**TARGET, "max_tasks": 1})).json()
    for method, path in (
        ("GET", f"/bulk-import/{job['id']}/"),
        ("POST", f"/bulk-import/{job['id']}/"),
        ("GET", f"/bulk-import/{job['id']}/progress/"),
        ("POST", f"/bulk-import/{job['id']}/retry-failed/"),
    ):
        assert (await call(api, method, path, role="admin")).status_code == 404, path
    assert (await call(api, "GET", "/bulk-import/", role="admin")).json()["count"] == 0
    await drain(api)


async def test_an_import_waits_out_throttling_and_slowness_and_names_what_failed(
    api: Api, clickup: FakeClickUp, huntflow: FakeHuntflow
) -> None:
    # Given three tasks, and outside services that throttle, dawdle and fail on the way
    await connect(api, clickup, huntflow)
    ids = [
        clickup.add_task(
            "901", f"Person{n} Anna", attachments=(cv(f"Anna Person{n}", f"a{n}@x.com"),)
        )
        for n in range(3)
    ]
    clickup.throttle_next(f"/task/{ids[0]}", reset_in_s=1)  # ClickUp: 429 until its reset
    huntflow.fail_next(  # Huntflow: 429 asking to wait a second before a create
        "/accounts/1/applicants", 429, method="POST", headers={"Retry-After": "1"}
    )
    huntflow.delay_next("/accounts/1/upload", 1.5, method="POST")  # a slow upload
    # When an import runs
    body = {**TARGET, "delay_between_tasks": 0, "max_tasks": 10, "sync_settings": True}
    started = await call(api, "POST", "/bulk-import/", json=body)
    assert started.status_code == 202, started.text
    job = started.json()
    await drain(api)
    # Then it waited where it was asked to and went on: every task is in Huntflow once
    detail = (await call(api, "GET", f"/bulk-import/{job['id']}/")).json()
    assert (detail["status"], detail["succeeded"], detail["failed"]) == ("completed", 3, 0)
    assert len(clickup.requests("GET", f"/task/{ids[0]}")) >= 2  # asked again after the 429
    assert len(huntflow.requests("POST", "/accounts/1/applicants")) == 4  # one create retried
    for n in range(3):
        assert len([a for a in huntflow.applicants.values() if a["email"] == f"a{n}@x.com"]) == 1

    # Given a fourth task whose resume upload Huntflow fails with a 500 (a change: not resent)
    fourth = clickup.add_task("901", "Person3 Anna", attachments=(cv("Anna Person3", "a3@x.com"),))
    huntflow.fail_next("/accounts/1/upload", 500, method="POST")
    second = (await call(api, "POST", "/bulk-import/", json=body)).json()
    await drain(api)
    # Then that task fails with a reason saying so, the others are skipped as done
    detail = (await call(api, "GET", f"/bulk-import/{second['id']}/")).json()
    assert (detail["skipped"], detail["failed"]) == (3, 1), detail
    [failed] = [i for i in detail["items"] if i["status"] == "failed"]
    assert failed["source_id"] == fourth
    assert "Huntflow" in failed["reason"]
    # and once Huntflow is well, retrying it creates the one applicant
    assert (
        await call(api, "POST", f"/bulk-import/{second['id']}/retry-failed/")
    ).status_code == 202
    await drain(api)
    final = (await call(api, "GET", f"/bulk-import/{second['id']}/")).json()
    assert (final["status"], final["succeeded"], final["failed"]) == ("completed", 1, 0)
    assert len([a for a in huntflow.applicants.values() if a["email"] == "a3@x.com"]) == 1


@pytest.fixture
async def impatient_api(import_settings: Callable[..., Settings]) -> AsyncIterator[Api]:
    """The app with a short timeout for outside calls and a short first pause of an import."""
    settings = import_settings(
        OUTSIDE_TIMEOUT_SECONDS="0.5", BULK_IMPORT_OUTAGE_RETRY_SECONDS="0.2"
    )
    # the clients' own quick retries stay quick too: the test waits for the import's pauses
    options = {"read_timeout_s": settings.outside_timeout_seconds, "backoff_s": 0.02}
    async for value in create_api(settings, outside_client_options=options):
        yield value


async def poll(
    api: Api, path: str, done: Callable[[dict[str, Any]], bool], what: str
) -> dict[str, Any]:
    """The progress answer once ``done`` holds for it (checked every 50 ms for up to 60 s)."""
    for _ in range(1200):
        answer = dict((await call(api, "GET", path + "progress/")).json())
        if done(answer):
            return answer
        await asyncio.sleep(0.05)
    raise AssertionError(f"never saw {what}; last progress: {answer}")


async def test_an_import_pauses_while_huntflow_answers_too_late_and_goes_on_once_it_is_back(
    impatient_api: Api, clickup: FakeClickUp, huntflow: FakeHuntflow
) -> None:
    api = impatient_api
    # Given three tasks, and Huntflow that creates the first applicant but answers later than
    # the client waits, and from then on answers everything too late
    await connect(api, clickup, huntflow)
    for n in range(3):
        clickup.add_task("901", f"Person{n} Anna", attachments=(cv(f"Anna P{n}", f"a{n}@x.com"),))
    huntflow.slow_down(1.5, from_request=("POST", "/accounts/1/applicants"))
    # When an import runs
    body = {**TARGET, "delay_between_tasks": 0, "max_tasks": 10}
    started = await call(api, "POST", "/bulk-import/", json=body)
    assert started.status_code == 202, started.text
    path = f"/bulk-import/{started.json()['id']}/"
    # Then it pauses, saying why, with no task failed
    paused = await poll(api, path, lambda p: p["pause_reason"] is not None, "a pause")
    assert "Huntflow cannot be reached or did not answer in time" in paused["pause_reason"]
    assert paused["paused_until"] is not None
    assert (paused["status"], paused["processed"], paused["failed"]) == ("running", 0, 0)
    # and it keeps trying the same task while Huntflow stays slow, still without failing it
    vacancy = "/accounts/1/vacancies/101"
    tried = len(huntflow.requests("GET", vacancy))
    await poll(
        api,
        path,
        lambda p: len(huntflow.requests("GET", vacancy)) > tried and p["pause_reason"] is not None,
        "another try during the outage",
    )
    detail = (await call(api, "GET", path)).json()
    assert detail["pause_reason"] is not None
    assert [i["status"] for i in detail["items"]] == ["pending"] * 3
    assert huntflow.slow
    # When Huntflow answers in time again
    huntflow.recover()
    await drain(api)
    # Then the import completes, the pause cleared, every task in Huntflow once: the first
    # one linked to the applicant the late create made, not created again
    final = (await call(api, "GET", path)).json()
    assert (final["status"], final["succeeded"], final["failed"]) == ("completed", 3, 0)
    assert (final["pause_reason"], final["paused_until"], final["error"]) == (None, None, None)
    for n in range(3):
        assert len([a for a in huntflow.applicants.values() if a["email"] == f"a{n}@x.com"]) == 1
    assert [i["created"] for i in final["items"]] == [False, True, True]
    assert len(huntflow.requests("POST", "/accounts/1/applicants")) == 3


async def test_a_transfer_answers_503_while_huntflow_is_out_of_reach_and_502_when_it_fails(
    impatient_api: Api, clickup: FakeClickUp, huntflow: FakeHuntflow
) -> None:
    api = impatient_api
    await connect(api, clickup, huntflow)
    task_id = clickup.add_task("901", "Smirnova Olga", attachments=(cv("Olga S", "o@x.com"),))
    path = f"/tasks/{task_id}/transfer-to-huntflow/"
    vacancy = "/accounts/1/vacancies/101"
    # Huntflow down (502/503/504 after the retries) or too slow: a 503 to try again later
    huntflow.fail_next(vacancy, 503, times=10)
    down = await call(api, "POST", path, json=TARGET)
    assert (down.status_code, down.json()["error"]) == (503, "ServiceUnavailable"), down.text
    huntflow._scripts.clear()
    huntflow.delay_next(vacancy, 1.5, times=10)
    slow = await call(api, "POST", path, json=TARGET)
    assert (slow.status_code, slow.json()["error"]) == (503, "ServiceUnavailable"), slow.text
    assert "did not answer in time" in slow.json()["message"]
    huntflow._scripts.clear()
    # Huntflow answering, but failing on this request: a 502 naming it
    huntflow.fail_next(vacancy, 500, times=10)
    failing = await call(api, "POST", path, json=TARGET)
    assert (failing.status_code, failing.json()["error"]) == (502, "OutsideServiceError")
    assert "HTTP 500" in failing.json()["message"]
    huntflow._scripts.clear()
    # and once it is well, the transfer goes through, once
    assert (await call(api, "POST", path, json=TARGET)).status_code == 200
    assert len([a for a in huntflow.applicants.values() if a["email"] == "o@x.com"]) == 1
