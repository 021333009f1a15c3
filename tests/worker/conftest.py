"""Worker fixtures: a Redis namespace of its own per test, the settings the worker process and
the test share, the test's container, and worker processes that never outlive the test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
import redis

from hrhelper.container import Container, close_container, create_container
from hrhelper.settings import Settings
from tests.support.database import truncate_all
from tests.support.services import test_redis_url
from tests.worker.worker_process import WorkerProcess

SettingsFactory = Callable[..., Settings]
StartWorker = Callable[..., WorkerProcess]


@pytest.fixture
def redis_url() -> str:
    return test_redis_url()


@pytest.fixture
def namespace(redis_url: str) -> Iterator[str]:
    """A Redis key prefix no other test uses; its keys are deleted afterwards."""
    name = f"hrhelper-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{name}:*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def worker_env(postgres_url: str, redis_url: str, namespace: str) -> dict[str, str]:
    """The settings, as environment variables, of the worker process and of the test."""
    return {
        "ENVIRONMENT": "test",
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "DRAMATIQ_NAMESPACE": namespace,
        "JOB_MIN_BACKOFF_MS": "100",
        "JOB_MAX_BACKOFF_MS": "1000",
        "LOG_FORMAT": "json",
    }


@pytest.fixture
async def container(
    worker_env: dict[str, str], make_settings: SettingsFactory
) -> AsyncIterator[Container]:
    """The test's own container on the same database and queues as the worker."""
    sut = create_container(make_settings(**worker_env))
    try:
        yield sut
    finally:
        await truncate_all(sut.engine())
        await close_container(sut)


@pytest.fixture
def start_worker(container: Container, tmp_path: Path) -> Iterator[StartWorker]:
    """Start worker processes; all are killed before the database and queues are cleaned."""
    started: list[WorkerProcess] = []

    def start(settings_env: dict[str, str], *, threads: int = 2) -> WorkerProcess:
        worker = WorkerProcess.start(settings_env, tmp_path, threads=threads)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()
