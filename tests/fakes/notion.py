"""A fake Notion API on loopback: real HTTP (uvicorn in a thread), in-memory state.

It imitates the wire behaviour in ``reference/external-apis.md`` § 3 ("Fake server must") for
the 2022-06-28 version: the ``/v1`` prefix; ``Authorization: Bearer`` (401 ``unauthorized``)
and ``Notion-Version`` (400 ``missing_version``) required; the ``{"object": "error", status,
code, message, request_id}`` envelope; ``POST /databases/{id}/query`` with ``page_size`` ≤ 100
(400 ``validation_error`` above), opaque ``start_cursor``/``next_cursor``/``has_more``, sorts
by timestamp or property, and filters on ``last_edited_time`` (``on_or_after``, ``after``,
``before``, ``on_or_before``), select/status/rich_text/title ``equals``/``contains`` and
``and``; ``GET /pages/{id}``; ``GET /blocks/{id}/children`` with paging and ``has_children``;
``GET /users/me``; 404 ``object_not_found`` for unknown or unshared ids; minute-precise
``last_edited_time``; signed file URLs that are downloadable without the token (a second
credential is refused, as S3 does) and can expire; a 3 requests/s rate-limit mode (429
``rate_limited`` with ``Retry-After``); scripted failures and delays; a journal.

Not imitated: the 2025-09-03 data sources, search, writes, the 25-reference truncation of
property values.

Use the ``notion_server`` fixture or ``serve_fake_notion()``. The control surface is the
``FakeNotion`` object itself (plain Python, not HTTP); the property and block builders below
make wire-shaped values.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
import uvicorn
from litestar import Litestar, Request, Response, route

__all__ = [
    "FakeNotion",
    "Recorded",
    "block",
    "notion_server",
    "prop",
    "serve_fake_notion",
    "stamp",
]

Json = dict[str, Any]
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    """Notion's form of a timestamp: UTC, cut to the minute, milliseconds shown."""
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _rich(*parts: str) -> list[Json]:
    return [
        {
            "type": "text",
            "text": {"content": part, "link": None},
            "annotations": {"bold": False, "italic": False, "code": False, "color": "default"},
            "plain_text": part,
            "href": None,
        }
        for part in parts
    ]


class prop:  # noqa: N801 - a namespace of builders, read as prop.title(...)
    """Wire-shaped property values (the ``id`` is added by ``add_page``)."""

    @staticmethod
    def title(*parts: str) -> Json:
        return {"type": "title", "title": _rich(*parts)}

    @staticmethod
    def text(*parts: str) -> Json:
        return {"type": "rich_text", "rich_text": _rich(*parts)}

    @staticmethod
    def plain(kind: str, value: Any) -> Json:
        """email, phone_number, url, number, checkbox."""
        return {"type": kind, kind: value}

    @staticmethod
    def select(name: str | None, kind: str = "select") -> Json:
        option = None if name is None else {"id": name[:4], "name": name, "color": "blue"}
        return {"type": kind, kind: option}

    @staticmethod
    def multi(*names: str) -> Json:
        options = [{"id": n[:4], "name": n, "color": "red"} for n in names]
        return {"type": "multi_select", "multi_select": options}

    @staticmethod
    def date(start: str | None, end: str | None = None) -> Json:
        value = None if start is None else {"start": start, "end": end, "time_zone": None}
        return {"type": "date", "date": value}

    @staticmethod
    def people(*names: str) -> Json:
        users = [{"object": "user", "id": str(uuid.uuid4()), "name": n} for n in names]
        return {"type": "people", "people": users}

    @staticmethod
    def files(*items: tuple[str, str, bool]) -> Json:
        """(name, url, hosted) triples; hosted ones carry an expiry time."""
        expiry = stamp(datetime.now(UTC) + timedelta(hours=1))
        return {
            "type": "files",
            "files": [
                {"name": n, "type": "file", "file": {"url": u, "expiry_time": expiry}}
                if hosted
                else {"name": n, "type": "external", "external": {"url": u}}
                for n, u, hosted in items
            ],
        }


