"""The actors' retry policy, as dramatiq applies it: a dramatiq Worker in this process consumes
the real Redis; the delivery service is a scripted stand-in so the test picks the errors."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import contextmanager

import dramatiq
import pytest
import redis

from hrhelper.container import Container, close_container, create_container
from hrhelper.domain.errors import InvalidInput, NotFound, OutsideServiceUnavailable, ServiceBusy
from hrhelper.domain.mail.delivery import DeliveryOutcome, MailRetryLater
from hrhelper.domain.mail.outbox import DELIVER_MAIL_JOB
from hrhelper.domain.recruiting.bulk_import import BULK_IMPORT_JOB
from hrhelper.entrypoints.jobs import JOBS, RELAY_OUTBOX_JOB
from hrhelper.entrypoints.worker.actors import JobActor, declare_actors, retry_policy
from tests.worker.conftest import SettingsFactory
from tests.worker.worker_process import eventually

pytestmark = pytest.mark.redis


class ScriptedDelivery:
    """Stands in for MailDelivery: raises the scripted errors in turn, then succeeds."""

    def __init__(self, errors: Iterable[Exception]) -> None:
        self._errors = deque(errors)
        self.calls: list[str] = []

    async def _next(self, call: str) -> None:
        self.calls.append(call)
        if self._errors:
            raise self._errors.popleft()

    async def deliver(self, mail_id: str) -> DeliveryOutcome:
        await self._next(mail_id)
        return DeliveryOutcome.SENT

    async def relay(self) -> int:
        await self._next("relay")
        return 0


@contextmanager
def running_worker(container: Container) -> Iterator[dict[str, JobActor]]:
    """The actors declared on the container's broker, consumed by a worker in this process."""
    broker: dramatiq.Broker = container.broker()
    actors = declare_actors(broker, container)
    worker = dramatiq.Worker(broker, worker_threads=1)
    worker.start()
    try:
        yield actors
    finally:
        worker.stop(timeout=10_000)


async def dead_lettered(redis_url: str, namespace: str) -> int:
    """Wait until a message was failed for good (dramatiq's dead-letter queue, ``.XQ``)."""
    client = redis.Redis.from_url(redis_url)

    async def probe() -> int | None:
        count = int(client.zcard(f"{namespace}:default.XQ"))
        return count or None

    try:
        return await eventually(probe, "a dead-lettered message", within=10)
    finally:
        client.close()


CreateSystem = Callable[[Iterable[Exception]], tuple[Container, ScriptedDelivery]]


@pytest.fixture
async def create_system(
    make_settings: SettingsFactory, redis_url: str, namespace: str
) -> AsyncIterator[CreateSystem]:
    containers: list[Container] = []

    def create(errors: Iterable[Exception]) -> tuple[Container, ScriptedDelivery]:
        delivery = ScriptedDelivery(errors)
        settings = make_settings(REDIS_URL=redis_url, DRAMATIQ_NAMESPACE=namespace)
        containers.append(create_container(settings, mail_delivery=delivery))
        return containers[-1], delivery

    yield create
    for container in containers:
        await close_container(container)


@pytest.mark.parametrize(
    ("retries", "error", "retried"),
    [
        (0, MailRetryLater("451"), True),
        (0, OutsideServiceUnavailable("down"), True),
        (0, ServiceBusy("busy"), True),
        (0, ConnectionError("reset"), True),
        (0, NotFound("no such mail"), False),
        (0, InvalidInput("bad payload"), False),
        (7, MailRetryLater("451"), True),
        (8, MailRetryLater("451"), False),
    ],
)
def test_retry_policy_retries_passing_errors_while_retries_are_left(
    retries: int, error: Exception, retried: bool
) -> None:
    # Given the policy of a job allowed 8 retries
    sut = retry_policy(8)
    # When a run fails after `retries` earlier retries
    # Then it is retried only for a passing error with retries left
    assert sut(retries, error) is retried


async def test_a_final_domain_error_is_not_retried(
    create_system: CreateSystem, redis_url: str, namespace: str
) -> None:
    # Given a delivery that fails with an error no retry can fix
    container, delivery = create_system([NotFound("No such mail.")])
    with running_worker(container) as actors:
        # When its job runs
        actors[DELIVER_MAIL_JOB].send(mail_id="m-1")
        # Then the message is failed after one run
        assert await dead_lettered(redis_url, namespace) == 1
    assert delivery.calls == ["m-1"]


async def test_a_job_without_retries_fails_at_its_first_error(
    create_system: CreateSystem, redis_url: str, namespace: str
) -> None:
    # Given the relay, which has no retries (the scheduler runs it again anyway)
    assert {spec.name: spec.max_retries for spec in JOBS}[RELAY_OUTBOX_JOB] == 0
    container, delivery = create_system([ConnectionError("database went away")])
    with running_worker(container) as actors:
        # When it fails with an error that is otherwise worth a retry
        actors[RELAY_OUTBOX_JOB].send()
        # Then it is not retried: dramatiq's retry_when overrides max_retries, the policy
        # must keep the limit itself
        assert await dead_lettered(redis_url, namespace) == 1
    assert delivery.calls == ["relay"]


async def test_a_bulk_import_run_has_no_time_limit_and_other_jobs_keep_the_default(
    create_system: CreateSystem,
) -> None:
    # a run may wait out an outage for an hour; the worker must not cancel it after ten
    # minutes (it beats, and the sweeper takes over a dead one)
    container, _ = create_system([])
    actors = declare_actors(container.broker(), container)
    assert actors[BULK_IMPORT_JOB].options["time_limit"] == float("inf")
    assert "time_limit" not in actors[DELIVER_MAIL_JOB].options
