"""A messenger bot (Telegram Bot API) as the domain sees it.

A bot sees only what reaches it after it joined a chat: ``updates`` hands out each new update
once (an ``offset`` past an update confirms it), and nothing older can be fetched. Methods may
raise:

- ``InvalidInput`` — the message was refused as written (bad markup for ``parse_mode``, empty
  or too long text, a reply to a message that does not exist); the service's own description
  is in the message;
- ``NotFound`` — the chat does not exist or the bot is not in it;
- ``OutsideServiceError`` — the bot token is not accepted, the bot is blocked or kicked, or
  another consumer reads the updates (a webhook or a second poller);
- ``RateLimited`` — the service asks to wait longer than a call may (``retry_after``);
- ``OutsideServiceUnavailable`` — the service is down or timing out. For ``send_message``
  this may mean the message went out anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = [
    "ChatRef",
    "Messenger",
    "MessengerChat",
    "MessengerMessage",
    "MessengerUpdate",
    "MessengerUser",
]

ChatRef = int | str
"""A chat's numeric id, or ``@username`` of a public channel or group."""


@dataclass(frozen=True, slots=True)
class MessengerUser:
    id: int
    is_bot: bool
    first_name: str
    last_name: str | None = None
    username: str | None = None


@dataclass(frozen=True, slots=True)
class MessengerChat:
    id: int
    type: str
    """``private``, ``group``, ``supergroup`` or ``channel``."""
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None

    @property
    def name(self) -> str:
        """A title to show: the group's title, or the person's name, or the username."""
        person = " ".join(part for part in (self.first_name, self.last_name) if part)
        return self.title or person or self.username or str(self.id)


@dataclass(frozen=True, slots=True)
class MessengerMessage:
    message_id: int
    """Unique within its chat only."""
    chat: MessengerChat
    date: datetime
    """When it was sent (UTC)."""
    message_type: str
    """``text``, ``photo``, ``document``, ``video``, ``voice``, ``audio``, ``sticker``, ...
    or ``other``."""
    text: str | None = None
    """The text, or a media message's caption."""
    sender: MessengerUser | None = None
    reply_to_message_id: int | None = None
    edited: bool = False


@dataclass(frozen=True, slots=True)
class MessengerUpdate:
    update_id: int
    message: MessengerMessage | None = None
    """A new or edited message or channel post; None for other kinds of update."""
    chat: MessengerChat | None = None
    """The chat the update is about (also for membership changes of the bot)."""


class Messenger(Protocol):
    async def me(self) -> MessengerUser:
        """The bot itself; also a cheap check of its token."""
        ...

    async def send_message(
        self,
        chat: ChatRef,
        text: str,
        *,
        parse_mode: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> MessengerMessage:
        """Send ``text`` (``parse_mode``: ``HTML``, ``MarkdownV2`` or ``Markdown``), paced to
        the service's limits. Not idempotent: after ``OutsideServiceUnavailable`` the message
        may have been sent."""
        ...

    async def updates(
        self, offset: int | None = None, *, limit: int = 100, timeout_s: int = 0
    ) -> list[MessengerUpdate]:
        """Updates from ``offset`` on (the last seen ``update_id`` + 1), oldest first;
        ``timeout_s`` > 0 waits that long for the first one to arrive."""
        ...

    async def chat(self, chat: ChatRef) -> MessengerChat: ...
