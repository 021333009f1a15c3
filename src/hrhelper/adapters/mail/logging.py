from __future__ import annotations

from collections import deque

import structlog

from hrhelper.ports.mail import Mailer, MailMessage

__all__ = ["LoggingMailer"]

_log = structlog.get_logger(__name__)


class LoggingMailer(Mailer):
    """Development mailer: logs each mail and keeps the last ``keep`` of them in memory."""

    def __init__(self, keep: int = 100) -> None:
        self.sent: deque[MailMessage] = deque(maxlen=keep)

    async def send(self, message: MailMessage) -> None:
        self.sent.append(message)
        _log.info(
            "mail_kept",
            to=message.to,
            subject=message.subject,
            message_id=message.message_id,
            body=message.body,
        )
