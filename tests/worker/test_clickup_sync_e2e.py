"""A ClickUp sync end to end: the test queues it on the real Redis as the endpoint does; a real
``hrhelper worker`` process reads the fake ClickUp with the user's key, paced by the limiter
shared over Redis, and stores the tasks and the log in PostgreSQL."""

from __future__ import annotations

import pytest
import redis

from hrhelper.adapters.clickup.client import limit_key
from hrhelper.adapters.clickup.limiter import REDIS_PREFIX
from hrhelper.container import Container
from hrhelper.domain.identity.users import UserChanges
from hrhelper.domain.recruiting.clickup_model import SyncLog, SyncStatus, TaskListQuery
from hrhelper.domain.recruiting.clickup_sync import SettingsInput
from tests.fakes.clickup import serve_fake_clickup
from tests.worker.conftest import StartWorker
from tests.worker.worker_process import eventually

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


async def test_the_worker_syncs_a_users_list_with_their_key(
    container: Container, worker_env: dict[str, str], start_worker: StartWorker, redis_url: str
) -> None:
    with serve_fake_clickup() as fake:
        # Given an HR user's key and settings, and two tasks in the list
        token = fake.issue_token()
        users = container.user_service()
        admin = await users.create_superuser("admin@example.com", "Passw0rd-for-tests")
        await users.update(admin, admin.pk, UserChanges({"clickup_api_key": token}))
        clickup = container.clickup_service()
        await clickup.save_settings(admin.pk, SettingsInput("9001", "790", "901"))
        ids = {fake.add_task("901", "Olga Smirnova"), fake.add_task("901", "Ivan Petrov")}
        worker = start_worker({**worker_env, "CLICKUP_API_URL": fake.url})

        # When a sync is queued
        queued = await clickup.start_sync(admin.pk)

        # Then the worker finishes it and the tasks are cached
        async def finished() -> SyncLog | None:
            _, logs = await clickup.sync_logs(admin.pk, 0, 1)
            return logs[0] if logs and logs[0].status.finished else None

        log = await eventually(finished, "the sync to finish", worker=worker)
        assert (log.id, log.status, log.created) == (queued.id, SyncStatus.SUCCESS, 2)
        _, tasks = await clickup.tasks(admin.pk, TaskListQuery())
        assert {t.task_id for t in tasks} == ids
        # with the user's own key, counted by the limiter the workers share
        assert {e.headers.get("authorization") for e in fake.requests()} == {token}
        client = redis.Redis.from_url(redis_url)
        try:
            assert client.exists(REDIS_PREFIX + limit_key(token)) == 1
        finally:
            client.close()
        assert worker.stop(timeout=15) == 0
