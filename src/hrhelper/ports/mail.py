"""Sending mail to people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["MailDeliveryFailed", "MailMessage", "Mailer"]


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One mail, ready to go. ``message_id`` is stable across retries so receivers can dedupe."""

    to: str
    subject: str
    body: str
    message_id: str
    sender: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class MailDeliveryFailed(Exception):
    """The mail server refused or could not be reached. ``permanent`` ones are not retried."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Mailer(Protocol):
    async def send(self, message: MailMessage) -> None:
        """Hand the mail to the mail server; raise MailDeliveryFailed when it does not accept."""
        ...
