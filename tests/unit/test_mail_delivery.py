"""Mail delivery through the outbox, driven on in-memory adapters."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.domain.mail.delivery import DeliveryOutcome, MailDelivery, MailRetryLater
from hrhelper.domain.mail.outbox import DELIVER_MAIL_JOB, MailOutbox, MailStatus
from tests.support.fakes import FakeClock, FlakyMailer, RecordingJobQueue


def create_system(
    script: list[str | None] | None = None, max_attempts: int = 5
) -> tuple[MailOutbox, MailDelivery, MemoryStore, FlakyMailer, RecordingJobQueue, FakeClock]:
    store, clock, jobs = MemoryStore(), FakeClock(), RecordingJobQueue()
    mailer = FlakyMailer(script=list(script or []))
    outbox = MailOutbox(jobs, clock)
    sut = MailDelivery(
        lambda: MemoryUnitOfWork(store),
        mailer,
        clock,
        jobs,
        sender="hr@example.com",
        max_attempts=max_attempts,
    )
    return outbox, sut, store, mailer, jobs, clock


async def put_mail(outbox: MailOutbox, store: MemoryStore, to: str = "a@example.com") -> str:
    async with MemoryUnitOfWork(store) as uow:
        mail = await outbox.put(uow, to=to, subject="Welcome", body="Hello")
        await uow.commit()
    return mail.id


async def test_mail_is_enqueued_only_when_the_change_commits() -> None:
    outbox, _, store, _, jobs, _ = create_system()
    # Given a change that is rolled back
    async with MemoryUnitOfWork(store) as uow:
        await outbox.put(uow, to="lost@example.com", subject="s", body="b")
    # When another one commits
    mail_id = await put_mail(outbox, store)
    # Then only the committed mail exists and only it has a delivery job
    assert list(store.outbox) == [mail_id]
    assert jobs.enqueued == [(DELIVER_MAIL_JOB, {"mail_id": mail_id})]


async def test_transient_failure_is_retried_and_sent_once() -> None:
    outbox, sut, store, mailer, _, _ = create_system(["transient"])
    mail_id = await put_mail(outbox, store)
    with pytest.raises(MailRetryLater):
        await sut.deliver(mail_id)
    assert await sut.deliver(mail_id) is DeliveryOutcome.SENT
    assert await sut.deliver(mail_id) is DeliveryOutcome.SKIPPED
    assert [m.message_id for m in mailer.accepted] == [store.outbox[mail_id].message_id]
    assert (store.outbox[mail_id].status, store.outbox[mail_id].attempts) == (MailStatus.SENT, 2)
    assert mailer.accepted[0].sender == "hr@example.com"


async def test_permanent_failure_buries_the_mail() -> None:
    outbox, sut, store, mailer, _, _ = create_system(["permanent"])
    mail_id = await put_mail(outbox, store)
    assert await sut.deliver(mail_id) is DeliveryOutcome.DEAD
    assert await sut.deliver(mail_id) is DeliveryOutcome.SKIPPED
    assert mailer.accepted == []
    assert store.outbox[mail_id].status is MailStatus.DEAD
    assert "550" in store.outbox[mail_id].last_error


async def test_too_many_transient_failures_bury_the_mail() -> None:
    outbox, sut, store, _, _, _ = create_system(["transient"] * 3, max_attempts=3)
    mail_id = await put_mail(outbox, store)
    for _ in range(2):
        with pytest.raises(MailRetryLater):
            await sut.deliver(mail_id)
    assert await sut.deliver(mail_id) is DeliveryOutcome.DEAD


async def test_relay_finds_mail_whose_job_was_lost_and_abandoned_claims() -> None:
    outbox, sut, store, _, jobs, clock = create_system()
    lost = await put_mail(outbox, store, "lost@example.com")
    # a claim whose worker died: the lease runs out
    abandoned = await put_mail(outbox, store, "abandoned@example.com")
    async with MemoryUnitOfWork(store) as uow:
        await uow.outbox.claim(abandoned, clock.now(), clock.now() + timedelta(minutes=5))
        await uow.commit()
    clock.advance(timedelta(minutes=10))
    fresh = await put_mail(outbox, store, "fresh@example.com")
    jobs.enqueued.clear()
    assert await sut.relay(grace=timedelta(minutes=2)) == 2
    assert sorted(p["mail_id"] for _, p in jobs.enqueued) == sorted([lost, abandoned])
    assert fresh not in [p["mail_id"] for _, p in jobs.enqueued]


@settings(max_examples=60, deadline=None)
@given(
    mails=st.integers(min_value=1, max_value=4),
    script=st.lists(st.sampled_from([None, "transient", "permanent"]), max_size=8),
    duplicates=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=12),
)
def test_every_mail_is_accepted_at_most_once_and_ends_sent_or_dead(
    mails: int, script: list[str | None], duplicates: list[int]
) -> None:
    """Whatever the failures and however often jobs are duplicated or run concurrently,
    no mail is accepted twice, and after retries each mail is sent or dead."""

    async def scenario() -> None:
        outbox, sut, store, mailer, _, _ = create_system(script, max_attempts=4)
        ids = [await put_mail(outbox, store, f"p{i}@example.com") for i in range(mails)]

        async def attempt(mail_id: str) -> None:
            with contextlib.suppress(MailRetryLater):
                await sut.deliver(mail_id)

        # duplicated and concurrent deliveries, as redelivered jobs would cause
        await asyncio.gather(*(attempt(ids[i % mails]) for i in duplicates))
        for _ in range(5):  # the retries dramatiq would make
            await asyncio.gather(*(attempt(mail_id) for mail_id in ids))
        accepted = Counter(message.to for message in mailer.accepted)
        assert all(count == 1 for count in accepted.values())
        for mail_id in ids:
            mail = store.outbox[mail_id]
            assert mail.status in (MailStatus.SENT, MailStatus.DEAD)
            assert (mail.status is MailStatus.SENT) == (accepted[mail.to] == 1)

    asyncio.run(scenario())
