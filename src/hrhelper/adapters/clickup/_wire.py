"""ClickUp API v2 JSON → port values (unknown keys ignored, missing ones defaulted), and port
values → path segments and query parameters.

ClickUp sends ids as strings (user ids as numbers) and times as Unix milliseconds, usually as
strings ("1567780450202"), sometimes as numbers; both are read into aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from hrhelper.domain.errors import InvalidInput
from hrhelper.ports.clickup import (
    FieldOption,
    FieldValue,
    Task,
    TaskAttachment,
    TaskComment,
    TaskField,
    TaskFolder,
    TaskList,
    TaskPriority,
    TaskQuery,
    TaskSpace,
    TaskStatus,
    TaskTeam,
    TaskUser,
)

__all__ = [
    "attachment",
    "comment",
    "field",
    "folder",
    "freeze",
    "items",
    "ms_time",
    "segment",
    "space",
    "task",
    "task_list",
    "task_params",
    "team",
]

Json = Mapping[str, Any]


def ms_time(value: object) -> datetime | None:
    """A Unix-milliseconds timestamp (string or number) as an aware UTC datetime."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        text = str(value).strip()
        millis = int(text) if text.lstrip("-").isdigit() else int(float(text))
        return datetime.fromtimestamp(millis / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _id(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _count(value: object) -> int | None:
    try:
        return None if value is None or isinstance(value, bool) else int(str(value))
    except ValueError:
        return None


def _object(value: object) -> Json:
    return value if isinstance(value, Mapping) else {}


def items(body: Json, key: str) -> list[Json]:
    found = body.get(key)
    return [item for item in found if isinstance(item, Mapping)] if isinstance(found, list) else []


def freeze(value: object) -> FieldValue:
    """JSON as read-only values: arrays become tuples, objects read-only mappings."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    if isinstance(value, Mapping):
        return MappingProxyType({str(key): freeze(item) for key, item in value.items()})
    return str(value)


def team(body: Json) -> TaskTeam:
    return TaskTeam(id=str(body["id"]), name=_text(body.get("name")))


def space(body: Json) -> TaskSpace:
    return TaskSpace(
        id=str(body["id"]), name=_text(body.get("name")), archived=bool(body.get("archived"))
    )


def folder(body: Json) -> TaskFolder:
    return TaskFolder(
        id=str(body["id"]),
        name=_text(body.get("name")),
        space_id=_id(_object(body.get("space")).get("id")),
        hidden=bool(body.get("hidden")),
        task_count=_count(body.get("task_count")),
    )


def task_list(body: Json) -> TaskList:
    parent = _object(body.get("folder"))
    # a folderless list names a hidden placeholder folder (or none at all)
    folder_id = None if parent.get("hidden") else _id(parent.get("id"))
    return TaskList(
        id=str(body["id"]),
        name=_text(body.get("name")),
        folder_id=folder_id,
        space_id=_id(_object(body.get("space")).get("id")),
        task_count=_count(body.get("task_count")),
        archived=bool(body.get("archived")),
    )


def user(body: object) -> TaskUser | None:
    if not isinstance(body, Mapping) or body.get("id") is None:
        return None
    email = body.get("email")
    return TaskUser(
        id=str(body["id"]),
        name=_text(body.get("username") or body.get("name") or email or ""),
        email=str(email) if email else None,
    )


def _status(body: object) -> TaskStatus | None:
    if not isinstance(body, Mapping) or not body.get("status"):
        return None
    return TaskStatus(
        name=str(body["status"]), type=_text(body.get("type")), color=_text(body.get("color"))
    )


def _priority(body: object) -> TaskPriority | None:
    if not isinstance(body, Mapping) or not body.get("priority"):
        return None
    return TaskPriority(level=_count(body.get("id")), name=str(body["priority"]))


def _option(body: Json) -> FieldOption | None:
    if body.get("id") is None:
        return None
    # drop-down options carry a "name", labels options a "label"
    name = body.get("name") if body.get("name") is not None else body.get("label")
    return FieldOption(
        id=str(body["id"]), name=_text(name), orderindex=_count(body.get("orderindex"))
    )


def field(body: Json) -> TaskField:
    config = _object(body.get("type_config"))
    options = (_option(item) for item in items(config, "options"))
    currency = config.get("currency_type")
    return TaskField(
        id=_text(body.get("id")),
        name=_text(body.get("name")),
        type=_text(body.get("type")),
        value=freeze(body.get("value")),  # absent when unset
        options=tuple(option for option in options if option is not None),
        currency=str(currency) if currency else None,
    )


def attachment(body: Json) -> TaskAttachment:
    name = body.get("title") or body.get("name") or ""
    return TaskAttachment(
        id=_text(body.get("id")),
        name=str(name),
        url=_text(body.get("url")),
        content_type=_text(body.get("mimetype")),
        size=_count(body.get("size")),
        created_at=ms_time(body.get("date")),
    )


def comment(body: Json) -> TaskComment | None:
    created = ms_time(body.get("date"))
    if created is None:
        return None
    text = body.get("comment_text")
    if not isinstance(text, str):
        text = "".join(_text(part.get("text")) for part in items(body, "comment"))
    return TaskComment(
        id=_text(body.get("id")),
        text=text,
        author=user(body.get("user")),
        created_at=created,
        resolved=bool(body.get("resolved")),
    )


def task(body: Json) -> Task:
    assignees = (user(item) for item in items(body, "assignees"))
    tags = (_text(tag.get("name")) for tag in items(body, "tags"))
    markdown = body.get("markdown_description")
    description = body.get("text_content")
    if not isinstance(description, str):
        description = body.get("description")
    return Task(
        id=str(body["id"]),
        name=_text(body.get("name")),
        url=_text(body.get("url")),
        description=_text(description),
        markdown=markdown if isinstance(markdown, str) else None,
        status=_status(body.get("status")),
        priority=_priority(body.get("priority")),
        created_at=ms_time(body.get("date_created")),
        updated_at=ms_time(body.get("date_updated")),
        closed_at=ms_time(body.get("date_closed")),
        due_at=ms_time(body.get("due_date")),
        creator=user(body.get("creator")),
        assignees=tuple(person for person in assignees if person is not None),
        tags=tuple(tag for tag in tags if tag),
        custom_fields=tuple(field(item) for item in items(body, "custom_fields")),
        list_id=_id(_object(body.get("list")).get("id")),
        folder_id=_id(_object(body.get("folder")).get("id")),
        space_id=_id(_object(body.get("space")).get("id")),
        parent_id=_id(body.get("parent")),
        attachments=tuple(attachment(item) for item in items(body, "attachments")),
    )


def segment(value: str) -> str:
    """One path segment: ids come from users and settings, so they are quoted."""
    text = str(value).strip()
    if not text:
        raise InvalidInput.for_fields({"id": ["A ClickUp id must not be blank."]})
    return quote(text, safe="")


def task_params(query: TaskQuery) -> list[tuple[str, str]]:
    """The query of ``GET /list/{id}/task``; arrays go as repeated ``name[]`` parameters."""

    def flag(value: bool) -> str:
        return "true" if value else "false"

    params = [
        ("archived", flag(query.archived)),
        ("include_closed", flag(query.include_closed)),
        ("subtasks", flag(query.subtasks)),
    ]
    if query.order_by:
        params.append(("order_by", query.order_by))
    if query.reverse:
        params.append(("reverse", "true"))
    if query.updated_after is not None:
        params.append(("date_updated_gt", str(int(query.updated_after.timestamp() * 1000))))
    params += [("statuses[]", status) for status in query.statuses]
    params += [("tags[]", tag) for tag in query.tags]
    params += [("assignees[]", assignee) for assignee in query.assignees]
    return params
