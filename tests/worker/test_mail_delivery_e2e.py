"""The mail outbox end to end: the test's container writes the mail and enqueues its job on the
real Redis; a real ``hrhelper worker`` process delivers it to a real SMTP server on loopback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import redis

from hrhelper.container import Container
from hrhelper.domain.mail.outbox import DELIVER_MAIL_JOB, MailStatus, OutgoingMail
from tests.worker.conftest import StartWorker
from tests.worker.smtp_server import scripted_smtp
from tests.worker.worker_process import WorkerProcess, eventually, hrhelper_command
from tests.worker.worker_process import process_environment as env_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


async def put_mail(container: Container, to: str = "candidate@example.com") -> OutgoingMail:
    async with container.uow() as uow:
        mail: OutgoingMail = await container.mail_outbox().put(
            uow, to=to, subject="Welcome", body="Hello from hrhelper"
        )
        await uow.commit()  # the delivery job is enqueued after the commit
    return mail


async def stored_mail(container: Container, mail_id: str) -> OutgoingMail:
    async with container.uow() as uow:
        mail: OutgoingMail | None = await uow.outbox.get(mail_id)
    assert mail is not None
    return mail


async def mail_in_status(
    container: Container, mail_id: str, status: MailStatus, worker: WorkerProcess
) -> OutgoingMail:
    async def probe() -> OutgoingMail | None:
        mail = await stored_mail(container, mail_id)
        return mail if mail.status is status else None

    return await eventually(probe, f"mail {mail_id} to be {status}", worker=worker)


async def job_finished(worker: WorkerProcess, message_id: str) -> dict[str, object]:
    async def probe() -> dict[str, object] | None:
        found = worker.events("job_finished", message_id=message_id)
        return found[0] if found else None

    return await eventually(probe, f"job {message_id} to finish", worker=worker)


async def queues_drained(redis_url: str, namespace: str, worker: WorkerProcess) -> None:
    """Wait until no message of the namespace is queued, delayed or unacknowledged."""
    client = redis.Redis.from_url(redis_url)

    async def probe() -> bool | None:
        pending = sum(
            int(client.hlen(f"{namespace}:{queue}.msgs")) for queue in ("default", "default.DQ")
        )
        acks = list(client.scan_iter(match=f"{namespace}:__acks__.*"))
        return True if pending == 0 and not any(client.scard(key) for key in acks) else None

    try:
        await eventually(probe, "the queues to drain", worker=worker)
    finally:
        client.close()


async def test_a_transient_refusal_is_retried_and_the_mail_is_sent_exactly_once(
    container: Container, worker_env: dict[str, str], start_worker: StartWorker
) -> None:
    # Given a mail server that answers the first DATA with a transient 451
    with scripted_smtp(data=["451 4.3.0 Mailbox busy, try again later"]) as (smtp, smtp_url):
        # and a mail put into the outbox, its job waiting in Redis
        mail = await put_mail(container)

        # When the worker runs
        worker = start_worker({**worker_env, "SMTP_URL": smtp_url})

        # Then the mail is sent on the second attempt
        sent = await mail_in_status(container, mail.id, MailStatus.SENT, worker)
        assert sent.attempts == 2
        assert smtp.transactions == 2
        received = smtp.received
        assert len(received) == 1
        assert received[0]["Message-ID"] == mail.message_id
        assert received[0]["To"] == "candidate@example.com"
        # and the worker logged one retried failure, then the success, for one message
        failed = worker.events("job_failed", job=DELIVER_MAIL_JOB)
        assert [(e["attempt"], e["retry"], e["error_type"]) for e in failed] == [
            (1, True, "MailRetryLater")
        ]
        finished = await job_finished(worker, failed[0]["message_id"])
        assert (finished["attempt"], finished["outcome"]) == (2, "sent")

        # When the same delivery is enqueued once more
        again = await container.job_queue().enqueue(DELIVER_MAIL_JOB, {"mail_id": mail.id})

        # Then the worker skips it: nothing more is sent
        assert (await job_finished(worker, again))["outcome"] == "skipped"
        assert len(smtp.received) == 1
        assert smtp.transactions == 2
        assert (await stored_mail(container, mail.id)).attempts == 2

        # When the worker is told to stop
        # Then it exits cleanly, after closing the container on its loop
        assert worker.stop(timeout=15) == 0
        assert worker.events("worker_resources_closed")


async def test_a_permanent_refusal_buries_the_mail_after_one_attempt(
    container: Container, worker_env: dict[str, str], start_worker: StartWorker
) -> None:
    # Given a mail server that refuses the recipient for good
    with scripted_smtp(rcpt=["550 5.1.1 No such user"]) as (smtp, smtp_url):
        mail = await put_mail(container, to="nobody@example.com")

        # When the worker runs
        worker = start_worker({**worker_env, "SMTP_URL": smtp_url})

        # Then the mail is dead after one attempt, with the server's reason
        dead = await mail_in_status(container, mail.id, MailStatus.DEAD, worker)
        assert dead.attempts == 1
        assert "550" in dead.last_error
        # and the job finished without a retry: nothing is queued or delayed
        started = worker.events("job_started", job=DELIVER_MAIL_JOB)
        assert len(started) == 1
        assert (await job_finished(worker, started[0]["message_id"]))["outcome"] == "dead"
        await queues_drained(worker_env["REDIS_URL"], worker_env["DRAMATIQ_NAMESPACE"], worker)
        assert worker.events("job_failed") == []
        assert smtp.transactions == 1
        assert smtp.received == []
        assert worker.stop(timeout=15) == 0


def test_the_worker_refuses_to_start_without_redis(tmp_path: Path) -> None:
    # Given no REDIS_URL (the embedded mode)
    env = env_for({"ENVIRONMENT": "test"})

    # When the worker command runs
    result = subprocess.run(
        hrhelper_command("worker"),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    # Then it exits with 2 and says why
    assert result.returncode == 2
    assert "REDIS_URL is not set" in result.stderr
