"""Every route the app registers × {anonymous, user, hr, admin}.

The table must name every route: adding one without deciding who may call it fails here.
A role that may call a route gets anything but 401/403 (requests carry no body and name ids
that do not exist, so nothing is changed); one that may not gets 401 (anonymous) or 403.
"""

from __future__ import annotations

import re

from litestar.routes import HTTPRoute

from tests.api.conftest import Api

PUBLIC, SIGNED_IN, STAFF, ADMIN, HR = "public", "signed-in", "staff", "admin", "hr"
ALLOWED = {
    PUBLIC: {"anonymous", "user", "hr", "admin"},
    SIGNED_IN: {"user", "hr", "admin"},
    STAFF: {"hr", "admin"},
    ADMIN: {"admin"},
    HR: {"hr"},
}

TABLE: dict[tuple[str, str], str] = {
    ("GET", "/api/health"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
    ("GET", "/api/schema"): PUBLIC,
    ("GET", "/api/schema/openapi.json"): PUBLIC,
    ("GET", "/api/schema/{path:str}"): PUBLIC,
    ("GET", "/api/swagger"): PUBLIC,
    ("GET", "/api/redoc"): PUBLIC,
    ("GET", "/api/static/docs/{file_path:path}"): PUBLIC,
    ("POST", "/api/auth/register"): PUBLIC,
    ("POST", "/api/auth/login"): PUBLIC,
    ("POST", "/api/auth/google"): PUBLIC,
    ("GET", "/api/auth/verify-email"): PUBLIC,
    ("POST", "/api/auth/token/refresh"): PUBLIC,
    ("POST", "/api/auth/password-reset"): PUBLIC,
    ("POST", "/api/auth/password-reset-confirm"): PUBLIC,
    ("POST", "/api/auth/hr/login"): PUBLIC,
    ("POST", "/api/auth/hr/set-password"): PUBLIC,
    ("GET", "/api/auth/me"): SIGNED_IN,
    ("GET", "/api/auth/profile"): SIGNED_IN,
    ("PATCH", "/api/auth/profile/{profile_id:int}"): SIGNED_IN,
    ("POST", "/api/auth/logout"): SIGNED_IN,
    ("GET", "/api/auth/hr/me"): HR,
    ("PATCH", "/api/auth/hr/me"): HR,
    ("GET", "/api/auth/hr"): ADMIN,
    ("POST", "/api/auth/hr"): ADMIN,
    ("GET", "/api/auth/hr/{profile_id:int}"): ADMIN,
    ("PATCH", "/api/auth/hr/{profile_id:int}"): ADMIN,
    ("DELETE", "/api/auth/hr/{profile_id:int}"): ADMIN,
    ("POST", "/api/auth/hr/{profile_id:int}/toggle_active"): ADMIN,
    ("POST", "/api/auth/hr/{profile_id:int}/reset_password"): ADMIN,
    ("GET", "/api/users"): STAFF,
    ("POST", "/api/users"): ADMIN,
    ("GET", "/api/users/{user_id:int}"): SIGNED_IN,
    ("PUT", "/api/users/{user_id:int}"): SIGNED_IN,
    ("PATCH", "/api/users/{user_id:int}"): SIGNED_IN,
    ("DELETE", "/api/users/{user_id:int}"): ADMIN,
    ("GET", "/api/v1/finance/grades"): SIGNED_IN,
    ("POST", "/api/v1/finance/grades"): ADMIN,
    ("GET", "/api/v1/finance/grades/{grade_id:int}"): SIGNED_IN,
    ("PUT", "/api/v1/finance/grades/{grade_id:int}"): ADMIN,
    ("PATCH", "/api/v1/finance/grades/{grade_id:int}"): ADMIN,
    ("DELETE", "/api/v1/finance/grades/{grade_id:int}"): ADMIN,
    ("GET", "/api/v1/finance/currency-rates"): SIGNED_IN,
    ("GET", "/api/vacancies"): SIGNED_IN,
    ("POST", "/api/vacancies"): STAFF,
    ("GET", "/api/vacancies/stats"): STAFF,
    ("GET", "/api/vacancies/{vacancy_id:int}"): SIGNED_IN,
    ("PUT", "/api/vacancies/{vacancy_id:int}"): STAFF,
    ("PATCH", "/api/vacancies/{vacancy_id:int}"): STAFF,
    ("DELETE", "/api/vacancies/{vacancy_id:int}"): STAFF,
    ("POST", "/api/vacancies/{vacancy_id:int}/toggle-active"): STAFF,
    ("POST", "/api/vacancies/{vacancy_id:int}/assign-grades"): STAFF,
    ("GET", "/api/interviewers"): STAFF,
    ("POST", "/api/interviewers"): STAFF,
    ("GET", "/api/interviewers/{interviewer_id:int}"): STAFF,
    ("PUT", "/api/interviewers/{interviewer_id:int}"): STAFF,
    ("PATCH", "/api/interviewers/{interviewer_id:int}"): STAFF,
    ("DELETE", "/api/interviewers/{interviewer_id:int}"): STAFF,
    ("GET", "/media/{key:path}"): SIGNED_IN,
    ("POST", "/api/huntflow/test-connection"): STAFF,
    ("GET", "/api/huntflow/accounts"): STAFF,
    ("GET", "/api/huntflow/accounts/{account_id:int}/vacancies"): STAFF,
    ("POST", "/api/gemini/chat"): STAFF,
    ("GET", "/api/gemini/sessions"): STAFF,
    ("GET", "/api/gemini/sessions/{session_id:int}/messages"): STAFF,
    ("POST", "/api/v1/telegram/send-message"): STAFF,
    ("POST", "/api/v1/telegram/sync"): STAFF,
    ("GET", "/api/v1/telegram/chats"): STAFF,
    ("GET", "/api/v1/telegram/chats/{chat_pk:int}"): STAFF,
    ("GET", "/api/v1/telegram/messages"): STAFF,
    ("GET", "/api/v1/telegram/messages/{message_pk:int}"): STAFF,
    ("GET", "/api/v1/clickup-int/settings"): STAFF,
    ("POST", "/api/v1/clickup-int/settings"): STAFF,
    ("POST", "/api/v1/clickup-int/settings/test-connection"): STAFF,
    ("GET", "/api/v1/clickup-int/path-options"): STAFF,
    ("GET", "/api/v1/clickup-int/spaces"): STAFF,
    ("GET", "/api/v1/clickup-int/folders"): STAFF,
    ("GET", "/api/v1/clickup-int/lists"): STAFF,
    ("GET", "/api/v1/clickup-int/tasks"): STAFF,
    ("GET", "/api/v1/clickup-int/tasks/{task_id:str}"): STAFF,
    ("POST", "/api/v1/clickup-int/sync-tasks"): STAFF,
    ("POST", "/api/v1/clickup-int/clear-cache"): STAFF,
    ("GET", "/api/v1/clickup-int/sync-logs"): STAFF,
    ("POST", "/api/v1/clickup-int/tasks/{task_id:str}/transfer-to-huntflow"): STAFF,
    ("GET", "/api/v1/clickup-int/bulk-import"): STAFF,
    ("POST", "/api/v1/clickup-int/bulk-import"): STAFF,
    ("GET", "/api/v1/clickup-int/bulk-import/{import_id:int}"): STAFF,
    ("POST", "/api/v1/clickup-int/bulk-import/{import_id:int}"): STAFF,
    ("GET", "/api/v1/clickup-int/bulk-import/{import_id:int}/progress"): STAFF,
    ("POST", "/api/v1/clickup-int/bulk-import/{import_id:int}/retry-failed"): STAFF,
    ("POST", "/api/v1/notion-int/bulk-import/{import_id:int}/retry-failed"): STAFF,
    ("GET", "/api/v1/notion-int/bulk-import"): STAFF,
    ("POST", "/api/v1/notion-int/bulk-import"): STAFF,
    ("GET", "/api/v1/notion-int/bulk-import/{import_id:int}"): STAFF,
    ("POST", "/api/v1/notion-int/bulk-import/{import_id:int}"): STAFF,
    ("GET", "/api/v1/notion-int/bulk-import/{import_id:int}/progress"): STAFF,
    ("GET", "/api/clickup/tasks"): STAFF,
    ("POST", "/api/clickup/sync"): STAFF,
    ("GET", "/api/v1/notion-int/settings"): STAFF,
    ("POST", "/api/v1/notion-int/settings"): STAFF,
    ("POST", "/api/v1/notion-int/settings/test-connection"): STAFF,
    ("GET", "/api/v1/notion-int/pages"): STAFF,
    ("GET", "/api/v1/notion-int/pages/{page_id:str}"): STAFF,
    ("POST", "/api/v1/notion-int/pages/{page_id:str}/transfer-to-huntflow"): STAFF,
    ("POST", "/api/v1/notion-int/sync-pages"): STAFF,
    ("POST", "/api/v1/notion-int/clear-cache"): STAFF,
    ("GET", "/api/v1/notion-int/sync-logs"): STAFF,
    ("GET", "/api/notion/pages"): STAFF,
    ("POST", "/api/notion/sync"): STAFF,
    ("GET", "/api/v1/google-oauth/authorize"): STAFF,
    ("GET", "/api/v1/google-oauth/callback"): PUBLIC,
    ("GET", "/api/v1/google-oauth/oauth-accounts"): STAFF,
    ("GET", "/api/v1/google-oauth/oauth-accounts/{account_id:int}"): STAFF,
    ("GET", "/api/v1/google-oauth/calendar-events"): STAFF,
    ("GET", "/api/v1/google-oauth/calendar-events/{event_id:int}"): STAFF,
    ("GET", "/api/v1/google-oauth/drive-files"): STAFF,
    ("GET", "/api/v1/google-oauth/drive-files/{file_id:int}"): STAFF,
    ("POST", "/api/v1/google-oauth/sync"): STAFF,
    ("GET", "/api/google-oauth/calendar"): STAFF,
    ("POST", "/api/google-oauth/sync"): STAFF,
}

_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def registered_routes(api: Api) -> set[tuple[str, str]]:
    app = api.client.app
    found = set()
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for method in route.methods:
                if method not in ("HEAD", "OPTIONS"):
                    found.add((method, route.path))
    return found


def concrete(path: str) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(2) == "int":
            return "999999"
        return "swagger-ui-dist/swagger-ui.css" if match.group(2) == "path" else "unknown"

    suffix = "" if path.startswith("/api/static") or path.endswith(".json") else "/"
    return _PARAM.sub(value, path) + suffix


async def test_every_route_has_an_entry(api: Api) -> None:
    routes = registered_routes(api)
    assert routes - TABLE.keys() == set(), "routes without an authorization entry"
    assert TABLE.keys() - routes == set(), "entries for routes that do not exist"


async def test_each_role_gets_exactly_what_the_table_says(api: Api) -> None:
    failures = []
    for (method, path), level in sorted(TABLE.items()):
        for role in ("anonymous", "user", "hr", "admin"):
            response = await api.client.request(method, concrete(path), headers=api.auth(role))
            allowed = role in ALLOWED[level]
            denied = response.status_code in (401, 403)
            expected_denial = 401 if role == "anonymous" else 403
            if allowed == denied or (not allowed and response.status_code != expected_denial):
                failures.append(f"{method} {path} as {role}: {response.status_code}")
    assert failures == [], "\n".join(failures)
