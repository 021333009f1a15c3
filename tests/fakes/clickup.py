"""A fake ClickUp API v2 on loopback: real HTTP (uvicorn in a thread), in-memory state.

It imitates the wire behaviour in ``reference/external-apis.md`` § 2 ("Fake server must"):
``/api/v2`` prefix; ``Authorization: pk_...`` (no Bearer) or ``Bearer ...``, 401
``OAUTH_017`` without the header and ``OAUTH_025`` for an unknown token; ids as strings and
times as millisecond strings; unset custom fields without ``value``; the team → space →
folder → list hierarchy with folderless lists; tasks by 0-based ``page``, at most 100 a page,
with ``last_page``, honouring ``include_closed``, ``subtasks``, ``archived``,
``date_updated_gt``, ``statuses[]``, ``tags[]``, ``assignees[]``, ``order_by`` and
``reverse``; a task with its attachments, which download from their own URLs without a token;
comments, newest 25 first, older ones by ``start``/``start_id``; adding tags; a per-token
limit (100 per 60 s by default) answering 429 with ``X-RateLimit-Limit/Remaining/Reset``,
headers also sent on every other answer; scripted failures and slow answers; and a journal.

Assumptions where the public docs are silent: the window is fixed and starts with the first
request in it; tasks come newest first unless ``reverse=true``; ``archived=true`` lists only
archived tasks; tags are kept lower-case, as ClickUp shows them.

Use the ``clickup_server`` fixture, or ``serve_fake_clickup()`` as a context manager. The
control surface is the ``FakeClickUp`` object itself (plain Python, not HTTP).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import secrets
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import pytest
import uvicorn
from litestar import Litestar, Request, Response, route

__all__ = ["FakeClickUp", "Recorded", "clickup_server", "serve_fake_clickup"]

Json = dict[str, Any]
API = "/api/v2"
PAGE_SIZE = 100
COMMENTS_PAGE = 25
START = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@dataclass
class Recorded:
    """One request as the fake received it (headers with lower-case names) and its answer."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    at: float
    """``time.monotonic()`` on arrival."""
    wall: float
    """``time.time()`` on arrival (comparable with ``X-RateLimit-Reset``)."""
    status: int = 0
    reset: int | None = None
    """``X-RateLimit-Reset`` of the answer, when it was a 429."""

    @property
    def params(self) -> dict[str, str]:
        return dict(self.query)

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.query if key == name]

    @property
    def token(self) -> str:
        return self.headers.get("authorization", "").removeprefix("Bearer ").strip()


@dataclass
class _Script:
    path: str
    method: str | None
    times: int
    status: int | None = None
    body: Any = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def ms(moment: datetime) -> str:
    """A time as ClickUp sends it: Unix milliseconds in a string."""
    return str(int(moment.timestamp() * 1000))


def _reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        content=json.dumps(body).encode(),
        status_code=status,
        media_type="application/json",
        headers=headers or {},
    )


def _error(status: int, err: str, code: str, headers: dict[str, str] | None = None):
    return _reply(status, {"err": err, "ECODE": code}, headers)


