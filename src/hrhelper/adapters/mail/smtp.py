"""SMTP delivery with the standard library, off the event loop."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import parse_qs, unquote, urlsplit

from hrhelper.ports.mail import MailDeliveryFailed, Mailer, MailMessage

__all__ = ["SmtpMailer"]


class SmtpMailer(Mailer):
    """``smtp://user:pass@host:port`` (``?starttls=true`` to upgrade) or ``smtps://`` (TLS)."""

    def __init__(self, url: str, *, timeout: float = 15.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:port or smtps://...")
        self._tls = parts.scheme == "smtps"
        self._host = parts.hostname
        self._port = parts.port or (465 if self._tls else 25)
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        query = parse_qs(parts.query)
        self._starttls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
        self._timeout = timeout

    async def send(self, message: MailMessage) -> None:
        await asyncio.to_thread(self._send_blocking, message)

    def _build(self, message: MailMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = message.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Message-ID"] = message.message_id
        mail["Date"] = formatdate(localtime=False)
        for name, value in message.headers.items():
            mail[name] = value
        mail.set_content(message.body)
        return mail

    def _send_blocking(self, message: MailMessage) -> None:
        client_class = smtplib.SMTP_SSL if self._tls else smtplib.SMTP
        try:
            with client_class(self._host, self._port, timeout=self._timeout) as client:
                if self._starttls:
                    client.starttls(context=ssl.create_default_context())
                if self._user:
                    client.login(self._user, self._password or "")
                client.send_message(self._build(message))
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            permanent = all(500 <= code < 600 for code in codes)
            raise MailDeliveryFailed(f"recipient refused: {codes}", permanent=permanent) from error
        except smtplib.SMTPResponseException as error:
            permanent = 500 <= error.smtp_code < 600 and error.smtp_code != 530
            raise MailDeliveryFailed(
                f"SMTP {error.smtp_code}: {error.smtp_error!r}", permanent=permanent
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise MailDeliveryFailed(f"SMTP unreachable: {error}") from error
