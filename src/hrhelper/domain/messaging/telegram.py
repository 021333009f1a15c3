"""Telegram through a bot: what it sends and what reaches it, kept for HR to read.

- A bot cannot read history from before it joined a chat: ``sync`` stores what arrived
  through the update feed since the last sync; ``days_back`` limits what is kept (older
  messages are confirmed to Telegram but not stored).
- The update offset is saved in the transaction that stores the batch, so a crash between
  reading and storing loses nothing (unconfirmed updates are read again).
- A message sent through the bot is stored once Telegram accepted it, as ``outgoing``. A
  chat that refuses the bot (blocked, removed) is marked inactive; its next message to the
  bot makes it active again.
- Syncing runs in the worker (``SYNC_TELEGRAM_JOB``); the HTTP call only queues it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hrhelper.domain.errors import InvalidInput, NotFound, OutsideServiceError
from hrhelper.domain.messaging.model import (
    ChatQuery,
    MessageQuery,
    SyncSummary,
    TelegramChat,
    TelegramMessage,
)
from hrhelper.ports.clock import Clock
from hrhelper.ports.jobs import JobQueue, JobRef
from hrhelper.ports.messenger import (
    ChatRef,
    Messenger,
    MessengerChat,
    MessengerMessage,
    MessengerUpdate,
)
from hrhelper.ports.persistence import UnitOfWork, UnitOfWorkFactory

__all__ = ["PARSE_MODES", "SYNC_TELEGRAM_JOB", "SyncRequest", "TelegramService"]

SYNC_TELEGRAM_JOB = "sync_telegram"
PARSE_MODES = frozenset({"HTML", "MarkdownV2", "Markdown"})
MAX_DAYS_BACK = 365
_BATCH = 100
_MAX_BATCHES = 50  # one sync reads at most 5 000 updates; the next one goes on
_NUMERIC = re.compile(r"^-?\d{1,20}$")
_USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{3,31})$")
_NOT_CONFIGURED = "Telegram is not configured: set TELEGRAM_BOT_TOKEN (the token of the bot)."


@dataclass(frozen=True, slots=True)
class SyncRequest:
    sync_chats: bool = True
    sync_messages: bool = True
    days_back: int = 7

    def checked(self) -> SyncRequest:
        if not 1 <= self.days_back <= MAX_DAYS_BACK:
            raise InvalidInput.for_fields(
                {"days_back": [f"From 1 to {MAX_DAYS_BACK} days, not {self.days_back}."]}
            )
        return self


class TelegramService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        messenger: Messenger,
        jobs: JobQueue,
        clock: Clock,
        *,
        configured: bool = True,
    ) -> None:
        self._uow_factory = uow_factory
        self._messenger = messenger
        self._jobs = jobs
        self._clock = clock
        self._configured = configured

    async def send(
        self,
        chat: str,
        text: str,
        parse_mode: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> TelegramMessage:
        """Send through the bot and store the message Telegram accepted. ``chat`` is a
        numeric chat id or a public ``@username``."""
        ref = _chat_ref(chat)
        if parse_mode and parse_mode not in PARSE_MODES:
            raise InvalidInput.for_fields(
                {"parse_mode": [f"One of {', '.join(sorted(PARSE_MODES))}, or none."]}
            )
        self._check_configured()
        try:
            sent = await self._messenger.send_message(
                ref, text, parse_mode=parse_mode or None, reply_to_message_id=reply_to_message_id
            )
        except OutsideServiceError as error:
            if error.details.get("status") == 403 and isinstance(ref, int):
                await self._deactivate(ref)  # blocked by the person, or removed from the group
            raise
        async with self._uow_factory() as uow:
            stored_chat = await self._store_chat(uow, sent.chat)
            stored = await uow.telegram.upsert_message(_message(stored_chat.pk, sent, True))
            await uow.commit()
        return stored

    async def start_sync(self, request: SyncRequest) -> JobRef:
        """Queue a sync; answers the job's id."""
        checked = request.checked()
        self._check_configured()
        payload = {
            "sync_chats": checked.sync_chats,
            "sync_messages": checked.sync_messages,
            "days_back": checked.days_back,
        }
        return await self._jobs.enqueue(SYNC_TELEGRAM_JOB, payload)

    async def sync(self, request: SyncRequest) -> SyncSummary:
        """Read every new update and store the chats and messages in them."""
        checked = request.checked()
        self._check_configured()
        cutoff = self._clock.now() - timedelta(days=checked.days_back)
        totals = SyncSummary(0, 0, 0, 0)
        async with self._uow_factory() as uow:
            offset = await uow.telegram.update_offset()
        for _ in range(_MAX_BATCHES):
            updates = await self._messenger.updates(offset, limit=_BATCH)
            if not updates:
                break
            offset = updates[-1].update_id + 1
            async with self._uow_factory() as uow:
                chats, messages, skipped = await self._store_batch(uow, updates, checked, cutoff)
                await uow.telegram.save_update_offset(offset)
                await uow.commit()
            totals = SyncSummary(
                totals.updates + len(updates),
                totals.chats + chats,
                totals.messages + messages,
                totals.skipped + skipped,
            )
            if len(updates) < _BATCH:
                break
        return totals

    async def chats(self, query: ChatQuery) -> tuple[int, list[TelegramChat]]:
        async with self._uow_factory() as uow:
            count, rows = await uow.telegram.chats(query)
        return count, list(rows)

    async def chat(self, chat_pk: int) -> TelegramChat:
        async with self._uow_factory() as uow:
            found = await uow.telegram.get_chat(chat_pk)
        if found is None:
            raise NotFound("Telegram chat not found.", {"id": chat_pk})
        return found

    async def messages(self, query: MessageQuery) -> tuple[int, list[TelegramMessage]]:
        if query.date_from and query.date_to and query.date_from > query.date_to:
            raise InvalidInput.for_fields({"date_to": ["Must not be before date_from."]})
        async with self._uow_factory() as uow:
            count, rows = await uow.telegram.messages(query)
        return count, list(rows)

    async def message(self, message_pk: int) -> TelegramMessage:
        async with self._uow_factory() as uow:
            found = await uow.telegram.get_message(message_pk)
        if found is None:
            raise NotFound("Telegram message not found.", {"id": message_pk})
        return found

    async def _store_batch(
        self,
        uow: UnitOfWork,
        updates: Sequence[MessengerUpdate],
        request: SyncRequest,
        cutoff: datetime,
    ) -> tuple[int, int, int]:
        """Store what the updates carry; answers the numbers of chats, messages stored and
        messages skipped. Each chat is written once per batch."""
        chats: dict[int, TelegramChat] = {}
        messages = skipped = 0
        for update in updates:
            found = update.message
            keep = found is not None and request.sync_messages and found.date >= cutoff
            chat = update.chat
            if chat is not None and chat.id not in chats and (keep or request.sync_chats):
                chats[chat.id] = await self._store_chat(uow, chat)
            if found is not None and keep:
                await uow.telegram.upsert_message(_message(chats[found.chat.id].pk, found, False))
                messages += 1
            elif found is not None:
                skipped += 1
        return len(chats), messages, skipped

    async def _deactivate(self, chat_id: int) -> None:
        async with self._uow_factory() as uow:
            await uow.telegram.deactivate_chat(chat_id, self._clock.now())
            await uow.commit()

    def _check_configured(self) -> None:
        if not self._configured:
            raise OutsideServiceError(_NOT_CONFIGURED)

    async def _store_chat(self, uow: UnitOfWork, chat: MessengerChat) -> TelegramChat:
        now = self._clock.now()
        return await uow.telegram.upsert_chat(
            TelegramChat(
                chat_id=chat.id,
                chat_type=chat.type,
                title=chat.name,
                username=chat.username or "",
                is_active=True,
                created_at=now,
                updated_at=now,
            )
        )


def _chat_ref(chat: str) -> ChatRef:
    value = chat.strip()
    if _NUMERIC.match(value):
        return int(value)
    name = _USERNAME.match(value)
    if name is None:
        raise InvalidInput.for_fields(
            {"chat_id": ["A numeric Telegram chat id, or the @username of a public chat."]}
        )
    return "@" + name.group(1)


def _message(chat_pk: int, sent: MessengerMessage, outgoing: bool) -> TelegramMessage:
    sender = sent.sender
    name = ""
    if sender is not None:
        person = " ".join(p for p in (sender.first_name, sender.last_name) if p)
        name = person or sender.username or str(sender.id)
    return TelegramMessage(
        chat=chat_pk,
        message_id=sent.message_id,
        message_type=sent.message_type,
        text=sent.text or "",
        date=sent.date,
        sender_id=sender.id if sender else None,
        sender_name=name,
        reply_to_message_id=sent.reply_to_message_id,
        outgoing=outgoing,
        edited=sent.edited,
    )
