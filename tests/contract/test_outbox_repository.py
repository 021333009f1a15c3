"""The outbox repository contract, run on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hrhelper.domain.mail.outbox import MailStatus, OutgoingMail
from hrhelper.ports.persistence import UnitOfWork

NOW = datetime(2026, 1, 15, 10, 30, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def create_mail(mail_id: str = "m1", created_at: datetime = NOW) -> OutgoingMail:
    return OutgoingMail(
        id=mail_id, to="ann@example.com", subject="Hi", body="Привет", created_at=created_at
    )


async def add(uow_factory: Callable[[], UnitOfWork], *mails: OutgoingMail) -> None:
    async with uow_factory() as uow:
        for mail in mails:
            await uow.outbox.add(mail)
        await uow.commit()


async def test_added_mail_is_kept_only_after_commit(uow_factory: Callable[[], UnitOfWork]) -> None:
    # Given a mail added without commit
    async with uow_factory() as uow:
        await uow.outbox.add(create_mail("lost"))
    # When another is added and committed
    await add(uow_factory, create_mail("kept"))
    # Then only the committed one exists, intact
    async with uow_factory() as uow:
        assert await uow.outbox.get("lost") is None
        kept = await uow.outbox.get("kept")
    assert kept is not None
    assert (kept.to, kept.body, kept.status, kept.created_at) == (
        "ann@example.com",
        "Привет",
        MailStatus.PENDING,
        NOW,
    )


async def test_claim_is_exclusive_until_the_lease_expires(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    await add(uow_factory, create_mail())
    async with uow_factory() as uow:
        first = await uow.outbox.claim("m1", NOW, NOW + LEASE)
        second = await uow.outbox.claim("m1", NOW + timedelta(minutes=1), NOW + LEASE)
        await uow.commit()
    assert first is not None
    assert first.attempts == 1
    assert first.status is MailStatus.SENDING
    assert second is None
    # after the lease, an abandoned claim can be taken over
    async with uow_factory() as uow:
        later = NOW + LEASE + timedelta(seconds=1)
        third = await uow.outbox.claim("m1", later, later + LEASE)
        await uow.commit()
    assert third is not None
    assert third.attempts == 2


async def test_sent_and_dead_mail_cannot_be_claimed(uow_factory: Callable[[], UnitOfWork]) -> None:
    await add(uow_factory, create_mail("sent"), create_mail("dead"))
    async with uow_factory() as uow:
        await uow.outbox.claim("sent", NOW, NOW + LEASE)
        await uow.outbox.mark_sent("sent", NOW)
        await uow.outbox.claim("dead", NOW, NOW + LEASE)
        await uow.outbox.release("dead", "550 no such user", dead=True)
        await uow.commit()
    far = NOW + timedelta(days=1)
    async with uow_factory() as uow:
        assert await uow.outbox.claim("sent", far, far + LEASE) is None
        assert await uow.outbox.claim("dead", far, far + LEASE) is None
        assert await uow.outbox.claim("unknown", far, far + LEASE) is None
        sent, dead = await uow.outbox.get("sent"), await uow.outbox.get("dead")
    assert sent is not None
    assert dead is not None
    assert (sent.status, sent.sent_at) == (MailStatus.SENT, NOW)
    assert (dead.status, dead.last_error) == (MailStatus.DEAD, "550 no such user")


async def test_released_mail_is_pending_again(uow_factory: Callable[[], UnitOfWork]) -> None:
    await add(uow_factory, create_mail())
    async with uow_factory() as uow:
        await uow.outbox.claim("m1", NOW, NOW + LEASE)
        await uow.outbox.release("m1", "421 try later", dead=False)
        await uow.commit()
    async with uow_factory() as uow:
        again = await uow.outbox.claim("m1", NOW, NOW + LEASE)
    assert again is not None
    assert (again.attempts, again.last_error) == (2, "421 try later")


async def test_due_lists_old_pending_and_abandoned_mail_oldest_first(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    await add(
        uow_factory,
        create_mail("young", NOW),
        create_mail("old", NOW - timedelta(minutes=10)),
        create_mail("older", NOW - timedelta(minutes=20)),
        create_mail("abandoned", NOW - timedelta(minutes=1)),
        create_mail("sending", NOW - timedelta(minutes=30)),
    )
    async with uow_factory() as uow:
        await uow.outbox.claim("abandoned", NOW - timedelta(minutes=9), NOW - timedelta(minutes=4))
        await uow.outbox.claim("sending", NOW, NOW + LEASE)
        await uow.commit()
    async with uow_factory() as uow:
        due = await uow.outbox.due(NOW, NOW - timedelta(minutes=2), limit=10)
        limited = await uow.outbox.due(NOW, NOW - timedelta(minutes=2), limit=1)
    assert list(due) == ["older", "old", "abandoned"]
    assert list(limited) == ["older"]


async def test_after_commit_runs_only_on_commit(uow_factory: Callable[[], UnitOfWork]) -> None:
    ran: list[str] = []

    async def note(tag: str) -> None:
        ran.append(tag)

    async with uow_factory() as uow:
        uow.after_commit(lambda: note("rolled back"))
    async with uow_factory() as uow:
        uow.after_commit(lambda: note("committed"))
        await uow.commit()
    assert ran == ["committed"]
