"""The task tracker recruiters keep candidates in (ClickUp), as the domain sees it.

One ``TaskSource`` talks with one user's API token. The hierarchy is team (workspace) →
space → folder (optional) → list → task. Ids are strings, as ClickUp gives them; every time is
timezone-aware. Every method may raise the domain errors:

- ``NotFound`` — the team, space, folder, list or task does not exist, or the token cannot see
  it;
- ``OutsideServiceError`` — ClickUp refused for a reason a person can fix (the token was
  rejected, a bad parameter; ClickUp's own message is in the error);
- ``OutsideServiceUnavailable`` — ClickUp is down, timing out or rate-limiting; try later
  (``details["retry_after"]`` in seconds when ClickUp said when).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeAlias

__all__ = [
    "FieldOption",
    "FieldValue",
    "Task",
    "TaskAttachment",
    "TaskComment",
    "TaskField",
    "TaskFolder",
    "TaskList",
    "TaskPage",
    "TaskPriority",
    "TaskQuery",
    "TaskSource",
    "TaskSpace",
    "TaskStatus",
    "TaskTeam",
    "TaskUser",
]

FieldValue: TypeAlias = (
    "bool | int | float | str | tuple[FieldValue, ...] | Mapping[str, FieldValue] | None"
)
"""A custom field's value as ClickUp sent it (JSON, with arrays as tuples, read-only)."""


@dataclass(frozen=True, slots=True)
class TaskTeam:
    """A workspace ("team" in ClickUp API v2)."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class TaskSpace:
    id: str
    name: str
    archived: bool = False


@dataclass(frozen=True, slots=True)
class TaskFolder:
    id: str
    name: str
    space_id: str | None = None
    hidden: bool = False
    """A hidden folder holds the space's folderless lists in some answers."""
    task_count: int | None = None


@dataclass(frozen=True, slots=True)
class TaskList:
    id: str
    name: str
    folder_id: str | None = None
    """None for a folderless list (it hangs right under its space)."""
    space_id: str | None = None
    task_count: int | None = None
    archived: bool = False


@dataclass(frozen=True, slots=True)
class TaskUser:
    id: str
    name: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class TaskStatus:
    name: str
    type: str = ""
    """``open``, ``custom``, ``done`` or ``closed``."""
    color: str = ""

    @property
    def closed(self) -> bool:
        return self.type in ("done", "closed")


@dataclass(frozen=True, slots=True)
class TaskPriority:
    level: int | None
    """1 urgent, 2 high, 3 normal, 4 low."""
    name: str
    """``urgent``, ``high``, ``normal`` or ``low``."""


@dataclass(frozen=True, slots=True)
class FieldOption:
    """One choice of a dropdown or labels field."""

    id: str
    name: str
    orderindex: int | None = None


@dataclass(frozen=True, slots=True)
class TaskField:
    """A custom field on a task, with what is needed to read its value."""

    id: str
    name: str
    type: str
    """ClickUp's field type: ``text``, ``drop_down``, ``labels``, ``date``, ``currency`` ..."""
    value: FieldValue = None
    """None when the field is not set on this task."""
    options: tuple[FieldOption, ...] = ()
    """The choices of a ``drop_down`` or ``labels`` field."""
    currency: str | None = None
    """The ISO code of a ``currency`` field."""


@dataclass(frozen=True, slots=True)
class TaskAttachment:
    id: str
    name: str
    url: str
    """Where ``TaskSource.download`` fetches it."""
    content_type: str = ""
    size: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TaskComment:
    id: str
    text: str
    author: TaskUser | None
    created_at: datetime
    resolved: bool = False


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    name: str
    url: str
    description: str = ""
    """Plain text (ClickUp's ``text_content``)."""
    markdown: str | None = None
    status: TaskStatus | None = None
    priority: TaskPriority | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    due_at: datetime | None = None
    creator: TaskUser | None = None
    assignees: tuple[TaskUser, ...] = ()
    tags: tuple[str, ...] = ()
    custom_fields: tuple[TaskField, ...] = ()
    list_id: str | None = None
    folder_id: str | None = None
    space_id: str | None = None
    parent_id: str | None = None
    """Set on a subtask."""
    attachments: tuple[TaskAttachment, ...] = ()
    """Filled by ``TaskSource.task``; tasks read from a list come without them."""


@dataclass(frozen=True, slots=True)
class TaskQuery:
    """Which tasks of a list to read. By default ClickUp leaves out closed tasks, subtasks and
    archived tasks."""

    include_closed: bool = False
    subtasks: bool = False
    archived: bool = False
    statuses: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    updated_after: datetime | None = None
    """Only tasks changed after this moment (an incremental sync)."""
    order_by: str | None = None
    """``id``, ``created``, ``updated`` or ``due_date``."""
    reverse: bool = False


@dataclass(frozen=True, slots=True)
class TaskPage:
    tasks: tuple[Task, ...]
    page: int
    """0-based, as ClickUp counts."""
    last_page: bool


class TaskSource(Protocol):
    """ClickUp with one user's token."""

    async def teams(self) -> list[TaskTeam]:
        """The workspaces the token may see; also the cheapest check that the token works."""
        ...

    async def spaces(self, team_id: str) -> list[TaskSpace]: ...

    async def folders(self, space_id: str) -> list[TaskFolder]: ...

    async def lists(self, folder_id: str) -> list[TaskList]:
        """The lists of a folder."""
        ...

    async def folderless_lists(self, space_id: str) -> list[TaskList]:
        """The lists right under a space, outside any folder."""
        ...

    async def task_page(self, list_id: str, page: int, query: TaskQuery) -> TaskPage:
        """One page (up to 100 tasks) of a list, ``page`` counted from 0."""
        ...

    async def tasks(
        self, list_id: str, query: TaskQuery, *, limit: int | None = None
    ) -> list[Task]:
        """Every matching task of a list (page after page until the last), each once, or the
        first ``limit`` of them."""
        ...

    async def task(self, task_id: str) -> Task:
        """One task with its attachments."""
        ...

    async def attachments(self, task_id: str) -> list[TaskAttachment]: ...

    async def download(self, attachment: TaskAttachment) -> bytes:
        """The attachment's content."""
        ...

    async def comments(self, task_id: str) -> list[TaskComment]:
        """Every comment of a task, oldest first."""
        ...

    async def add_tag(self, task_id: str, tag: str) -> None:
        """Put ``tag`` on the task; a tag it already has is left as is."""
        ...
