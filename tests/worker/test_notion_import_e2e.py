"""Notion bulk imports end to end: a real ``hrhelper worker`` process on Redis syncs the fake
Notion's pages, then imports them into the fake Huntflow through a stop, a resume, a failing
page retried, and a worker killed with SIGKILL mid-transfer: one applicant per page."""

from __future__ import annotations

import pytest

from hrhelper.container import Container
from hrhelper.domain.identity.users import UserChanges
from hrhelper.domain.recruiting.bulk_import import ImportRequest
from hrhelper.domain.recruiting.bulk_import_model import ImportStatus, ItemStatus
from hrhelper.domain.recruiting.notion_service import NotionSettingsInput
from hrhelper.domain.recruiting.sync_log import SyncStatus
from tests.fakes import huntflow as fake_huntflow
from tests.fakes import notion as fake_notion
from tests.fakes.huntflow import FakeHuntflow
from tests.fakes.notion import FakeNotion, block, prop
from tests.worker.bulk_imports import (
    assert_one_applicant_per_card,
    kill_while_a_create_is_late,
    resumed_by_the_sweep,
    until,
)
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
    sut = container.bulk_import_service()
    # When an import of every page starts and is stopped midway
    request = ImportRequest(1, 101, delay_s=0, max_items=500, sync_settings=True)
    job = await sut.start(user_id, SOURCE, request)
    await until(sut, SOURCE, user_id, job.id or 0, lambda j: j.processed >= 15, worker)
    await sut.stop(user_id, SOURCE, job.id or 0)
    stopped = await until(sut, SOURCE, user_id, job.id or 0, lambda j: j.status.finished, worker)
    # Then it stops before its next page, with the rest pending
    assert stopped.status is ImportStatus.STOPPED
    assert (stopped.total, stopped.failed) == (60, 0)
    assert 15 <= stopped.processed < 60
    assert len(huntflow.applicants) == stopped.processed + 1
    # When it is resumed, it goes on and ends with the one failing page named
    await sut.retry_failed(user_id, SOURCE, job.id or 0)
    ended = await until(sut, SOURCE, user_id, job.id or 0, lambda j: j.status.finished, worker)
    assert (ended.status, ended.succeeded, ended.failed) == (ImportStatus.COMPLETED, 59, 1)
    failed = [i for i in await sut.items(user_id, SOURCE, job.id or 0) if i.reason]
    assert [(i.source_id, i.status) for i in failed] == [(ids[40], ItemStatus.FAILED)]
    # When the failed page is retried, it goes through
    await sut.retry_failed(user_id, SOURCE, job.id or 0)
    final = await until(sut, SOURCE, user_id, job.id or 0, lambda j: j.status.finished, worker)
    assert (final.status, final.succeeded, final.failed, final.runs) == (
        ImportStatus.COMPLETED,
        60,
        0,
        3,
    )
    # Then every page has exactly one applicant
    assert_one_applicant_per_card(huntflow, 60)
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
    sut = container.bulk_import_service()
    job = await sut.start(user_id, SOURCE, ImportRequest(1, 101, delay_s=0, max_items=20))
    await until(sut, SOURCE, user_id, job.id or 0, lambda j: j.processed >= 5, worker)
    # When the worker is killed (SIGKILL) while Huntflow creates the next applicant but
    # answers late
    await kill_while_a_create_is_late(huntflow, worker)
    left = await sut.get(user_id, SOURCE, job.id or 0)
    assert left.status is ImportStatus.RUNNING
    assert left.processed < 20
    # and a new worker runs the scheduler's sweep once the import looks dead
    second = start_worker(worker_env)

    final = await resumed_by_the_sweep(container, sut, SOURCE, user_id, job.id or 0, second)
    # Then it completes: every page done once, none skipped or lost, the late applicant linked
    assert (final.status, final.succeeded, final.skipped, final.failed) == (
        ImportStatus.COMPLETED,
        20,
        0,
        0,
    )
    assert final.runs >= 2
    assert_one_applicant_per_card(huntflow, 20)
    assert second.stop(timeout=15) == 0
