"""Notion bulk imports end to end: a real ``hrhelper worker`` process on Redis syncs the fake
Notion's pages, then imports them into the fake Huntflow through a stop, a resume, a failing
page retried, and a worker killed with SIGKILL mid-transfer: one applicant per page."""

from __future__ import annotations

import pytest

from hrhelper.container import Container
from hrhelper.domain.identity.users import UserChanges
from hrhelper.domain.recruiting.notion_service import NotionSettingsInput
from hrhelper.domain.recruiting.sync_log import SyncStatus
from tests.fakes import huntflow as fake_huntflow
from tests.fakes import notion as fake_notion
from tests.fakes.huntflow import FakeHuntflow
from tests.fakes.notion import FakeNotion, block, prop
from tests.worker.bulk_imports import killed_mid_transfer_and_resumed, stopped_resumed_and_retried
from tests.worker.conftest import StartWorker
from tests.worker.worker_process import WorkerProcess, eventually

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SOURCE = "notion"

notion = fake_notion.notion_server
huntflow = fake_huntflow.huntflow_server


@pytest.fixture
def worker_env(
    worker_env: dict[str, str], notion: FakeNotion, huntflow: FakeHuntflow
) -> dict[str, str]:
    """Fast limits (the fakes are not throttled here), a short transfer lease and staleness,
    so a dead worker's import is picked up within seconds."""
    return {
        **worker_env,
        "NOTION_API_URL": notion.url,
        "NOTION_REQUESTS_PER_SECOND": "1000",
        "HUNTFLOW_API_URL": "http://127.0.0.1:9/v2",
        "HUNTFLOW_SANDBOX_API_URL": huntflow.url,
        "HUNTFLOW_REQUESTS_PER_SECOND": "1000",
        "TRANSFER_LEASE_SECONDS": "2",
        "BULK_IMPORT_STALE_SECONDS": "2",
        "BULK_IMPORT_BUSY_RETRY_SECONDS": "1",
    }


async def given_synced_pages(
    container: Container,
    notion: FakeNotion,
    huntflow: FakeHuntflow,
    worker: WorkerProcess,
    count: int,
) -> tuple[int, list[str]]:
    """An HR user connected to both services, and ``count`` pages with a resume each, synced
    into the cache by the worker."""
    users = container.user_service()
    admin = await users.create_superuser("admin@example.com", "Passw0rd-for-tests")
    access, refresh = huntflow.issue_tokens()
    keys = {
        "notion_integration_token": notion.issue_token(),
        "huntflow_api_key": access,
        "huntflow_refresh_token": refresh,
    }
    await users.update(admin, admin.pk, UserChanges(keys))
    database_id = notion.add_database()
    ids = []
    for n in range(count):
        cv = notion.add_file(f"cv{n}.pdf", f"Anna Person{n}\np{n}@example.com\n".encode())
        properties = {
            "Name": prop.title(f"Person{n} Anna"),
            "CV": prop.files((f"cv{n}.pdf", cv, True)),
        }
        ids.append(notion.add_page(database_id, properties, blocks=[block("paragraph", "CV")]))
    service = container.notion_service()
    await service.save_settings(admin.pk, NotionSettingsInput(database_id))
    log = await service.start_sync(admin.pk)

    async def synced() -> bool | None:
        _count, logs = await service.sync_logs(admin.pk, 0, 10)
        current = next(one for one in logs if one.id == log.id)
        return current.status is SyncStatus.SUCCESS or None

    await eventually(synced, "the pages to be synced", within=60, worker=worker)
    return admin.pk, ids


async def test_pages_stopped_resumed_and_a_failed_one_retried(
    container: Container,
    worker_env: dict[str, str],
    start_worker: StartWorker,
    notion: FakeNotion,
    huntflow: FakeHuntflow,
) -> None:
    worker = start_worker(worker_env)
    user_id, ids = await given_synced_pages(container, notion, huntflow, worker, 60)
    notion.fail_next(f"/pages/{ids[40]}", 404, code="object_not_found")  # not shared at first
    await stopped_resumed_and_retried(
        container.bulk_import_service(),
        SOURCE,
        user_id,
        huntflow,
        worker,
        total=60,
        stop_after=15,
        failing=ids[40],
    )
    assert worker.stop(timeout=15) == 0


async def test_a_worker_killed_mid_transfer_leaves_a_notion_import_that_resumes_exactly_once(
    container: Container,
    worker_env: dict[str, str],
    start_worker: StartWorker,
    notion: FakeNotion,
    huntflow: FakeHuntflow,
) -> None:
    worker = start_worker(worker_env)
    user_id, _ = await given_synced_pages(container, notion, huntflow, worker, 20)
    # When the worker is killed mid-transfer, Then a second one finishes the import
    second = await killed_mid_transfer_and_resumed(
        container,
        SOURCE,
        user_id,
        huntflow,
        worker,
        lambda: start_worker(worker_env),
        total=20,
        kill_after=5,
    )
    assert second.stop(timeout=15) == 0