class FakeClickUp:
    """State, control surface and ASGI app of the fake. Mutate state between requests only
    from the test (the server runs in another thread; shared parts are guarded)."""

    def __init__(self) -> None:
        self.url = ""
        """``http://127.0.0.1:<port>/api/v2`` once served."""
        self.origin = ""
        self._mutex = threading.Lock()
        self._ids = itertools.count(1)
        self.journal: list[Recorded] = []
        self.tokens: set[str] = set()
        self.rate_limit = 100
        """Requests per token per window; more → 429 until the window resets."""
        self.rate_window_s = 60.0
        self._windows: dict[str, tuple[float, int]] = {}  # token -> (start, count)
        self._scripts: list[_Script] = []
        self.after_request: list[Callable[[Recorded], None]] = []
        """Called with each journal entry once its answer is ready (change state mid-read)."""
        self._seed()
        self._routes = self._route_table()
        self.app = self._build_app()

    # -- control surface ---------------------------------------------------------------

    def issue_token(self) -> str:
        """A fresh personal token, as ClickUp's Settings → Apps would generate."""
        token = f"pk_{secrets.randbelow(10**8):08d}_{secrets.token_hex(16).upper()}"
        with self._mutex:
            self.tokens.add(token)
        return token

    def fail_next(
        self,
        path: str,
        status: int,
        times: int = 1,
        *,
        method: str | None = None,
        json_body: Any = None,
        text: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next ``times`` calls to ``path`` (below ``/api/v2``, or a download path)
        answer ``status`` with ``json_body``, or the non-JSON ``text``, or a ClickUp-style
        ``{err, ECODE}`` body."""
        script = _Script(_below_api(path), method, times, status, json_body, text, headers or {})
        with self._mutex:
            self._scripts.append(script)

    def throttle_next(self, path: str, reset_in_s: float, times: int = 1) -> None:
        """The next ``times`` calls to ``path`` answer 429 with a reset ``reset_in_s`` ahead."""
        reset = str(math.ceil(time.time() + reset_in_s))
        headers = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0"}
        headers["X-RateLimit-Reset"] = reset
        body = {"err": "Rate limit reached", "ECODE": "APP_002"}
        self.fail_next(path, 429, times, json_body=body, headers=headers)

    def delay_next(self, path: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls to ``path`` are processed, then answered late."""
        with self._mutex:
            self._scripts.append(_Script(_below_api(path), None, times, delay_s=seconds))

    def requests(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        """Journal entries, optionally only one method and one path (below ``/api/v2``)."""
        with self._mutex:
            entries = list(self.journal)
        wanted = None if path is None else _full(path)
        return [
            e
            for e in entries
            if (method is None or e.method == method) and (wanted is None or e.path == wanted)
        ]

    def add_task(
        self,
        list_id: str = "901",
        name: str | None = None,
        *,
        status: str = "to do",
        status_type: str = "open",
        description: str = "",
        tags: tuple[str, ...] = (),
        fields: dict[str, Any] | None = None,
        attachments: tuple[tuple[str, bytes, str], ...] = (),
        assignees: tuple[int, ...] = (),
        parent: str | None = None,
        archived: bool = False,
        priority: int | None = None,
        updated: datetime | None = None,
    ) -> str:
        """A task in ``list_id``; ``fields`` maps field ids of the list to values as ClickUp
        sends them; ``attachments`` are (title, content, MIME type)."""
        n = next(self._ids)
        task_id = f"86c{n:05x}"
        created = START + timedelta(minutes=n)
        home = self.lists[list_id]
        task = {
            "id": task_id,
            "custom_id": None,
            "name": name if name is not None else f"Candidate {n}",
            "text_content": description,
            "description": description,
            "markdown_description": description,
            "status": {**_STATUSES[status_type], "status": status},
            "orderindex": f"{n}.0000",
            "date_created": ms(created),
            "date_updated": ms(updated or created),
            "date_closed": ms(created) if status_type in ("closed", "done") else None,
            "date_done": ms(created) if status_type == "done" else None,
            "archived": archived,
            "creator": self.users[183],
            "assignees": [self.users[u] for u in assignees],
            "watchers": [],
            "checklists": [],
            "tags": [_tag(t) for t in tags],
            "parent": parent,
            "top_level_parent": parent,
            "priority": _PRIORITIES.get(priority) if priority else None,
            "due_date": None,
            "start_date": None,
            "points": None,
            "time_estimate": None,
            "custom_fields": self._field_values(list_id, fields or {}),
            "list": {"id": list_id, "name": home["name"], "access": True},
            "folder": {"id": home["folder"]["id"], "name": home["folder"]["name"]},
            "space": {"id": home["space"]["id"]},
            "url": f"https://app.clickup.com/t/{task_id}",
        }
        with self._mutex:
            self.tasks[task_id] = task
            self.attachments[task_id] = [self._attachment(*a) for a in attachments]
        return task_id

    def add_comment(self, task_id: str, text: str, *, at: datetime, user: int = 183) -> str:
        comment_id = str(90000 + next(self._ids))
        comment = {
            "id": comment_id,
            "comment": [{"text": text}],
            "comment_text": text,
            "user": {**self.users[user], "initials": "JD"},
            "resolved": False,
            "assignee": None,
            "assigned_by": None,
            "reactions": [],
            "date": ms(at),
            "reply_count": "0",
        }
        with self._mutex:
            self.comments[task_id].append(comment)
        return comment_id

    def tags_of(self, task_id: str) -> list[str]:
        with self._mutex:
            return [tag["name"] for tag in self.tasks[task_id]["tags"]]

    # -- state ---------------------------------------------------------------------------

    def _seed(self) -> None:
        self.users = {
            183: {"id": 183, "username": "Anna Recruiter", "email": "anna@example.com"},
            184: {"id": 184, "username": "Oleg Interviewer", "email": "oleg@example.com"},
        }
        self.teams: dict[str, Json] = {
            "9001": {"id": "9001", "name": "Acme Recruiting", "color": "#000000", "avatar": None}
        }
        self.spaces: dict[str, Json] = {
            "790": {"id": "790", "name": "Hiring", "private": False, "archived": False},
            "791": {"id": "791", "name": "Old hiring", "private": False, "archived": True},
        }
        self.space_team = {"790": "9001", "791": "9001"}
        self.folders: dict[str, Json] = {
            "457": {"id": "457", "name": "Candidates", "orderindex": 0, "hidden": False},
        }
        self.folder_space = {"457": "790"}
        self.lists: dict[str, Json] = {}
        self._add_list("901", "Python developers", "457")
        self._add_list("902", "QA engineers", "457")
        self._add_list("903", "Inbox", None)
        self.fields: dict[str, list[Json]] = {"901": _FIELDS, "902": [], "903": _FIELDS[:2]}
        self.tasks: dict[str, Json] = {}
        self.attachments: dict[str, list[Json]] = {}
        self.files: dict[str, tuple[bytes, str]] = {}
        self.comments: dict[str, list[Json]] = defaultdict(list)

    def _add_list(self, list_id: str, name: str, folder_id: str | None) -> None:
        folder = (
            {"id": folder_id, "name": self.folders[folder_id]["name"], "hidden": False}
            if folder_id
            else {"id": "458", "name": "hidden", "hidden": True, "access": True}
        )
        self.lists[list_id] = {
            "id": list_id,
            "name": name,
            "orderindex": len(self.lists),
            "content": "",
            "status": None,
            "priority": None,
            "assignee": None,
            "task_count": None,
            "due_date": None,
            "start_date": None,
            "folder": folder,
            "space": {"id": "790", "name": "Hiring", "access": True},
            "archived": False,
            "override_statuses": False,
            "permission_level": "create",
        }

    def _field_values(self, list_id: str, values: dict[str, Any]) -> list[Json]:
        known = {f["id"] for f in self.fields[list_id]}
        if unknown := set(values) - known:
            raise ValueError(f"no such fields in list {list_id}: {sorted(unknown)}")
        # an unset field comes without "value"
        return [
            {**f, **({"value": values[f["id"]]} if f["id"] in values else {})}
            for f in self.fields[list_id]
        ]

    def _attachment(self, title: str, content: bytes, mimetype: str) -> Json:
        attachment_id = f"{secrets.token_hex(4)}-{next(self._ids)}.{title.rsplit('.', 1)[-1]}"
        self.files[attachment_id] = (content, mimetype)
        url = f"{self.origin}/attachments/{attachment_id}/{quote(title)}"
        return {
            "id": attachment_id,
            "date": int(START.timestamp() * 1000),
            "title": title,
            "extension": title.rsplit(".", 1)[-1],
            "mimetype": mimetype,
            "size": len(content),
            "url": url,
            "url_w_query": url + "?view=open",
            "thumbnail_small": None,
        }

    # -- HTTP ----------------------------------------------------------------------------

    def _build_app(self) -> Litestar:
        fake = self

        @route("/{path:path}", http_method=["GET", "POST", "PUT", "PATCH", "DELETE"])
        async def entry(request: Request[Any, Any, Any]) -> Response[Any]:
            return await fake._handle(request)

        return Litestar(route_handlers=[entry], openapi_config=None, logging_config=None)

    async def _handle(self, request: Request[Any, Any, Any]) -> Response[Any]:
        # the path as sent, still percent-encoded: "/" inside a tag name must stay inside it
        raw = request.scope.get("raw_path") or request.url.path.encode()
        entry = Recorded(
            request.method,
            raw.decode("latin-1"),
            parse_qsl(request.url.query, keep_blank_values=True),
            {k.lower(): v for k, v in request.headers.items()},
            await request.body(),
            time.monotonic(),
            time.time(),
        )
        with self._mutex:
            self.journal.append(entry)
        answer = await self._answer(request, entry)
        entry.status = answer.status_code
        if answer.status_code == 429:
            headers = {key.lower(): value for key, value in answer.headers.items()}
            entry.reset = int(headers["x-ratelimit-reset"])
        for hook in list(self.after_request):
            hook(entry)
        return answer

    async def _answer(self, request: Request[Any, Any, Any], entry: Recorded) -> Response[Any]:
        path = _below_api(entry.path)
        script = self._take_script(entry.method, path)
        if script is not None and script.status is not None:
            return _scripted(script)
        if entry.path.startswith("/attachments/"):
            answer = self._download(entry.path)
        elif not entry.path.startswith(API + "/"):
            answer = _error(404, "Route not found", "APP_001")
        else:
            answer = await self._api(request, entry, path)
        if script is not None and script.delay_s:
            await asyncio.sleep(script.delay_s)
        return answer

    async def _api(self, request: Any, entry: Recorded, path: str) -> Response[Any]:
        if "authorization" not in entry.headers:
            return _error(401, "Authorization header required", "OAUTH_017")
        with self._mutex:
            known = entry.token in self.tokens
        if not known:
            return _error(401, "Token invalid", "OAUTH_025")
        limited, headers = self._count(entry.token)
        if limited:
            return _error(429, "Rate limit reached", "APP_002", headers)
        answer = self._route(entry, path)
        answer.headers.update(headers)
        return answer

    def _count(self, token: str) -> tuple[bool, dict[str, str]]:
        now = time.time()
        with self._mutex:
            start, count = self._windows.get(token, (now, 0))
            if now >= start + self.rate_window_s:
                start, count = now, 0
            limited = count >= self.rate_limit
            if not limited:
                count += 1
            self._windows[token] = (start, count)
        return limited, {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, self.rate_limit - count)),
            "X-RateLimit-Reset": str(math.ceil(start + self.rate_window_s)),
        }

    def _take_script(self, method: str, path: str) -> _Script | None:
        with self._mutex:
            for script in self._scripts:
                if script.path == path and script.method in (None, method):
                    script.times -= 1
                    if script.times <= 0:
                        self._scripts.remove(script)
                    return script
        return None

    def _route(self, entry: Recorded, path: str) -> Response[Any]:
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match and method == entry.method:
                return handler(entry, *(unquote(group) for group in match.groups()))
        return _error(404, "Route not found", "APP_001")

    def _route_table(self) -> list[tuple[str, re.Pattern[str], Callable[..., Any]]]:
        segment = r"([^/]+)"
        table = [
            ("GET", "/team", self._teams),
            ("GET", f"/team/{segment}/space", self._spaces),
            ("GET", f"/space/{segment}/folder", self._folders),
            ("GET", f"/folder/{segment}/list", self._folder_lists),
            ("GET", f"/space/{segment}/list", self._folderless_lists),
            ("GET", f"/list/{segment}/task", self._list_tasks),
            ("GET", f"/task/{segment}", self._task),
            ("GET", f"/task/{segment}/comment", self._comments),
            ("POST", f"/task/{segment}/tag/{segment}", self._add_tag),
        ]
        return [(m, re.compile(p), h) for m, p, h in table]

    # -- handlers ------------------------------------------------------------------------

    def _teams(self, entry: Recorded) -> Response[Any]:
        members = [
            {"user": {**u, "color": "#827718", "profilePicture": None}} for u in self.users.values()
        ]
        return _reply(200, {"teams": [{**t, "members": members} for t in self.teams.values()]})

    def _spaces(self, entry: Recorded, team_id: str) -> Response[Any]:
        if team_id not in self.teams:
            return _error(401, "Team not authorized", "OAUTH_027")
        archived = entry.params.get("archived") == "true"
        spaces = [
            {**s, "statuses": list(_STATUSES.values()), "features": {}}
            for sid, s in self.spaces.items()
            if self.space_team[sid] == team_id and (archived or not s["archived"])
        ]
        return _reply(200, {"spaces": spaces})

    def _folders(self, entry: Recorded, space_id: str) -> Response[Any]:
        if space_id not in self.spaces:
            return _error(404, "Space not found", "PROJ_005")
        folders = []
        for fid, f in self.folders.items():
            if self.folder_space[fid] != space_id:
                continue
            lists = [lst for lst in self.lists.values() if lst["folder"]["id"] == fid]
            space = {"id": space_id, "name": self.spaces[space_id]["name"]}
            folders.append(
                {**f, "space": space, "task_count": str(self._count_tasks(lists)), "lists": lists}
            )
        return _reply(200, {"folders": folders})

    def _folder_lists(self, entry: Recorded, folder_id: str) -> Response[Any]:
        if folder_id not in self.folders:
            return _error(404, "Folder not found", "CAT_013")
        lists = [lst for lst in self.lists.values() if lst["folder"]["id"] == folder_id]
        return _reply(200, {"lists": [self._with_count(lst) for lst in lists]})

    def _folderless_lists(self, entry: Recorded, space_id: str) -> Response[Any]:
        if space_id not in self.spaces:
            return _error(404, "Space not found", "PROJ_005")
        lists = [
            lst
            for lst in self.lists.values()
            if lst["folder"].get("hidden") and lst["space"]["id"] == space_id
        ]
        return _reply(200, {"lists": [self._with_count(lst) for lst in lists]})

    def _with_count(self, lst: Json) -> Json:
        return {**lst, "task_count": self._count_tasks([lst])}

    def _count_tasks(self, lists: list[Json]) -> int:
        ids = {lst["id"] for lst in lists}
        with self._mutex:
            return sum(1 for t in self.tasks.values() if t["list"]["id"] in ids)

    def _list_tasks(self, entry: Recorded, list_id: str) -> Response[Any]:
        if list_id not in self.lists:
            return _error(404, "List not found", "ITEM_015")
        try:
            page = int(entry.params.get("page", "0"))
            updated_gt = int(entry.params.get("date_updated_gt", "0"))
        except ValueError:
            return _error(400, "Page must be a number", "PUBLIC_API_005")
        if page < 0:
            return _error(400, "Page must be zero or more", "PUBLIC_API_005")
        with self._mutex:
            found = [t for t in self.tasks.values() if self._matches(t, list_id, entry, updated_gt)]
        key = {"updated": "date_updated", "id": "id", "due_date": "due_date"}.get(
            entry.params.get("order_by", ""), "date_created"
        )
        found.sort(
            key=lambda t: (t[key] or "").rjust(20), reverse=entry.params.get("reverse") != "true"
        )
        chunk = found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        last = (page + 1) * PAGE_SIZE >= len(found)
        return _reply(200, {"tasks": chunk, "last_page": last})

    def _matches(self, task: Json, list_id: str, entry: Recorded, updated_gt: int) -> bool:
        params = entry.params
        statuses = {s.lower() for s in entry.values("statuses[]")}
        tags = set(entry.values("tags[]"))
        assignees = set(entry.values("assignees[]"))
        return (
            task["list"]["id"] == list_id
            and task["archived"] == (params.get("archived") == "true")
            and (
                params.get("include_closed") == "true"
                or task["status"]["type"] not in ("closed", "done")
            )
            and (params.get("subtasks") == "true" or task["parent"] is None)
            and int(task["date_updated"]) > updated_gt
            and (not statuses or task["status"]["status"].lower() in statuses)
            and (not tags or bool(tags & {t["name"] for t in task["tags"]}))
            and (not assignees or bool(assignees & {str(a["id"]) for a in task["assignees"]}))
        )

    def _task(self, entry: Recorded, task_id: str) -> Response[Any]:
        with self._mutex:
            task = self.tasks.get(task_id)
            attachments = list(self.attachments.get(task_id, []))
        if task is None:
            return _error(404, "Task not found, deleted", "ITEM_013")
        body = {**task, "attachments": attachments}
        if entry.params.get("include_markdown_description") != "true":
            body.pop("markdown_description")
        return _reply(200, body)

    def _comments(self, entry: Recorded, task_id: str) -> Response[Any]:
        if task_id not in self.tasks:
            return _error(404, "Task not found, deleted", "ITEM_013")
        with self._mutex:
            newest_first = sorted(self.comments[task_id], key=_comment_key, reverse=True)
        start, start_id = entry.params.get("start"), entry.params.get("start_id")
        if start is not None:
            if not start.isdigit() or not start_id:
                return _error(400, "start and start_id go together", "PUBLIC_API_005")
            after = (int(start), int(start_id))
            newest_first = [c for c in newest_first if _comment_key(c) < after]
        return _reply(200, {"comments": newest_first[:COMMENTS_PAGE]})

    def _add_tag(self, entry: Recorded, task_id: str, tag: str) -> Response[Any]:
        with self._mutex:
            task = self.tasks.get(task_id)
            if task is None:
                return _error(404, "Task not found, deleted", "ITEM_013")
            name = tag.strip().lower()
            if name not in {t["name"] for t in task["tags"]}:
                task["tags"].append(_tag(name))
        return _reply(200, {})

    def _download(self, path: str) -> Response[Any]:
        parts = path.split("/")  # "", "attachments", id, title
        stored = self.files.get(parts[2]) if len(parts) == 4 else None
        if stored is None:
            return Response(
                content=b"<Error>NoSuchKey</Error>", status_code=404, media_type="application/xml"
            )
        content, mimetype = stored
        return Response(content=content, status_code=200, media_type=mimetype)


