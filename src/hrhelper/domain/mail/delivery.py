"""Delivering outbox mail: at most one sender at a time per mail, retried with backoff."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from hrhelper.domain.errors import OutsideServiceUnavailable
from hrhelper.domain.mail.outbox import DELIVER_MAIL_JOB
from hrhelper.ports.clock import Clock
from hrhelper.ports.jobs import JobQueue
from hrhelper.ports.mail import MailDeliveryFailed, Mailer, MailMessage
from hrhelper.ports.persistence import UnitOfWorkFactory

__all__ = ["DeliveryOutcome", "MailDelivery", "MailRetryLater"]


class DeliveryOutcome(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"
    DEAD = "dead"


class MailRetryLater(OutsideServiceUnavailable):
    """The mail server did not take the mail this time; the job should be retried."""


class MailDelivery:
    """Sends one outbox mail.

    - A mail is claimed with a lease before sending, so two workers never send it at once;
      a sent or dead mail is skipped, which makes the job idempotent.
    - A transient failure gives the mail back and raises ``MailRetryLater`` (the job retries
      with backoff); a permanent one, or ``max_attempts`` failures, buries it as dead.
    - A crash while sending leaves the lease to expire; the relay then sends it again.
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        mailer: Mailer,
        clock: Clock,
        jobs: JobQueue,
        *,
        sender: str,
        lease: timedelta = timedelta(minutes=5),
        max_attempts: int = 8,
    ) -> None:
        self._uow_factory = uow_factory
        self._mailer = mailer
        self._clock = clock
        self._jobs = jobs
        self._sender = sender
        self._lease = lease
        self._max_attempts = max_attempts

    async def deliver(self, mail_id: str) -> DeliveryOutcome:
        now = self._clock.now()
        async with self._uow_factory() as uow:
            mail = await uow.outbox.claim(mail_id, now, now + self._lease)
            await uow.commit()
        if mail is None:
            return DeliveryOutcome.SKIPPED
        message = MailMessage(
            to=mail.to,
            subject=mail.subject,
            body=mail.body,
            message_id=mail.message_id,
            sender=self._sender,
        )
        try:
            await self._mailer.send(message)
        except MailDeliveryFailed as failure:
            dead = failure.permanent or mail.attempts >= self._max_attempts
            async with self._uow_factory() as uow:
                await uow.outbox.release(mail_id, failure.reason, dead=dead)
                await uow.commit()
            if dead:
                return DeliveryOutcome.DEAD
            raise MailRetryLater(f"Mail {mail_id} not delivered: {failure.reason}") from failure
        async with self._uow_factory() as uow:
            await uow.outbox.mark_sent(mail_id, self._clock.now())
            await uow.commit()
        return DeliveryOutcome.SENT

    async def relay(self, *, grace: timedelta = timedelta(minutes=2), limit: int = 500) -> int:
        """Enqueue delivery for mail whose job was lost; returns how many were enqueued."""
        now = self._clock.now()
        async with self._uow_factory() as uow:
            ids = await uow.outbox.due(now, now - grace, limit)
        for mail_id in ids:
            await self._jobs.enqueue(DELIVER_MAIL_JOB, {"mail_id": mail_id})
        return len(ids)
