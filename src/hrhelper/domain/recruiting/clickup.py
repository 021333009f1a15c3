"""A ClickUp task (with its attachments and comments) read as a candidate card. No I/O.

Custom fields become text a recruiter would read in ClickUp: a dropdown shows its option's
name rather than its position, labels their names, users and linked tasks their names, dates
as dates in the recruiter's time zone, money with its currency. Unset or empty fields are
left out; two fields with one name share an entry, their values joined by "; ".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation

from hrhelper.domain.recruiting.card import Attachment, CandidateCard, CardComment, CardSource
from hrhelper.ports.clickup import FieldValue, Task, TaskAttachment, TaskComment, TaskField

__all__ = ["card_from_task", "field_text"]

_REJECTED = ("reject", "declin", "отказ", "отклон")
"""Status names (in part, ignoring case) that mean the candidate was turned down."""
_NAME_KEYS = ("name", "username", "title", "label", "formatted_address", "email", "value")


def card_from_task(
    task: Task,
    comments: Iterable[TaskComment] = (),
    attachments: Iterable[TaskAttachment] | None = None,
    *,
    tz: tzinfo = UTC,
) -> CandidateCard:
    """The card of ``task``; ``attachments`` default to the task's own, ``tz`` is where the
    recruiters are (ClickUp keeps a date-only field as that day's midnight there)."""
    fields: dict[str, str] = {}
    for field in task.custom_fields:
        text = field_text(field, tz=tz)
        if text is not None and field.name.strip():
            name = field.name.strip()
            fields[name] = f"{fields[name]}; {text}" if name in fields else text
    files = task.attachments if attachments is None else tuple(attachments)
    status = task.status.name if task.status is not None else ""
    return CandidateCard(
        source=CardSource.CLICKUP,
        source_id=task.id,
        source_url=task.url,
        title=task.name,
        description=task.description or task.markdown or "",
        status=status,
        custom_fields=fields,
        attachments=tuple(_attachment(item) for item in files if item.url),
        comments=tuple(
            CardComment(
                author=comment.author.name if comment.author is not None else "",
                text=comment.text,
                created_at=comment.created_at,
            )
            for comment in sorted(comments, key=lambda c: (c.created_at, c.id))
            if comment.text.strip()
        ),
        rejected=any(word in status.casefold() for word in _REJECTED),
    )


def _attachment(item: TaskAttachment) -> Attachment:
    size = item.size if item.size is not None and item.size >= 0 else None
    return Attachment(name=item.name, url=item.url, content_type=item.content_type, size=size)


def field_text(field: TaskField, *, tz: tzinfo = UTC) -> str | None:
    """The value of ``field`` as a person reads it, or None when it is unset or empty."""
    value = field.value
    if value is None or value == "" or value == ():
        return None
    kind = field.type
    if kind == "drop_down":
        text: str | None = _option_name(field, value, by_index=True)
    elif kind == "labels":
        names = (_option_name(field, item) for item in _many(value))
        text = ", ".join(name for name in names if name)
    elif kind == "date":
        text = _date(value, tz)
    elif kind == "checkbox":
        text = "yes" if value is True or str(value).lower() == "true" else "no"
    elif kind == "currency":
        amount = _number(value)
        text = f"{amount} {field.currency}" if amount and field.currency else amount
    elif kind in ("number", "emoji"):
        text = _number(value)
    elif kind in ("manual_progress", "automatic_progress"):
        text = _progress(value)
    else:
        text = _plain(value)
    return (text.strip() or None) if text is not None else None


def _many(value: FieldValue) -> tuple[FieldValue, ...]:
    return value if isinstance(value, tuple) else (value,)


def _option_name(field: TaskField, value: FieldValue, *, by_index: bool = False) -> str | None:
    """A dropdown's value is its option's orderindex (sometimes the option id); a label's is
    the option id."""
    if isinstance(value, Mapping):
        return _plain(value)
    key = str(value).strip()
    for option in field.options:
        if option.id == key:
            return option.name
    if by_index and key.lstrip("-").isdigit():
        for option in field.options:
            if option.orderindex == int(key):
                return option.name
    return key or None


def _date(value: FieldValue, tz: tzinfo) -> str | None:
    millis = _decimal(value)
    try:
        moment = None if millis is None else datetime.fromtimestamp(int(millis) / 1000, tz)
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None:
        return _plain(value)
    if (moment.hour, moment.minute) == (0, 0):
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")


def _decimal(value: FieldValue) -> Decimal | None:
    """A number sent as a number or as text (ClickUp does both)."""
    if value is None or isinstance(value, bool | Mapping | tuple):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number(value: FieldValue) -> str | None:
    number = _decimal(value)
    if number is None:
        return _plain(value) if not isinstance(value, int | float | str) else str(value)
    if abs(number.adjusted()) > 30:  # written out, it could be millions of digits long
        return str(value)
    return format(number.normalize(), "f")  # 3000, not 3000.0 or 3E+3


def _progress(value: FieldValue) -> str | None:
    if isinstance(value, Mapping):
        percent = value.get("percent_completed")
        if percent is not None and not isinstance(percent, Mapping | tuple):
            number = _number(percent)
            return f"{number}%" if number is not None else None
    return _plain(value)


def _plain(value: FieldValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        parts = (_plain(item) for item in value)
        return ", ".join(part for part in parts if part) or None
    for key in _NAME_KEYS:
        found = value.get(key)
        if isinstance(found, str) and found.strip():
            return found
    return None