_STATUSES = {
    "open": {"status": "to do", "type": "open", "orderindex": 0, "color": "#d3d3d3"},
    "custom": {"status": "in progress", "type": "custom", "orderindex": 1, "color": "#4194f6"},
    "done": {"status": "hired", "type": "done", "orderindex": 2, "color": "#6bc950"},
    "closed": {"status": "closed", "type": "closed", "orderindex": 3, "color": "#6bc950"},
}
_PRIORITIES = {
    n: {"id": str(n), "priority": name, "color": "#f8ae00", "orderindex": str(n)}
    for n, name in ((1, "urgent"), (2, "high"), (3, "normal"), (4, "low"))
}


def _field(field_id: str, name: str, kind: str, **config: Any) -> Json:
    return {
        "id": field_id,
        "name": name,
        "type": kind,
        "type_config": config,
        "date_created": ms(START),
        "hide_from_guests": False,
        "required": False,
    }


_FIELDS = [
    _field(
        "f-stage",
        "Stage",
        "drop_down",
        default=0,
        placeholder=None,
        options=[
            {"id": "opt-screen", "name": "Screening", "color": "#fff", "orderindex": 0},
            {"id": "opt-offer", "name": "Offer", "color": "#0f0", "orderindex": 1},
        ],
    ),
    _field("f-email", "Email", "email"),
    _field("f-phone", "Phone", "phone"),
    _field("f-salary", "Salary", "currency", currency_type="USD", precision=2),
    _field(
        "f-skills",
        "Skills",
        "labels",
        options=[
            {"id": "lab-py", "label": "Python", "color": "#f00"},
            {"id": "lab-sql", "label": "SQL", "color": "#00f"},
        ],
    ),
    _field("f-start", "Available from", "date"),
    _field("f-remote", "Remote", "checkbox"),
]


