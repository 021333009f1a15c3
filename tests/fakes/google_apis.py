"""A fake of Google's OAuth 2.0 endpoints, Calendar v3 events.list and Drive v3 files.list on
loopback, per ``reference/external-apis.md`` §§ 5–7. One server plays every host, so
GOOGLE_AUTH_URL, GOOGLE_OAUTH_URL, GOOGLE_CERTS_URL and GOOGLE_API_URL can all point at it.

- ``GET /o/oauth2/v2/auth`` checks the client and redirect URI and 302s to
  ``redirect_uri?code=…&state=…&scope=…`` (the consent of ``consenting_email``).
- ``POST /token`` takes form bodies only; ``authorization_code`` (single-use codes, the same
  ``redirect_uri``) and ``refresh_token`` grants; ``invalid_grant`` (400) and
  ``invalid_client`` (401) as Google words them; ID tokens signed with the key served at
  ``/oauth2/v3/certs``.
- Calendar: Bearer required (401 ``authError``), scope checked (403
  ``insufficientPermissions``), ``timeMin``/``timeMax`` need an offset, ``orderBy=startTime``
  needs ``singleEvents=true``, exclusive bounds on end/start, a weekly event expanded with
  ``singleEvents``, ``maxResults`` + opaque ``nextPageToken``, ``nextSyncToken`` on the last
  page.
- Drive: a subset of ``q`` (``trashed =``, ``mimeType =``, ``name contains``, ``in parents``;
  anything else 400 ``invalid``), ``fields`` (without it only kind/id/name/mimeType, and
  ``nextPageToken`` only when asked for), ``pageSize`` 1–1000, ``orderBy``.
- Knobs: ``expire_access_tokens``, ``revoke_refresh_tokens``, ``short_pages``, ``fail_next``;
  ``journal`` records every request.
"""

from __future__ import annotations

import functools
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from litestar import Litestar, Request, Response, route

from tests.fakes._serve import Recorded, json_reply, record, serve_app
from tests.support.google_keys import GoogleKeys

__all__ = ["FakeGoogle", "google_server", "serve_fake_google"]

CALENDAR = "https://www.googleapis.com/auth/calendar.readonly"
DRIVE = "https://www.googleapis.com/auth/drive.readonly"
WEEK_START = datetime(2026, 11, 2, tzinfo=UTC)
_CLAUSE = re.compile(
    r"^(?:trashed\s*=\s*(?P<trashed>true|false)"
    r"|mimeType\s*(?P<mime_op>!?=)\s*'(?P<mime>(?:[^'\\]|\\.)*)'"
    r"|name\s+contains\s+'(?P<name>(?:[^'\\]|\\.)*)'"
    r"|'(?P<parent>(?:[^'\\]|\\.)*)'\s+in\s+parents)$"
)


@functools.cache
def _signing_key() -> rsa.RSAPrivateKey:
    """One RSA key for every fake (making one takes a noticeable moment)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _api_error(status: int, reason: str, message: str) -> Response[Any]:
    kinds = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED"}
    body = {
        "error": {
            "code": status,
            "message": message,
            "status": kinds.get(status, "UNAVAILABLE" if status >= 500 else "FAILED"),
            "errors": [{"domain": "global", "reason": reason, "message": message}],
        }
    }
    return json_reply(status, body)


def _oauth_error(status: int, error: str, description: str) -> Response[Any]:
    return json_reply(status, {"error": error, "error_description": description})


def _moment(value: str | None) -> datetime | None:
    """An RFC 3339 time; None when absent; ValueError when it has no offset."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(value)
    return parsed


