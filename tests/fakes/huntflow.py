"""A fake Huntflow API v2 on loopback: real HTTP (uvicorn in a thread), in-memory state.

It imitates the wire behaviour in ``reference/external-apis.md`` § 1 ("Fake server must"):
``/v2`` prefix; ``User-Agent`` required (400 ``bad_user_agent``); Bearer tokens that are
valid, expired (401 ``token_expired``) or invalid (401 ``Invalid access token``);
``/token/refresh`` rotating both tokens (404 ``error.robot_token.not_found`` for an unknown
refresh token); the ``page/count/total_pages/total_items/items`` envelope; multipart upload
with ``X-File-Parse``; applicant creation with ``errors[]`` and ``doubles``;
``search_by_cursor`` with an opaque cursor; binding to vacancies; a 10 requests/s rate-limit
mode; scripted failures; and a journal of every request.

Use the ``huntflow_server`` fixture, or ``serve_fake_huntflow()`` as a context manager. The
control surface is the ``FakeHuntflow`` object itself (plain Python, not HTTP).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import secrets
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
import uvicorn
from litestar import Litestar, Request, Response, route

__all__ = ["FakeHuntflow", "Recorded", "huntflow_server", "serve_fake_huntflow"]

Json = dict[str, Any]
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"\+?\d[\d\s()-]{6,}\d")
_TRUTHY = ("true", "1")


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
    method: str | None
    times: int
    status: int | None = None
    body: Any = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def _error(status: int, type_: str, title: str, **extra: Any) -> Response[Any]:
    return _reply(status, {"errors": [{"type": type_, "title": title, **extra}]})


def _reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        content=json.dumps(body).encode(),
        status_code=status,
        media_type="application/json",
        headers=headers or {},
    )


def _digits(value: object) -> str:
    return re.sub(r"\D", "", str(value or ""))


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


class FakeHuntflow:
    """State, control surface and ASGI app of the fake. Mutate state between requests only
    from the test (the server runs in another thread; shared parts are guarded)."""

    def __init__(self, *, vacancies: int = 71) -> None:
        self.url = ""
        """``http://127.0.0.1:<port>/v2`` once served."""
        self._mutex = threading.Lock()
        self._ids = itertools.count(1000)
        self.journal: list[Recorded] = []
        self.rate_limit = False
        """When on, more than ``rate_limit_per_second`` requests in any second → 429."""
        self.rate_limit_per_second = 10
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self._scripts: list[_Script] = []
        self._slow_s = 0.0
        self._slow_pending_s = 0.0
        self._slow_from: tuple[str, str] | None = None
        self.access_tokens: dict[str, str] = {}
        """access token → ``valid`` | ``expired``; anything else is invalid."""
        self.refresh_tokens: dict[str, str] = {}
        """live refresh token → its access token."""
        self.refresh_count = 0
        self._cursors: dict[str, tuple[list[int], int, int]] = {}
        self._seed(vacancies)
        self._routes = self._route_table()
        self.app = self._build_app()

    # -- control surface ---------------------------------------------------------------

    def issue_tokens(self) -> tuple[str, str]:
        """A fresh valid (access, refresh) pair, as Huntflow settings would issue."""
        access, refresh = "hf-a-" + secrets.token_hex(12), "hf-r-" + secrets.token_hex(12)
        with self._mutex:
            self.access_tokens[access] = "valid"
            self.refresh_tokens[refresh] = access
        return access, refresh

    def expire_access_tokens(self) -> None:
        with self._mutex:
            for token in self.access_tokens:
                self.access_tokens[token] = "expired"

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
        """The next ``times`` calls to ``path`` (below ``/v2``) answer ``status`` with
        ``json_body``, or the non-JSON ``text``, or a Huntflow-style ``errors[]`` body."""
        with self._mutex:
            self._scripts.append(
                _Script(
                    _below_v2(path), method, times, status, json_body, text, dict(headers or {})
                )
            )

    def delay_next(self, path: str, seconds: float, times: int = 1, *, method: str | None = None):
        """The next ``times`` calls to ``path`` are processed, then answered late."""
        with self._mutex:
            self._scripts.append(_Script(_below_v2(path), method, times, delay_s=seconds))

    def slow_down(self, seconds: float, *, from_request: tuple[str, str] | None = None) -> None:
        """Every request is processed, then answered ``seconds`` late, until ``recover()``:
        at once, or from the first ``(method, path)`` request on (that one included)."""
        with self._mutex:
            if from_request is None:
                self._slow_s, self._slow_from = seconds, None
            else:
                method, path = from_request
                self._slow_s, self._slow_from = 0.0, (method, "/v2" + _below_v2(path))
                self._slow_pending_s = seconds

    def recover(self) -> None:
        """Answer in time again."""
        with self._mutex:
            self._slow_s, self._slow_from = 0.0, None

    @property
    def slow(self) -> bool:
        with self._mutex:
            return self._slow_s > 0

    def requests(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        """Journal entries, optionally only one method and one path (below ``/v2``)."""
        with self._mutex:
            entries = list(self.journal)
        wanted = "/v2" + _below_v2(path) if path is not None else None
        return [
            e
            for e in entries
            if (method is None or e.method == method) and (wanted is None or e.path == wanted)
        ]

    def max_requests_in_window(self, window_s: float = 1.0) -> int:
        """The most requests that arrived within any ``window_s`` (sliding, not aligned)."""
        times = sorted(e.at for e in self.requests())
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= window_s:
                start += 1
            best = max(best, end - start + 1)
        return best

    def add_applicant(self, account_id: int = 1, **fields: Any) -> int:
        applicant_id = next(self._ids)
        base = {"first_name": None, "last_name": None, "middle_name": None, "email": None}
        self.applicants[applicant_id] = {
            **base,
            "phone": None,
            **fields,
            "id": applicant_id,
            "account": account_id,
            "created": _iso(datetime.now(UTC)),
        }
        return applicant_id

    # -- state ---------------------------------------------------------------------------

    def _seed(self, vacancy_count: int) -> None:
        self.me: Json = {
            "id": 1,
            "name": "Anna Recruiter",
            "position": "Head of HR",
            "email": "anna@example.com",
            "phone": None,
            "locale": "en",
        }
        self.accounts: dict[int, Json] = {
            1: {"id": 1, "name": "Acme", "nick": "acme", "member_type": "owner"},
            2: {"id": 2, "name": "Beta", "nick": "beta", "member_type": "manager"},
        }
        self.forbidden_accounts = {99}
        start = datetime(2026, 5, 4, 12, 18, 59, tzinfo=UTC)
        states = ("OPEN", "CLOSED", "HOLD")
        self.vacancies: dict[int, list[Json]] = {
            1: [
                {
                    "id": 100 + n,
                    "position": f"Vacancy {n}",
                    "company": "Acme" if n % 2 else None,
                    "money": f"{1000 + n} USD",
                    "priority": 0,
                    "hidden": False,
                    "state": states[n % 3],
                    "created": _iso(start + timedelta(hours=n)),
                    "multiple": False,
                    "parent": None,
                }
                for n in range(1, vacancy_count + 1)
            ],
            2: [{"id": 900, "position": "Beta only", "state": "OPEN", "created": _iso(start)}],
        }
        stages = [("user", "New"), ("user", "Interview"), ("hired", "Hired"), ("trash", "Reject")]
        self.statuses = [
            {"id": 11 + i, "type": t, "name": n, "removed": None, "order": i + 1}
            for i, (t, n) in enumerate(stages)
        ]
        self.rejection_reasons: list[Json] = [
            {"id": 21, "name": "Salary", "order": 1},
            {"id": 22, "name": "Skills", "order": 2},
            {"id": None, "name": "Other", "order": 3},
        ]
        self.tags = {31: "huntflow", 32: "clickup"}
        self.applicants: dict[int, Json] = {}
        self.files: dict[int, Json] = {}
        self.links: dict[int, dict[int, Json]] = defaultdict(dict)
        """applicant id → vacancy id → link"""
        self.applicant_tags: dict[int, list[int]] = defaultdict(list)
        self.log: list[Json] = []
        """Status changes and comments, as Huntflow's applicant log would show them."""
        self.add_applicant(
            first_name="Ivan", last_name="Petrov", email="ivan@example.com", phone="+375291234567"
        )

    # -- HTTP ----------------------------------------------------------------------------

    def _build_app(self) -> Litestar:
        fake = self

        @route("/{path:path}", http_method=["GET", "POST", "PUT", "PATCH", "DELETE"])
        async def entry(request: Request[Any, Any, Any]) -> Response[Any]:
            return await fake._handle(request)

        return Litestar(route_handlers=[entry], openapi_config=None, logging_config=None)

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
            if self._slow_from == (request.method, path):
                self._slow_s, self._slow_from = self._slow_pending_s, None
            late_by = self._slow_s
        if not path.startswith("/v2/"):
            return _error(404, "not_found", "Not found")
        if not headers.get("user-agent", "").strip():
            return _error(400, "bad_user_agent", "User-Agent header is required")
        script = self._take_script(request.method, path[3:])
        if script is not None and script.status is not None:
            if script.text is not None:
                return Response(
                    content=script.text,
                    status_code=script.status,
                    media_type="text/html",
                    headers=script.headers,
                )
            default = {"errors": [{"type": "scripted", "title": f"Scripted {script.status}"}]}
            return _reply(script.status, script.body or default, script.headers)
        if self.rate_limit and self._over_limit(headers.get("authorization", "")):
            return _error(429, "too_many_requests", "Answer request created too frequently")
        answer = await self._route(request, entry, path[3:])
        if script is not None and script.delay_s:
            await asyncio.sleep(script.delay_s)
        if late_by:
            await asyncio.sleep(late_by)
        return answer

    def _take_script(self, method: str, path: str) -> _Script | None:
        with self._mutex:
            for script in self._scripts:
                if script.path == path and script.method in (None, method):
                    script.times -= 1
                    if script.times <= 0:
                        self._scripts.remove(script)
                    return script
        return None

    def _over_limit(self, key: str) -> bool:
        now = time.monotonic()
        with self._mutex:
            recent = self._recent[key]
            while recent and now - recent[0] >= 1.0:
                recent.popleft()
            if len(recent) >= self.rate_limit_per_second:
                return True
            recent.append(now)
            return False

    def _auth_error(self, authorization: str) -> Response[Any] | None:
        scheme, _, token = authorization.partition(" ")
        state = self.access_tokens.get(token) if scheme.lower() == "bearer" else None
        if state == "valid":
            return None
        detail = "token_expired" if state == "expired" else "Invalid access token"
        return _error(401, "authorization_error", "Authorization Error", detail=detail)

    async def _route(self, request: Request[Any, Any, Any], entry: Recorded, path: str) -> Any:
        if path == "/token/refresh" and request.method == "POST":
            return self._refresh(entry)
        if (denied := self._auth_error(entry.headers.get("authorization", ""))) is not None:
            return denied
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match and method == request.method:
                args = [int(value) for value in match.groups()]
                if path.startswith("/accounts/") and (problem := self._account_problem(args[0])):
                    return problem
                return await handler(request, entry, *args)
        return _error(404, "not_found", "Not found")

    def _account_problem(self, account_id: int) -> Response[Any] | None:
        if account_id in self.forbidden_accounts:
            return _error(403, "access_denied", "Access denied")
        if account_id not in self.accounts:
            return _error(404, "not_found", "Organization not found")
        return None

    def _route_table(self) -> list[tuple[str, re.Pattern[str], Callable[..., Any]]]:
        a = r"/accounts/(\d+)"
        table = [
            ("GET", "/me", self._me),
            ("GET", "/accounts", self._accounts),
            ("GET", a, self._account),
            ("GET", a + "/vacancies", self._vacancies),
            ("GET", a + "/vacancies/statuses", self._statuses),
            ("GET", a + r"/vacancies/(\d+)", self._vacancy),
            ("GET", a + "/rejection_reasons", self._rejection_reasons),
            ("POST", a + "/upload", self._upload),
            ("POST", a + "/applicants", self._create_applicant),
            ("GET", a + "/applicants/search_by_cursor", self._search),
            ("GET", a + r"/applicants/(\d+)", self._applicant),
            ("POST", a + r"/applicants/(\d+)/vacancy", self._bind),
            ("PUT", a + r"/applicants/(\d+)/vacancy", self._bind),
            ("GET", a + r"/applicants/(\d+)/tags", self._get_tags),
            ("POST", a + r"/applicants/(\d+)/tags", self._set_tags),
        ]
        return [(m, re.compile(p), h) for m, p, h in table]

    # -- handlers ------------------------------------------------------------------------

    def _refresh(self, entry: Recorded) -> Response[Any]:
        try:
            refresh = (entry.json or {}).get("refresh_token")
        except (ValueError, AttributeError):
            refresh = None
        if not refresh:
            return _error(400, "value_error.missing", "field required", location=_at("refresh"))
        with self._mutex:
            old_access = self.refresh_tokens.pop(refresh, None)
            if old_access is None:
                return _error(404, "not_found", "error.robot_token.not_found")
            self.access_tokens.pop(old_access, None)
            self.refresh_count += 1
        access, new_refresh = self.issue_tokens()
        return _reply(
            200,
            {
                "access_token": access,
                "token_type": "bearer",
                "expires_in": 604800,
                "refresh_token_expires_in": 1209600,
                "refresh_token": new_refresh,
            },
        )

    async def _me(self, request: Any, entry: Recorded) -> Response[Any]:
        return _reply(200, self.me)

    async def _accounts(self, request: Any, entry: Recorded) -> Response[Any]:
        items = [{**a, "production_calendar": 1} for a in self.accounts.values()]
        return _reply(200, {"items": items})

    async def _account(self, request: Any, entry: Recorded, account_id: int) -> Response[Any]:
        return _reply(200, {**self.accounts[account_id], "locale": "en", "photo": None})

    async def _vacancies(self, request: Any, entry: Recorded, account_id: int) -> Response[Any]:
        try:
            page = int(entry.params.get("page", "1"))
            count = int(entry.params.get("count", "30"))
        except ValueError:
            return _error(400, "type_error.integer", "value is not a valid integer")
        if page < 1 or not 1 <= count <= 100:
            return _error(400, "value_error.number", "out of range", location=_at("page"))
        states = [v for k, v in entry.query if k == "state"]
        found = [v for v in self.vacancies[account_id] if not states or v["state"] in states]
        total_pages = (len(found) + count - 1) // count
        items = found[(page - 1) * count : page * count]
        return _reply(
            200,
            {
                "page": page,
                "count": count,
                "total_pages": total_pages,
                "total_items": len(found),
                "items": items,
            },
        )

    async def _vacancy(
        self, request: Any, entry: Recorded, account_id: int, vacancy_id: int
    ) -> Response[Any]:
        for vacancy in self.vacancies[account_id]:
            if vacancy["id"] == vacancy_id:
                return _reply(200, {**vacancy, "body": "<p>About</p>", "files": [], "blocks": []})
        return _error(404, "not_found", "Vacancy not found")

    async def _statuses(self, request: Any, entry: Recorded, account_id: int) -> Response[Any]:
        items = [{**s, "stay_duration": None} for s in self.statuses]
        return _reply(200, {"items": items})

    async def _rejection_reasons(
        self, request: Any, entry: Recorded, account_id: int
    ) -> Response[Any]:
        return _reply(200, {"items": self.rejection_reasons})

    async def _upload(
        self, request: Request[Any, Any, Any], entry: Recorded, account_id: int
    ) -> Response[Any]:
        if not entry.headers.get("content-type", "").startswith("multipart/form-data"):
            return _error(400, "value_error", "multipart/form-data expected")
        part = (await request.form()).get("file")
        if part is None or not hasattr(part, "read"):
            return _error(400, "value_error.missing", "field required", location=_at("file"))
        content = await part.read()
        stored = self._store_file(part.filename, part.content_type)
        if entry.headers.get("x-file-parse", "").strip().lower() not in _TRUTHY:
            return _reply(200, stored)
        text = content.decode("utf-8", errors="replace")
        photo = self._store_file("photo.jpg", "image/jpeg")
        return _reply(200, {**stored, "photo": photo, "text": text, "fields": _parse_cv(text)})

    def _store_file(self, name: str, content_type: str) -> Json:
        file_id = next(self._ids)
        stored = {
            "id": file_id,
            "url": f"{self.url}/file/{file_id}",
            "content_type": content_type,
            "name": name,
        }
        self.files[file_id] = stored
        return stored

    async def _create_applicant(
        self, request: Any, entry: Recorded, account_id: int
    ) -> Response[Any]:
        body = _json_object(entry)
        if body is None:
            return _error(400, "value_error", "a JSON object is expected")
        if problem := self._applicant_problem(body):
            return problem
        doubles = self._doubles(account_id, body)
        fields = ("first_name", "last_name", "middle_name", "email", "phone", "position", "money")
        applicant_id = self.add_applicant(account_id, **{k: body.get(k) for k in fields})
        externals = body.get("externals") or []
        files = [f for ext in externals for f in ext.get("files") or []]
        social = [
            {**s, "id": i + 1, "verified": False, "verification_date": None}
            for i, s in enumerate(body.get("social") or [])
        ]
        self.applicants[applicant_id].update(
            photo=body.get("photo"), externals=externals, social=social
        )
        answer = {
            **self.applicants[applicant_id],
            "files": files,
            "doubles": [{"double": d} for d in doubles],
            "external": [
                {"id": i + 1, "auth_type": e.get("auth_type"), "account_source": None}
                for i, e in enumerate(externals)
            ],
            "social": social,
            "agreement": {"state": None, "decision_date": None},
        }
        answer.pop("account")
        answer.pop("externals")
        return _reply(200, answer)

    def _applicant_problem(self, body: Json) -> Response[Any] | None:
        if not (body.get("first_name") or body.get("last_name")):
            return _error(
                400, "value_error.missing", "first_name or last_name required", location=_at("")
            )
        social = body.get("social") or []
        if len(social) > 1 or any(s.get("social_type") != "TELEGRAM" for s in social):
            return _error(400, "value_error", "only one TELEGRAM item", location=_at("social"))
        externals = body.get("externals") or []
        files = [f for ext in externals for f in ext.get("files") or []]
        photo = [body["photo"]] if body.get("photo") is not None else []
        if len(externals) > 1 or any(f not in self.files for f in files + photo):
            return _error(400, "value_error", "unknown file", location=_at("externals"))
        return None

    def _doubles(self, account_id: int, body: Json) -> list[int]:
        email = str(body.get("email") or "").strip().lower()
        phone = _digits(body.get("phone"))
        return [
            a["id"]
            for a in self.applicants.values()
            if a["account"] == account_id
            and (
                (email and str(a.get("email") or "").lower() == email)
                or (phone and _digits(a.get("phone")) == phone)
            )
        ]

    async def _search(self, request: Any, entry: Recorded, account_id: int) -> Response[Any]:
        params = entry.params
        if "next_page_cursor" in params:  # every other parameter is ignored then
            state = self._cursors.pop(params["next_page_cursor"], None)
            if state is None:
                return _error(400, "value_error", "invalid cursor", location=_at("cursor"))
            matches, offset, count = state
        else:
            try:
                count = int(params.get("count", "30"))
            except ValueError:
                return _error(400, "type_error.integer", "value is not a valid integer")
            if not 1 <= count <= 100:
                return _error(400, "value_error.number", "out of range", location=_at("count"))
            matches, offset = self._matching(account_id, params.get("q", "")), 0
        page = matches[offset : offset + count]
        cursor = None
        if offset + count < len(matches):
            cursor = secrets.token_urlsafe(16)
            self._cursors[cursor] = (matches, offset + count, count)
        keys = ("first_name", "last_name", "middle_name", "phone", "email", "position", "created")
        items = [
            {**{k: self.applicants[i].get(k) for k in keys}, "id": i, "birthday": None}
            for i in page
        ]
        return _reply(200, {"items": items, "next_page_cursor": cursor})

    def _matching(self, account_id: int, query: str) -> list[int]:
        q, digits = query.strip().lower(), _digits(query)
        found = []
        for applicant in self.applicants.values():
            if applicant["account"] != account_id:
                continue
            names = [applicant.get(k) or "" for k in ("first_name", "last_name", "middle_name")]
            text = " ".join([*names, " ".join(names[:2]), applicant.get("email") or ""]).lower()
            phone_hit = len(digits) >= 5 and digits in _digits(applicant.get("phone"))
            if not q or q in text or phone_hit:
                found.append(applicant["id"])
        return found

    async def _applicant(
        self, request: Any, entry: Recorded, account_id: int, applicant_id: int
    ) -> Response[Any]:
        applicant = self.applicants.get(applicant_id)
        if applicant is None or applicant["account"] != account_id:
            return _error(404, "not_found", "Applicant not found")
        links = [{**link} for link in self.links[applicant_id].values()]
        answer = {**applicant, "links": links, "doubles": [], "external": []}
        answer.pop("account")
        return _reply(200, answer)

    async def _bind(
        self, request: Request[Any, Any, Any], entry: Recorded, account_id: int, applicant_id: int
    ) -> Response[Any]:
        applicant = self.applicants.get(applicant_id)
        if applicant is None or applicant["account"] != account_id:
            return _error(404, "not_found", "Applicant not found")
        body = _json_object(entry) or {}
        vacancy_id, status_id = body.get("vacancy"), body.get("status")
        if vacancy_id is None or status_id is None:
            return _error(400, "value_error.missing", "field required", location=_at("vacancy"))
        if all(v["id"] != vacancy_id for v in self.vacancies[account_id]):
            return _error(404, "not_found", "Vacancy not found")
        status = next((s for s in self.statuses if s["id"] == status_id), None)
        if status is None:
            return _error(400, "value_error", "unknown status", location=_at("status"))
        reason = body.get("rejection_reason")
        if status["type"] == "trash" and reason is None:
            return _error(
                400, "value_error", "rejection_reason required", location=_at("rejection_reason")
            )
        existing = self.links[applicant_id].get(vacancy_id)
        if request.method == "PUT" and existing is None:
            return _error(404, "not_found", "Applicant is not on this vacancy")
        link = {
            "id": existing["id"] if existing else next(self._ids),
            "changed": _iso(datetime.now(UTC)),
            "vacancy": vacancy_id,
            "status": status_id,
            "rejection_reason": reason,
        }
        self.links[applicant_id][vacancy_id] = link
        self.log.append({**link, "applicant": applicant_id, "comment": body.get("comment")})
        return _reply(200, link)

    async def _get_tags(
        self, request: Any, entry: Recorded, account_id: int, applicant_id: int
    ) -> Response[Any]:
        if applicant_id not in self.applicants:
            return _error(404, "not_found", "Applicant not found")
        return _reply(200, {"tags": self.applicant_tags[applicant_id]})

    async def _set_tags(
        self, request: Any, entry: Recorded, account_id: int, applicant_id: int
    ) -> Response[Any]:
        if applicant_id not in self.applicants:
            return _error(404, "not_found", "Applicant not found")
        tags = (_json_object(entry) or {}).get("tags")
        if not isinstance(tags, list) or any(t not in self.tags for t in tags):
            return _error(400, "value_error", "unknown tag", location=_at("tags"))
        self.applicant_tags[applicant_id] = list(tags)
        return _reply(200, {"tags": tags})


def _below_v2(path: str) -> str:
    path = path if path.startswith("/") else "/" + path
    return path[3:] if path.startswith("/v2/") else path


def _at(variable: str) -> Json:
    return {"entity": "body", "variable": "/" + variable}


def _json_object(entry: Recorded) -> Json | None:
    try:
        body = entry.json
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _parse_cv(text: str) -> Json:
    """What recognition finds in a plain-text CV: the first line as the name, email, phones."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    words = lines[0].split() if lines else []
    email = _EMAIL.search(text)
    return {
        "name": {
            "first": words[0] if words else None,
            "last": words[1] if len(words) > 1 else None,
            "middle": words[2] if len(words) > 2 else None,
        },
        "email": email.group(0) if email else None,
        "phones": [m.group(0) for m in _PHONE.finditer(text)],
        "telegram": None,
        "experience": [],
    }


@contextmanager
def serve_fake_huntflow(fake: FakeHuntflow | None = None) -> Iterator[FakeHuntflow]:
    """Serve ``fake`` (or a new one) on 127.0.0.1:<free port> until the block ends."""
    fake = fake or FakeHuntflow()
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
            raise RuntimeError("the fake Huntflow server did not start")
        time.sleep(0.01)
    fake.url = f"http://127.0.0.1:{port}/v2"
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def huntflow_server() -> Iterator[FakeHuntflow]:
    """A fresh, seeded fake Huntflow per test: ``.url`` ends with ``/v2``."""
    with serve_fake_huntflow() as fake:
        yield fake
