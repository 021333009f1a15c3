"""Bulk imports end to end: a real ``hrhelper worker`` process on Redis reads the fake
ClickUp (200 tasks over two pages, each with a resume) and fills the fake Huntflow, through a
stop, a resume, a failing task retried, and a worker killed with SIGKILL mid-transfer."""

from __future__ import annotations

import time

import pytest

from hrhelper.container import Container
from hrhelper.domain.identity.users import UserChanges
from hrhelper.domain.recruiting.clickup_sync import SettingsInput
from tests.fakes import clickup as fake_clickup
from tests.fakes import huntflow as fake_huntflow
from tests.fakes.clickup import FakeClickUp
from tests.fakes.huntflow import FakeHuntflow
from tests.worker.bulk_imports import killed_mid_transfer_and_resumed, stopped_resumed_and_retried
from tests.worker.conftest import StartWorker

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SOURCE = "clickup"


clickup = fake_clickup.clickup_server
huntflow = fake_huntflow.huntflow_server


@pytest.fixture
def worker_env(
    worker_env: dict[str, str], clickup: FakeClickUp, huntflow: FakeHuntflow
) -> dict[str, str]:
    """Fast limits (the fakes do not throttle), a short transfer lease and staleness, so a
    dead worker's import is picked up within seconds."""
    return {
        **worker_env,
        "CLICKUP_API_URL": clickup.url,
        "CLICKUP_REQUESTS_PER_MINUTE": "100000",
        "HUNTFLOW_API_URL": "http://127.0.0.1:9/v2",
        "HUNTFLOW_SANDBOX_API_URL": huntflow.url,
        "HUNTFLOW_REQUESTS_PER_SECOND": "1000",
        "TRANSFER_LEASE_SECONDS": "2",
        "BULK_IMPORT_STALE_SECONDS": "2",
        "BULK_IMPORT_BUSY_RETRY_SECONDS": "1",
    }


async def given_tasks(
    container: Container, clickup: FakeClickUp, huntflow: FakeHuntflow, count: int
) -> tuple[int, list[str]]:
    """An HR user connected to both services, and ``count`` tasks with a resume each."""
    clickup.rate_limit = 100_000
    access, refresh = huntflow.issue_tokens()
    users = container.user_service()
    admin = await users.create_superuser("admin@example.com", "Passw0rd-for-tests")
    keys = {
        "clickup_api_key": clickup.issue_token(),
        "huntflow_api_key": access,
        "huntflow_refresh_token": refresh,
    }
    await users.update(admin, admin.pk, UserChanges(keys))
    await container.clickup_service().save_settings(admin.pk, SettingsInput("9001", "790", "901"))
    ids = [
        clickup.add_task(
            "901",
            f"Person{n} Anna",
            attachments=(("cv.pdf", f"Anna Person{n}\np{n}@example.com\n".encode(), "x"),),
        )
        for n in range(count)
    ]
    return admin.pk, ids


async def test_200_tasks_stopped_resumed_and_a_failed_one_retried(
    container: Container,
    worker_env: dict[str, str],
    start_worker: StartWorker,
    clickup: FakeClickUp,
    huntflow: FakeHuntflow,
) -> None:
    started = time.monotonic()
    user_id, ids = await given_tasks(container, clickup, huntflow, 200)
    clickup.fail_next(f"/task/{ids[10]}", 404)  # ClickUp cannot serve it at first (listed late)
    worker = start_worker(worker_env)
    await stopped_resumed_and_retried(
        container.bulk_import_service(),
        SOURCE,
        user_id,
        huntflow,
        worker,
        total=200,
        stop_after=50,
        failing=ids[10],
    )
    # Then every task also has the huntflow tag, and the list was read once
    assert all("huntflow" in clickup.tags_of(task_id) for task_id in ids)
    assert len(clickup.requests("GET", "/list/901/task")) == 2  # listed once, two pages
    assert worker.stop(timeout=15) == 0
    print(f"200 tasks imported in {time.monotonic() - started:.1f} s")


async def test_a_worker_killed_mid_transfer_leaves_an_import_that_resumes_exactly_once(
    container: Container,
    worker_env: dict[str, str],
    start_worker: StartWorker,
    clickup: FakeClickUp,
    huntflow: FakeHuntflow,
) -> None:
    user_id, _ = await given_tasks(container, clickup, huntflow, 30)
    worker = start_worker(worker_env)
    # When the worker is killed mid-transfer, Then a second one finishes the import
    second = await killed_mid_transfer_and_resumed(
        container,
        SOURCE,
        user_id,
        huntflow,
        worker,
        lambda: start_worker(worker_env),
        total=30,
        kill_after=10,
    )
    assert second.stop(timeout=15) == 0
