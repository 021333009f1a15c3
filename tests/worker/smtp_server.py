"""A real SMTP server on loopback (aiosmtpd) whose answers to RCPT and DATA are scripted."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

__all__ = ["ScriptedSmtp", "scripted_smtp"]


class ScriptedSmtp:
    """Answers the first RCPTs and DATAs with the scripted replies, then accepts.

    ``transactions`` counts delivery attempts (one RCPT each: the mails have one recipient);
    ``received`` keeps the mails that were accepted.
    """

    def __init__(self, *, rcpt: Iterable[str] = (), data: Iterable[str] = ()) -> None:
        self._rcpt_replies = deque(rcpt)
        self._data_replies = deque(data)
        self._lock = threading.Lock()
        self._transactions = 0
        self._received: list[EmailMessage] = []

    @property
    def transactions(self) -> int:
        with self._lock:
            return self._transactions

    @property
    def received(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._received)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        with self._lock:
            self._transactions += 1
            if self._rcpt_replies:
                return self._rcpt_replies.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            if self._data_replies:
                return self._data_replies.popleft()
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self._received.append(parsed)
        return "250 OK"


@contextmanager
def scripted_smtp(
    *, rcpt: Iterable[str] = (), data: Iterable[str] = ()
) -> Iterator[tuple[ScriptedSmtp, str]]:
    """Run a ScriptedSmtp on 127.0.0.1; yields it and its ``smtp://`` URL."""
    handler = ScriptedSmtp(rcpt=rcpt, data=data)
    # aiosmtpd checks readiness on the port it was given, so it cannot take port 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()