def _unquote(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


@dataclass
class FakeGoogle:
    client_id: str = "hrhelper-client.apps.googleusercontent.com"
    client_secret: str = "fake-client-secret"
    redirect_uris: set[str] = field(default_factory=lambda: {"http://testserver.local/cb"})
    consenting_email: str = "recruiter@example.com"
    granted_scopes: tuple[str, ...] = ("openid", "email", CALENDAR, DRIVE)
    short_pages: bool = False
    """Pages carry half of ``maxResults``/``pageSize`` even when more remain."""
    url: str = ""
    journal: list[Recorded] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    refresh_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    _pages: dict[str, tuple[str, int]] = field(default_factory=dict)
    _scripts: list[tuple[str, int, str, dict[str, str]]] = field(default_factory=list)
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.keys = GoogleKeys(self.client_id, key=_signing_key())
        self._seed()

    # -- control surface ---------------------------------------------------------------

    @property
    def auth_url(self) -> str:
        return f"{self.url}/o/oauth2/v2/auth"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    @property
    def certs_url(self) -> str:
        return f"{self.url}/oauth2/v3/certs"

    def issue_tokens(self, email: str | None = None) -> tuple[str, str]:
        """A valid (access, refresh) pair, as after a finished consent."""
        email = email or self.consenting_email
        refresh = "1//fake-refresh-" + secrets.token_hex(8)
        with self._mutex:
            self.refresh_tokens[refresh] = {"email": email, "scopes": self.granted_scopes}
        return self._access_for(email, self.granted_scopes), refresh

    def expire_access_tokens(self) -> None:
        with self._mutex:
            for token in self.access_tokens.values():
                token["expired"] = True

    def revoke_refresh_tokens(self) -> None:
        """The person removed the app's access (or a Testing-mode grant ran out)."""
        with self._mutex:
            self.refresh_tokens.clear()

    def fail_next(
        self, path_prefix: str, status: int, times: int = 1, *, reason: str = "backendError"
    ) -> None:
        with self._mutex:
            self._scripts.extend([(path_prefix, status, reason, {})] * times)

    def calls(self, path_prefix: str = "/") -> list[Recorded]:
        with self._mutex:
            return [e for e in self.journal if e.path.startswith(path_prefix)]

    def add_event(self, summary: str, start: datetime, hours: float = 1.0, **extra: Any) -> str:
        event_id = extra.pop("id", None) or "ev" + secrets.token_hex(6)
        self.events.append(
            {
                "id": event_id,
                "summary": summary,
                "start": start,
                "end": start + timedelta(hours=hours),
                **extra,
            }
        )
        return event_id

    # -- seed ----------------------------------------------------------------------------

    def _seed(self) -> None:
        for index in range(40):  # two a day for 20 days from WEEK_START
            self.add_event(
                f"Interview #{index}",
                WEEK_START + timedelta(hours=12 * index + 10),
                id=f"interview{index:02d}",
                attendees=[
                    {"email": f"candidate{index}@example.com", "responseStatus": "accepted"}
                ],
                hangoutLink=f"https://meet.google.com/aaa-{index:04d}",
            )
        self.events.append(
            {
                "id": "offsite",
                "summary": "Team offsite",
                "all_day": date(2026, 11, 10),
            }
        )
        self.events.append(
            {
                "id": "weekly",
                "summary": "Weekly hiring sync",
                "start": WEEK_START + timedelta(hours=9),
                "end": WEEK_START + timedelta(hours=9, minutes=30),
                "weekly_count": 6,
            }
        )
        types = [
            ("application/pdf", "CV {}.pdf", 140_970),
            ("application/vnd.google-apps.document", "Notes {}", None),
            ("application/vnd.google-apps.folder", "Folder {}", None),
        ]
        for index in range(150):
            mime, name, size = types[index % 3]
            self.files.append(
                {
                    "id": f"file{index:03d}",
                    "name": name.format(index),
                    "mimeType": mime,
                    "size": None if size is None else str(size + index),
                    "createdTime": WEEK_START + timedelta(minutes=index),
                    "modifiedTime": WEEK_START + timedelta(hours=index),
                    "parents": ["root" if index % 2 else "folder-cv"],
                    "trashed": index % 10 == 9,
                    "owners": [{"emailAddress": self.consenting_email}],
                    "webViewLink": f"https://drive.google.com/file/d/file{index:03d}/view",
                }
            )

    # -- HTTP ----------------------------------------------------------------------------

    def build_app(self) -> Litestar:
        fake = self

        @route("/{path:path}", http_method=["GET", "POST"])
        async def entry(request: Request[Any, Any, Any]) -> Response[Any]:
            return await fake._handle(request)

        return Litestar(route_handlers=[entry], openapi_config=None, logging_config=None)

    async def _handle(self, request: Request[Any, Any, Any]) -> Response[Any]:
        entry = await record(request)
        with self._mutex:
            self.journal.append(entry)
            script = next((s for s in self._scripts if entry.path.startswith(s[0])), None)
            if script is not None:
                self._scripts.remove(script)
        if script is not None:
            return _api_error(script[1], script[2], f"Scripted {script[1]}")
        path = entry.path
        if path == "/o/oauth2/v2/auth" and entry.method == "GET":
            return self._consent(entry)
        if path == "/token" and entry.method == "POST":
            return self._token(entry)
        if path == "/oauth2/v3/certs":
            return json_reply(200, self.keys.jwks(), {"Cache-Control": "public, max-age=19800"})
        calendar = re.fullmatch(r"/calendar/v3/calendars/([^/]+)/events", path)
        if calendar and entry.method == "GET":
            return self._authorised(entry, CALENDAR) or self._events(entry)
        if path == "/drive/v3/files" and entry.method == "GET":
            return self._authorised(entry, DRIVE) or self._files(entry)
        return _api_error(404, "notFound", "Not Found")

    # -- OAuth ---------------------------------------------------------------------------

    def _consent(self, entry: Recorded) -> Response[Any]:
        params = entry.params
        if params.get("client_id") != self.client_id:
            return _oauth_error(401, "invalid_client", "The OAuth client was not found.")
        if params.get("redirect_uri") not in self.redirect_uris:
            return _oauth_error(400, "redirect_uri_mismatch", "Bad redirect_uri")
        if params.get("response_type") != "code":
            return _oauth_error(400, "unsupported_response_type", "Only code")
        code = "4/fake-code-" + secrets.token_hex(8)
        offline = params.get("access_type") == "offline"
        with self._mutex:
            self.codes[code] = {
                "email": self.consenting_email,
                "redirect_uri": params["redirect_uri"],
                "scopes": self.granted_scopes,
                "offline": offline and params.get("prompt") == "consent",
            }
        query = {
            "code": code,
            "state": params.get("state", ""),
            "scope": " ".join(self.granted_scopes),
        }
        location = f"{params['redirect_uri']}?{urlencode(query)}"
        return Response(content=b"", status_code=302, headers={"Location": location})

    def _token(self, entry: Recorded) -> Response[Any]:
        if "application/x-www-form-urlencoded" not in entry.headers.get("content-type", ""):
            return _oauth_error(400, "invalid_request", "Invalid request: form body expected")
        form = entry.form
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return _oauth_error(401, "invalid_client", "Unauthorized")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return self._exchange(form)
        if grant == "refresh_token":
            with self._mutex:
                known = self.refresh_tokens.get(form.get("refresh_token", ""))
            if known is None:
                return _oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
            return self._granted(known["email"], known["scopes"], refresh=None)
        return _oauth_error(400, "unsupported_grant_type", "Invalid grant_type")

    def _exchange(self, form: dict[str, str]) -> Response[Any]:
        with self._mutex:
            code = self.codes.pop(form.get("code", ""), None)
        if code is None:
            return _oauth_error(400, "invalid_grant", "Malformed auth code.")
        if code["redirect_uri"] != form.get("redirect_uri"):
            return _oauth_error(400, "invalid_grant", "Bad Request")
        refresh = None
        if code["offline"]:
            refresh = "1//fake-refresh-" + secrets.token_hex(8)
            with self._mutex:
                self.refresh_tokens[refresh] = {"email": code["email"], "scopes": code["scopes"]}
        return self._granted(code["email"], code["scopes"], refresh=refresh)

    def _granted(self, email: str, scopes: tuple[str, ...], refresh: str | None) -> Response[Any]:
        body: dict[str, Any] = {
            "access_token": self._access_for(email, scopes),
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": " ".join(scopes),
            "id_token": self.keys.id_token(email, sub=f"sub-{email}"),
        }
        if refresh:
            body["refresh_token"] = refresh
        return json_reply(200, body)

    def _access_for(self, email: str, scopes: tuple[str, ...]) -> str:
        token = "ya29.fake-" + secrets.token_hex(12)
        with self._mutex:
            self.access_tokens[token] = {"email": email, "scopes": scopes, "expired": False}
        return token

    def _authorised(self, entry: Recorded, scope: str) -> Response[Any] | None:
        scheme, _, token = entry.headers.get("authorization", "").partition(" ")
        with self._mutex:
            known = self.access_tokens.get(token) if scheme == "Bearer" else None
        if known is None or known["expired"]:
            return _api_error(401, "authError", "Invalid Credentials")
        if scope not in known["scopes"]:
            return _api_error(403, "insufficientPermissions", "Insufficient Permission")
        return None

    # -- paging --------------------------------------------------------------------------

    def _page(
        self, entry: Recorded, items: list[Any], size: int, signature: str
    ) -> tuple[list[Any], str | None] | Response[Any]:
        offset = 0
        token = entry.params.get("pageToken")
        if token:
            with self._mutex:
                known = self._pages.get(token)
            if known is None or known[0] != signature:
                return _api_error(400, "invalid", "Invalid Value")
            offset = known[1]
        step = max(1, size // 2) if self.short_pages else size
        chunk = items[offset : offset + step]
        next_token = None
        if offset + step < len(items):
            next_token = secrets.token_urlsafe(12)
            with self._mutex:
                self._pages[next_token] = (signature, offset + step)
        return chunk, next_token

    # -- Calendar ------------------------------------------------------------------------

    def _events(self, entry: Recorded) -> Response[Any]:
        params = entry.params
        single = params.get("singleEvents") == "true"
        if params.get("orderBy") == "startTime" and not single:
            return _api_error(
                400, "badRequest", "The requested ordering is not available for the query."
            )
        try:
            low, high = _moment(params.get("timeMin")), _moment(params.get("timeMax"))
            size = int(params.get("maxResults") or 250)
        except ValueError:
            return _api_error(400, "badRequest", "Bad Request")
        if not 1 <= size <= 2500:
            return _api_error(400, "invalid", "Invalid value for maxResults")
        query = (params.get("q") or "").lower()
        found = [
            e
            for e in self._instances(single)
            if (low is None or e["_end"] > low)
            and (high is None or e["_start"] < high)
            and (not query or query in e["summary"].lower())
        ]
        if params.get("orderBy") == "startTime":
            found.sort(key=lambda e: (e["_start"], e["id"]))
        signature = "events?" + urlencode(
            sorted((k, v) for k, v in params.items() if k != "pageToken")
        )
        paged = self._page(entry, found, size, signature)
        if isinstance(paged, Response):
            return paged
        chunk, next_token = paged
        body: dict[str, Any] = {
            "kind": "calendar#events",
            "summary": self.consenting_email,
            "timeZone": "UTC",
            "items": [{k: v for k, v in e.items() if not k.startswith("_")} for e in chunk],
        }
        if next_token:
            body["nextPageToken"] = next_token
        else:
            body["nextSyncToken"] = "sync-" + secrets.token_hex(6)
        return json_reply(200, body)

    def _instances(self, single: bool) -> list[dict[str, Any]]:
        out = []
        for event in self.events:
            base = {
                k: v
                for k, v in event.items()
                if k not in ("start", "end", "all_day", "weekly_count")
            }
            base.update(kind="calendar#event", status="confirmed", updated="2026-11-01T00:00:00Z")
            if "all_day" in event:
                day: date = event["all_day"]
                start = datetime(day.year, day.month, day.day, tzinfo=UTC)
                out.append(
                    {
                        **base,
                        "start": {"date": day.isoformat()},
                        "end": {"date": (day + timedelta(days=1)).isoformat()},
                        "_start": start,
                        "_end": start + timedelta(days=1),
                    }
                )
                continue
            count = event.get("weekly_count", 1) if single else 1
            for week in range(count):
                start, end = (event[k] + timedelta(weeks=week) for k in ("start", "end"))
                item = {
                    **base,
                    "start": {"dateTime": start.isoformat()},
                    "end": {"dateTime": end.isoformat()},
                    "_start": start,
                    "_end": end,
                }
                if "weekly_count" in event and single:
                    item["id"] = f"{event['id']}_{start:%Y%m%dT%H%M%SZ}"
                    item["recurringEventId"] = event["id"]
                elif "weekly_count" in event:
                    item["recurrence"] = [f"RRULE:FREQ=WEEKLY;COUNT={event['weekly_count']}"]
                out.append(item)
        return out

    # -- Drive ---------------------------------------------------------------------------

    def _files(self, entry: Recorded) -> Response[Any]:
        params = entry.params
        try:
            size = int(params.get("pageSize") or 100)
        except ValueError:
            return _api_error(400, "invalid", "Invalid Value")
        if not 1 <= size <= 1000:
            return _api_error(400, "invalid", "Invalid Value")
        matches = _drive_filter(params.get("q") or "")
        if matches is None:
            return _api_error(400, "invalid", "Invalid Value")
        found = [f for f in self.files if matches(f)]
        order = (params.get("orderBy") or "").split(",")[0].split()
        if order:
            found.sort(key=lambda f: (f.get(order[0]) or "", f["id"]), reverse="desc" in order)
        signature = "files?" + urlencode(
            sorted((k, v) for k, v in params.items() if k != "pageToken")
        )
        paged = self._page(entry, found, size, signature)
        if isinstance(paged, Response):
            return paged
        chunk, next_token = paged
        top, file_fields = _fields(params.get("fields"))
        body: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False}
        if next_token and "nextPageToken" in top:
            body["nextPageToken"] = next_token
        body["files"] = [_shown(f, file_fields) for f in chunk]
        return json_reply(200, {k: v for k, v in body.items() if k in top or k == "files"})


def _shown(record_: dict[str, Any], names: set[str]) -> dict[str, Any]:
    full = {
        "kind": "drive#file",
        **{k: v for k, v in record_.items() if v is not None},
    }
    for key in ("createdTime", "modifiedTime"):
        if isinstance(full.get(key), datetime):
            full[key] = full[key].isoformat().replace("+00:00", "Z")
    return {k: v for k, v in full.items() if k in names}


def _fields(spec: str | None) -> tuple[set[str], set[str]]:
    """Top-level names and file field names of a ``fields`` parameter."""
    if not spec:
        return {"kind", "nextPageToken", "incompleteSearch", "files"}, {
            "kind",
            "id",
            "name",
            "mimeType",
        }
    match = re.search(r"files\(([^()]*(?:\([^()]*\)[^()]*)*)\)", spec)
    inner = match.group(1) if match else ""
    top = {p.strip() for p in re.sub(r"files\(.*\)", "files", spec).split(",")}
    files = {re.sub(r"\(.*\)", "", p).strip() for p in re.split(r",(?![^(]*\))", inner)}
    return top, files


def _drive_filter(query: str) -> Any:
    tests = []
    for clause in filter(None, (c.strip() for c in query.split(" and "))):
        match = _CLAUSE.match(clause)
        if match is None:
            return None
        groups = match.groupdict()
        if groups["trashed"]:
            wanted = groups["trashed"] == "true"
            tests.append(lambda f, w=wanted: f["trashed"] is w)
        elif groups["mime_op"]:
            mime, equal = _unquote(groups["mime"]), groups["mime_op"] == "="
            tests.append(lambda f, m=mime, e=equal: (f["mimeType"] == m) is e)
        elif groups["name"] is not None:
            part = _unquote(groups["name"]).lower()
            tests.append(lambda f, p=part: p in f["name"].lower())
        else:
            parent = _unquote(groups["parent"])
            tests.append(lambda f, p=parent: p in f["parents"])
    return lambda f: all(test(f) for test in tests)


@contextmanager
def serve_fake_google(fake: FakeGoogle | None = None) -> Iterator[FakeGoogle]:
    fake = fake or FakeGoogle()
    with serve_app(fake.build_app(), "Google") as base:
        fake.url = base
        yield fake


@pytest.fixture
def google_server() -> Iterator[FakeGoogle]:
    with serve_fake_google() as fake:
        yield fake
