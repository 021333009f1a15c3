"""Bot API JSON → port values. Unknown keys are ignored."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from hrhelper.ports.messenger import MessengerChat, MessengerMessage, MessengerUpdate, MessengerUser

__all__ = ["chat", "message", "update", "user"]

Json = Mapping[str, Any]
_MEDIA = (
    "photo",
    "document",
    "video",
    "voice",
    "audio",
    "sticker",
    "animation",
    "video_note",
    "location",
    "contact",
    "poll",
)
_MESSAGE_KEYS = (
    ("message", False),
    ("edited_message", True),
    ("channel_post", False),
    ("edited_channel_post", True),
)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def user(body: Json) -> MessengerUser:
    return MessengerUser(
        id=int(body["id"]),
        is_bot=bool(body.get("is_bot")),
        first_name=str(body.get("first_name") or ""),
        last_name=_text(body.get("last_name")),
        username=_text(body.get("username")),
    )


def chat(body: Json) -> MessengerChat:
    return MessengerChat(
        id=int(body["id"]),
        type=str(body.get("type") or "private"),
        title=_text(body.get("title")),
        username=_text(body.get("username")),
        first_name=_text(body.get("first_name")),
        last_name=_text(body.get("last_name")),
    )


def message(body: Json, *, edited: bool = False) -> MessengerMessage:
    sender = body.get("from")
    reply = body.get("reply_to_message")
    kind = "text" if "text" in body else next((k for k in _MEDIA if k in body), "other")
    return MessengerMessage(
        message_id=int(body["message_id"]),
        chat=chat(body["chat"]),
        date=datetime.fromtimestamp(int(body.get("date") or 0), UTC),
        message_type=kind,
        text=_text(body.get("text", body.get("caption"))),
        sender=user(sender) if isinstance(sender, Mapping) else None,
        reply_to_message_id=int(reply["message_id"]) if isinstance(reply, Mapping) else None,
        edited=edited,
    )


def update(body: Json) -> MessengerUpdate:
    for key, edited in _MESSAGE_KEYS:
        found = body.get(key)
        if isinstance(found, Mapping):
            sent = message(found, edited=edited)
            return MessengerUpdate(int(body["update_id"]), sent, sent.chat)
    for value in body.values():  # my_chat_member, chat_member, chat_join_request, ...
        if isinstance(value, Mapping) and isinstance(value.get("chat"), Mapping):
            return MessengerUpdate(int(body["update_id"]), None, chat(value["chat"]))
    return MessengerUpdate(int(body["update_id"]))
