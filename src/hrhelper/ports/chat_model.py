"""A conversational model (Gemini) as the domain sees it.

``ChatModel.reply`` may raise, besides the errors named here:

- ``OutsideServiceError`` — the model refused for another reason (no access to the model,
  region or billing not available, an unknown model id);
- ``OutsideServiceUnavailable`` — the service is down or timing out after short retries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from hrhelper.domain.errors import InvalidInput, OutsideServiceError, RateLimited

__all__ = [
    "ChatModel",
    "ChatModelBlocked",
    "ChatModelKeyInvalid",
    "ChatModelQuotaExceeded",
    "ChatTurn",
    "Role",
]

Role = Literal["user", "model"]


@dataclass(frozen=True, slots=True)
class ChatTurn:
    """One message of a conversation: the person's (``user``) or the model's (``model``)."""

    role: Role
    text: str


class ChatModelQuotaExceeded(RateLimited):
    """The key's quota (requests or tokens per minute, or per day) is spent."""


class ChatModelBlocked(OutsideServiceError):
    """The model refused to answer for safety (or a similar policy); ``details['reason']``
    is the model's own reason, e.g. ``SAFETY``."""


class ChatModelKeyInvalid(InvalidInput):
    """The service does not accept the API key."""


class ChatModel(Protocol):
    async def reply(self, api_key: str, history: Sequence[ChatTurn], message: str) -> str:
        """The model's answer to ``message`` after the earlier turns ``history`` (oldest
        first; the new message is not part of it and is sent once). ``api_key`` is the
        person's own key; it never appears in errors or logs."""
        ...