def block(kind: str, *text: str, children: list[Json] | None = None, **extra: Any) -> Json:
    """A block spec with optional nested ``children`` (ids are given by ``add_page``)."""
    body: Json = {"rich_text": _rich(*text), "color": "default", **extra}
    if kind in ("child_page", "child_database"):
        body = {"title": "".join(text)}
    elif kind == "table_row":
        body = {"cells": [_rich(cell) for cell in text]}
    elif kind == "divider":
        body = {}
    return {"type": kind, kind: body, "_children": list(children or [])}


@dataclass(frozen=True)
class Recorded:
    """One request as the fake received it (headers with lower-case names)."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    at: float
    """``time.monotonic()`` on arrival."""

    @property
    def params(self) -> dict[str, str]:
        return dict(self.query)

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class _Script:
    path: str
    times: int
    status: int | None = None
    code: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    delay_s: float = 0.0


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Any:
    body = {
        "object": "error",
        "status": status,
        "code": code,
        "message": message,
        "request_id": str(uuid.uuid4()),
    }
    return _reply(status, body, headers)


def _reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        content=json.dumps(body).encode(),
        status_code=status,
        media_type="application/json",
        headers=headers or {},
    )


def _listing(items: list[Json], params: Json, kind: str) -> Response[Any]:
    """The list envelope for ``items`` from ``start_cursor`` (an item id, as Notion's are)."""
    size = params.get("page_size", 100)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 100:
        return _error(400, "validation_error", "body.page_size should be ≤ `100`, instead was …")
    start = 0
    cursor = params.get("start_cursor")
    if cursor is not None:
        ids = [item["id"] for item in items]
        if cursor not in ids:
            return _error(400, "validation_error", "start_cursor is not a valid cursor.")
        start = ids.index(cursor)
    chunk = items[start : start + size]
    more = start + size < len(items)
    body = {
        "object": "list",
        "results": chunk,
        "next_cursor": items[start + size]["id"] if more else None,
        "has_more": more,
        "type": kind,
        kind: {},
        "request_id": str(uuid.uuid4()),
    }
    return _reply(200, body)


class FakeNotion:
    """State, control surface and ASGI app of the fake. Mutate state between requests only
    from the test (the server runs in another thread; shared parts are guarded)."""

    def __init__(self) -> None:
        self.url = ""
        """``http://127.0.0.1:<port>/v1`` once served."""
        self.root = ""
        self._mutex = threading.Lock()
        self.journal: list[Recorded] = []
        self.tokens: set[str] = set()
        self.rate_limit = False
        """When on, more than ``rate_limit_per_second`` requests per token in any second →
        429 ``rate_limited`` with ``Retry-After: 1``."""
        self.rate_limit_per_second = 3
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self._scripts: list[_Script] = []
        self.databases: dict[str, Json] = {}
        self.pages: dict[str, Json] = {}
        self.children: dict[str, list[Json]] = defaultdict(list)
        """block or page id → its child blocks, in order."""
        self.files: dict[str, tuple[bytes, str]] = {}
        self.files_expired = False
        self.bot: Json = {
            "object": "user",
            "id": str(uuid.uuid4()),
            "name": "HR backend",
            "avatar_url": None,
            "type": "bot",
            "bot": {"owner": {"type": "workspace", "workspace": True}, "workspace_name": "Acme"},
        }
        self.app = Litestar(
            route_handlers=[self._entry_route()], openapi_config=None, logging_config=None
        )

    # -- control surface ---------------------------------------------------------------

    def issue_token(self) -> str:
        token = "ntn_" + secrets.token_hex(20)
        self.tokens.add(token)
        return token

    def add_database(self, *, shared: bool = True) -> str:
        database_id = str(uuid.uuid4())
        self.databases[database_id] = {"shared": shared, "pages": []}
        return database_id

    def add_page(
        self,
        database_id: str,
        properties: dict[str, Json],
        *,
        blocks: list[Json] | None = None,
        created: datetime | None = None,
        edited: datetime | None = None,
    ) -> str:
        page_id = str(uuid.uuid4())
        count = len(self.pages)
        created = created or START + timedelta(minutes=count)
        props = {
            name: {"id": f"p{i}", **value} for i, (name, value) in enumerate(properties.items())
        }
        self.pages[page_id] = {
            "object": "page",
            "id": page_id,
            "created_time": stamp(created),
            "last_edited_time": stamp(edited or created),
            "created_by": {"object": "user", "id": self.bot["id"]},
            "last_edited_by": {"object": "user", "id": self.bot["id"]},
            "cover": None,
            "icon": None,
            "parent": {"type": "database_id", "database_id": database_id},
            "archived": False,
            "in_trash": False,
            "properties": props,
            "url": f"https://www.notion.so/Candidate-{page_id.replace('-', '')}",
            "public_url": None,
        }
        self.databases[database_id]["pages"].append(page_id)
        self._add_blocks(page_id, blocks or [], created)
        return page_id

    def edit_page(self, page_id: str, at: datetime, **properties: Json) -> None:
        """Change properties (by name) and move ``last_edited_time`` to ``at`` (cut to the
        minute, as Notion does)."""
        with self._mutex:
            page = self.pages[page_id]
            for name, value in properties.items():
                old = page["properties"].get(name, {"id": f"p{len(page['properties'])}"})
                page["properties"][name] = {"id": old["id"], **value}
            page["last_edited_time"] = stamp(at)

    def archive_page(self, page_id: str) -> None:
        self.pages[page_id]["archived"] = self.pages[page_id]["in_trash"] = True

    def add_file(self, name: str, content: bytes, content_type: str = "application/pdf") -> str:
        """Host a file; answers its signed URL (like Notion's S3 links)."""
        key = uuid.uuid4().hex
        self.files[key] = (content, content_type)
        signature = secrets.token_hex(16)
        return f"{self.root}/files/{key}/{name}?X-Amz-Expires=3600&X-Amz-Signature={signature}"

    def fail_next(
        self,
        path: str,
        status: int,
        times: int = 1,
        *,
        code: str = "",
        headers: dict[str, str] | None = None,
        text: str | None = None,
    ) -> None:
        """The next ``times`` calls to ``path`` (below ``/v1``, or ``/files``) answer
        ``status`` with a Notion error envelope, or the non-JSON ``text``."""
        with self._mutex:
            self._scripts.append(
                _Script(_below_v1(path), times, status, code, dict(headers or {}), text)
            )

    def delay_next(self, path: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls to ``path`` are answered ``seconds`` late."""
        with self._mutex:
            self._scripts.append(_Script(_below_v1(path), times, delay_s=seconds))

    def requests(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        with self._mutex:
            entries = list(self.journal)
        wanted = None if path is None else "/v1" + _below_v1(path)
        return [
            e
            for e in entries
            if (method is None or e.method == method)
            and (wanted is None or e.path in (wanted, _below_v1(path or "")))
        ]

    def max_requests_in_window(self, window_s: float = 1.0) -> int:
        """The most API requests within any ``window_s`` (sliding, not aligned)."""
        times = sorted(e.at for e in self.requests() if e.path.startswith("/v1/"))
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= window_s:
                start += 1
            best = max(best, end - start + 1)
        return best

    # -- state helpers -------------------------------------------------------------------

    def _add_blocks(self, parent_id: str, specs: list[Json], at: datetime) -> None:
        for spec in specs:
            block_id = str(uuid.uuid4())
            kind = spec["type"]
            nested = spec.get("_children") or []
            self.children[parent_id].append(
                {
                    "object": "block",
                    "id": block_id,
                    "parent": {"type": "block_id", "block_id": parent_id},
                    "type": kind,
                    kind: spec[kind],
                    "created_time": stamp(at),
                    "last_edited_time": stamp(at),
                    "has_children": bool(nested),
                    "archived": False,
                    "in_trash": False,
                }
            )
            self._add_blocks(block_id, nested, at)

    def _visible_page(self, page_id: str) -> Json | None:
        page = self.pages.get(page_id)
        if page is None:
            return None
        database = self.databases[page["parent"]["database_id"]]
        return page if database["shared"] else None

    def _page_of_block(self, block_id: str) -> str | None:
        if block_id in self.pages:
            return block_id
        for parent, blocks in self.children.items():
            if any(b["id"] == block_id for b in blocks):
                return self._page_of_block(parent)
        return None

    # -- HTTP ----------------------------------------------------------------------------

    def _entry_route(self) -> Any:
        fake = self

        @route("/{path:path}", http_method=["GET", "POST", "PATCH", "DELETE"])
        async def entry(request: Request[Any, Any, Any]) -> Response[Any]:
            return await fake._handle(request)

        return entry

    async def _handle(self, request: Request[Any, Any, Any]) -> Response[Any]:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        path = request.url.path
        entry = Recorded(
            request.method,
            path,
            parse_qsl(request.url.query, keep_blank_values=True),
            headers,
            body,
            time.monotonic(),
        )
        with self._mutex:
            self.journal.append(entry)
        script = self._take_script(_below_v1(path))
        if script is not None and script.status is not None:
            if script.text is not None:
                return Response(
                    content=script.text, status_code=script.status, media_type="text/html"
                )
            code = script.code or _CODES.get(script.status, "internal_server_error")
            return _error(script.status, code, f"Scripted {script.status}", script.headers)
        if path.startswith("/files/"):
            answer = self._file(entry)
        elif path.startswith("/v1/"):
            answer = self._api(entry, path[3:])
        else:
            answer = _error(400, "invalid_request_url", "Invalid request URL.")
        if script is not None and script.delay_s:
            await asyncio.sleep(script.delay_s)
        return answer

    def _take_script(self, path: str) -> _Script | None:
        with self._mutex:
            for script in self._scripts:
                if script.path == path:
                    script.times -= 1
                    if script.times <= 0:
                        self._scripts.remove(script)
                    return script
        return None

    def _over_limit(self, token: str) -> bool:
        now = time.monotonic()
        with self._mutex:
            recent = self._recent[token]
            while recent and now - recent[0] >= 1.0:
                recent.popleft()
            if len(recent) >= self.rate_limit_per_second:
                return True
            recent.append(now)
            return False

    def _api(self, entry: Recorded, path: str) -> Response[Any]:
        scheme, _, token = entry.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or token not in self.tokens:
            return _error(401, "unauthorized", "API token is invalid.")
        if not entry.headers.get("notion-version"):
            return _error(400, "missing_version", "Notion-Version header failed validation.")
        if self.rate_limit and self._over_limit(token):
            return _error(429, "rate_limited", "You have been rate limited.", {"Retry-After": "1"})
        parts = path.strip("/").split("/")
        if entry.method == "GET" and parts == ["users", "me"]:
            return _reply(200, self.bot)
        if entry.method == "POST" and len(parts) == 3 and parts[::2] == ["databases", "query"]:
            return self._query(entry, _norm(parts[1]))
        if entry.method == "GET" and len(parts) == 2 and parts[0] == "pages":
            page = self._visible_page(_norm(parts[1]))
            return _reply(200, page) if page else _not_found("page", parts[1])
        if entry.method == "GET" and len(parts) == 3 and parts[::2] == ["blocks", "children"]:
            return self._children(entry, _norm(parts[1]))
        return _error(400, "invalid_request_url", "Invalid request URL.")

    def _query(self, entry: Recorded, database_id: str) -> Response[Any]:
        database = self.databases.get(database_id)
        if database is None or not database["shared"]:
            return _not_found("database", database_id)
        try:
            params = entry.json or {}
        except ValueError:
            return _error(400, "invalid_json", "Error parsing JSON body.")
        with self._mutex:
            pages = [self.pages[i] for i in database["pages"] if not self.pages[i]["archived"]]
        try:
            pages = [p for p in pages if _matches(p, params.get("filter"))]
            for sort in reversed(params.get("sorts") or []):
                pages.sort(key=_sort_key(sort), reverse=sort.get("direction") == "descending")
        except _Invalid as problem:
            return _error(400, "validation_error", str(problem))
        return _listing(pages, params, "page_or_database")

    def _children(self, entry: Recorded, block_id: str) -> Response[Any]:
        owner = self._page_of_block(block_id)
        if owner is None or self._visible_page(owner) is None:
            return _not_found("block", block_id)
        params: Json = {}
        for key, value in entry.params.items():
            params[key] = int(value) if key == "page_size" and value.isdigit() else value
        return _listing(list(self.children.get(block_id, [])), params, "block")

    def _file(self, entry: Recorded) -> Response[Any]:
        parts = entry.path.split("/")
        stored = self.files.get(parts[2]) if len(parts) > 3 else None
        if "authorization" in entry.headers:
            return _s3_error(400, "InvalidArgument", "Only one auth mechanism allowed")
        if stored is None:
            return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
        if self.files_expired or "X-Amz-Signature" not in entry.params:
            return _s3_error(403, "AccessDenied", "Request has expired")
        content, content_type = stored
        return Response(content=content, status_code=200, media_type=content_type)


_CODES = {
    400: "validation_error",
    401: "unauthorized",
    403: "restricted_resource",
    404: "object_not_found",
    409: "conflict_error",
    429: "rate_limited",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
    529: "service_overload",
}


class _Invalid(Exception):
    pass


def _not_found(kind: str, ident: str) -> Response[Any]:
    return _error(
        404,
        "object_not_found",
        f"Could not find {kind} with ID: {ident}. Make sure the relevant pages and databases "
        "are shared with your integration.",
    )


def _s3_error(status: int, code: str, message: str) -> Response[Any]:
    body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return Response(content=body.encode(), status_code=status, media_type="application/xml")


def _below_v1(path: str) -> str:
    path = path if path.startswith("/") else "/" + path
    return path[3:] if path.startswith("/v1/") else path


def _norm(ident: str) -> str:
    raw = ident.replace("-", "").lower()
    if len(raw) != 32:
        return ident
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def _when(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise _Invalid(f"{value!r} is not an ISO 8601 date") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_TIME_TESTS = {
    "on_or_after": lambda a, b: a >= b,
    "after": lambda a, b: a > b,
    "on_or_before": lambda a, b: a <= b,
    "before": lambda a, b: a < b,
    "equals": lambda a, b: a == b,
}


def _text_of(value: Json) -> str:
    kind = value.get("type")
    payload = value.get(kind)
    if kind in ("title", "rich_text"):
        return "".join(part["plain_text"] for part in payload)
    if kind in ("select", "status"):
        return payload["name"] if payload else ""
    if isinstance(payload, str | int | float):
        return str(payload)
    return ""


def _matches(page: Json, condition: Any) -> bool:
    if condition is None:
        return True
    if not isinstance(condition, dict):
        raise _Invalid("body.filter should be an object")
    if "and" in condition:
        return all(_matches(page, c) for c in condition["and"])
    if "or" in condition:
        return any(_matches(page, c) for c in condition["or"])
    if condition.get("timestamp") in ("last_edited_time", "created_time"):
        key = condition["timestamp"]
        tests = condition.get(key)
        if not isinstance(tests, dict) or len(tests) != 1 or next(iter(tests)) not in _TIME_TESTS:
            raise _Invalid(f"body.filter.{key} should have exactly one known condition")
        ((test, value),) = tests.items()
        if test not in _TIME_TESTS:
            raise _Invalid(f"unsupported {key} filter {test!r}")
        return bool(_TIME_TESTS[test](_when(page[key]), _when(value)))
    name = condition.get("property")
    value = page["properties"].get(name)
    if value is None:
        raise _Invalid(f"Could not find property with name or id: {name}")
    ((_, test),) = ((k, v) for k, v in condition.items() if k != "property")
    text = _text_of(value).lower()
    if "equals" in test:
        return text == str(test["equals"]).lower()
    if "contains" in test:
        return str(test["contains"]).lower() in text
    raise _Invalid(f"unsupported filter {condition!r}")


def _sort_key(sort: Json) -> Any:
    if "timestamp" in sort:
        key = sort["timestamp"]
        if key not in ("created_time", "last_edited_time"):
            raise _Invalid(f"unsupported sort timestamp {key!r}")
        return lambda page: page[key]
    name = sort.get("property")

    def by_property(page: Json) -> Any:
        value = page["properties"].get(name)
        if value is None:
            raise _Invalid(f"Could not find sort property with name or id: {name}")
        payload = value.get(value["type"])
        return (0, payload, "") if isinstance(payload, int | float) else (1, 0, _text_of(value))

    return by_property


@contextmanager
def serve_fake_notion(fake: FakeNotion | None = None) -> Iterator[FakeNotion]:
    """Serve ``fake`` (or a new one) on 127.0.0.1:<free port> until the block ends."""
    fake = fake or FakeNotion()
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
            raise RuntimeError("the fake Notion server did not start")
        time.sleep(0.01)
    fake.root = f"http://127.0.0.1:{port}"
    fake.url = fake.root + "/v1"
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def notion_server() -> Iterator[FakeNotion]:
    """A fresh, empty fake Notion per test: ``.url`` ends with ``/v1``."""
    with serve_fake_notion() as fake:
        yield fake
