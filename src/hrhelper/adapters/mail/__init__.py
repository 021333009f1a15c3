"""Mail adapters: SMTP for real delivery, a logging one that keeps mail for development."""

from hrhelper.adapters.mail.logging import LoggingMailer
from hrhelper.adapters.mail.smtp import SmtpMailer

__all__ = ["LoggingMailer", "SmtpMailer"]
