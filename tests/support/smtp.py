"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

__all__ = ["CapturingSmtp", "smtp_server"]


class CapturingSmtp:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)

    def bodies_to(self, address: str) -> list[str]:
        return [
            m.get_content()
            for m in self.messages
            if address in str(m["To"])  # type: ignore[attr-defined]
        ]


@contextmanager
def smtp_server() -> Iterator[tuple[CapturingSmtp, str]]:
    handler = CapturingSmtp()
    # aiosmtpd checks readiness on the port it was given, so it cannot take port 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()