def _tag(name: str) -> Json:
    return {"name": name, "tag_fg": "#fff", "tag_bg": "#f00", "creator": 183}


def _comment_key(comment: Json) -> tuple[int, int]:
    return int(comment["date"]), int(comment["id"])


def _scripted(script: _Script) -> Response[Any]:
    if script.text is not None:
        return Response(
            content=script.text,
            status_code=script.status or 500,
            media_type="text/html",
            headers=script.headers,
        )
    default = {"err": f"Scripted {script.status}", "ECODE": "SCRIPTED"}
    return _reply(script.status or 500, script.body or default, script.headers)


def _below_api(path: str) -> str:
    path = path if path.startswith("/") else "/" + path
    return path[len(API) :] if path.startswith(API + "/") else path


def _full(path: str) -> str:
    path = path if path.startswith("/") else "/" + path
    return path if path.startswith(("/attachments/", API + "/")) else API + path


@contextmanager
def serve_fake_clickup(fake: FakeClickUp | None = None) -> Iterator[FakeClickUp]:
    """Serve ``fake`` (or a new one) on 127.0.0.1:<free port> until the block ends."""
    fake = fake or FakeClickUp()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        fake.app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake ClickUp server did not start")
        time.sleep(0.01)
    fake.origin = f"http://127.0.0.1:{port}"
    fake.url = fake.origin + API
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def clickup_server() -> Iterator[FakeClickUp]:
    """A fresh, seeded fake ClickUp per test: ``.url`` ends with ``/api/v2``."""
    with serve_fake_clickup() as fake:
        yield fake
