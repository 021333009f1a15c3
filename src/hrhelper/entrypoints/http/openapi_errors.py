"""Every operation of the schema documents the error answers it really gives, in the one error
format the app uses (``errors.py``).

Litestar documents only a 400 of its own shape ({status_code, detail, extra}), which the app
never sends. The errors are mapped once for the whole app, so most of them follow from what a
route is, and are derived here when the schema is served:

- 401 and 503 on every route: a bad token is refused even on public routes, and every route
  reads the database (the caller's token, or the data itself);
- 400 where the route reads a body or a query parameter that can be malformed;
- 403 where a role guard stands before the route, or the method is unsafe on a signed-in route
  (a session cookie without its CSRF token);
- 404 where a path names an object, or a page number can run past the end;
- 413 where a body is read, 415 where it must be JSON.

What only the route itself knows (a conflict, a throttle, an outside service's refusal, a
body naming an unknown object) it declares with ``responses=errors(...)``. The same facts of
the routes mark the operations anyone may call as needing no credentials.
``tests/schema/test_documented_errors.py`` holds both to what the app really answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

__all__ = [
    "ERROR_SCHEMA_NAME",
    "RouteFacts",
    "errors",
    "route_facts",
    "with_error_responses",
    "with_public_operations",
]

ERROR_SCHEMA_NAME = "ErrorBody"
_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message", "details"],
    "properties": {
        "error": {"type": "string", "description": "The kind of error, e.g. ValidationError."},
        "message": {"type": "string"},
        "details": {
            "type": "object",
            "description": "Per-field messages for invalid input; otherwise context or empty.",
        },
    },
}
_ANSWERS: dict[int, tuple[str, str, str]] = {
    400: ("Invalid input", "ValidationError", "Invalid input."),
    401: (
        "Not authenticated",
        "AuthenticationFailed",
        "Authentication credentials were not provided or are invalid.",
    ),
    403: (
        "Not permitted",
        "PermissionDenied",
        "You do not have permission to perform this action.",
    ),
    404: ("Not found, or not yours", "NotFound", "Not found."),
    409: ("Conflicts with the current state", "Conflict", "A user with this email exists."),
    413: ("Request body too large", "RequestTooLarge", "Request Entity Too Large."),
    415: (
        "The body is not sent as JSON",
        "UnsupportedMediaType",
        "Send the body as JSON: Content-Type: application/json.",
    ),
    429: ("Too many requests (see Retry-After)", "Throttled", "Too many requests."),
    502: ("The outside service answered an error", "OutsideServiceError", "Huntflow failed."),
    503: (
        "The database, a worker pool or an outside service is unavailable",
        "ServiceUnavailable",
        "The service is temporarily unavailable; try again later.",
    ),
}
_METHODS = frozenset({"get", "put", "post", "delete", "patch"})
_UNSAFE = frozenset({"put", "post", "delete", "patch"})
_TYPED = re.compile(r"\{(\w+):[^}]+\}")
_PAGE = "page"


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """A route's own error answers, for its decorator's ``responses``; the schema gives them
    the error format."""
    return {
        status: ResponseSpec(data_container=None, description=_ANSWERS[status][0])
        for status in statuses
    }


@dataclass(frozen=True)
class RouteFacts:
    public: bool
    role_guarded: bool
    """A guard beyond the app-wide authentication one: some roles are refused."""
    declared: frozenset[int]


def _key(method: str, path: str) -> tuple[str, str]:
    return method.lower(), _TYPED.sub(r"{\1}", path).rstrip("/") or "/"


def route_facts(app: Litestar) -> dict[tuple[str, str], RouteFacts]:
    """What the schema cannot tell about each (method, path): from the route handlers."""
    facts: dict[tuple[str, str], RouteFacts] = {}
    app_guards = list(app.guards or [])
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            guards = [
                guard
                for guard in handler.resolve_guards()  # wrapped: compare what they wrap
                if getattr(guard, "func", guard) not in app_guards
            ]
            fact = RouteFacts(
                public=bool(handler.opt.get("public")),
                role_guarded=bool(guards),
                declared=frozenset(status for status in handler.responses or {} if status >= 400),
            )
            for method in handler.http_methods:
                facts[_key(method, route.path_format)] = fact
    return facts


def _statuses(method: str, operation: dict[str, Any], fact: RouteFacts | None) -> set[int]:
    statuses = {401, 503}
    parameters = operation.get("parameters") or []
    body = "requestBody" in operation
    if body:
        statuses |= {400, 413}
        if "application/json" in (operation["requestBody"].get("content") or {}):
            statuses.add(415)
    if any(_can_be_malformed(parameter) for parameter in parameters):
        statuses.add(400)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if any(p.get("in") == "query" and p.get("name") == _PAGE for p in parameters):
        statuses.add(404)
    if fact is not None:
        if fact.role_guarded or (method in _UNSAFE and not fact.public):
            statuses.add(403)
        statuses |= fact.declared
    return statuses


def _can_be_malformed(parameter: dict[str, Any]) -> bool:
    """A query parameter the app can refuse: required, or more than free text."""
    if parameter.get("in") != "query":
        return False
    schema = parameter.get("schema") or {}
    free_text = schema.get("type") == "string" and not (
        set(schema) & {"enum", "format", "pattern", "maxLength", "minLength", "oneOf", "const"}
    )
    return bool(parameter.get("required")) or not free_text


def _response(status: int) -> dict[str, Any]:
    description, kind, message = _ANSWERS[status]
    example = {"error": kind, "message": message, "details": {}}
    if status == 400:
        example["details"] = {"email": ["This field is required."]}
    return {
        "description": description,
        "content": {"application/json": {"schema": _REF, "example": example}},
    }


def with_error_responses(
    schema: dict[str, Any], facts: Mapping[tuple[str, str], RouteFacts]
) -> dict[str, Any]:
    """``schema`` (the generated OpenAPI document) with the error answers documented."""
    paths: dict[str, Any] = {}
    for path, item in (schema.get("paths") or {}).items():
        paths[path] = {
            method: _documented(
                operation, _statuses(method, operation, facts.get(_key(method, path)))
            )
            if method in _METHODS
            else operation
            for method, operation in item.items()
        }
    components = dict(schema.get("components") or {})
    components["schemas"] = {**(components.get("schemas") or {}), ERROR_SCHEMA_NAME: _ERROR_SCHEMA}
    return {**schema, "paths": paths, "components": components}


def _documented(operation: dict[str, Any], statuses: set[int]) -> dict[str, Any]:
    # Litestar's own error entries (its 400 shape) are dropped: the app never answers them
    responses = {
        code: answer
        for code, answer in (operation.get("responses") or {}).items()
        if not (code.isdigit() and int(code) >= 400)
    }
    for status in sorted(statuses):
        responses[str(status)] = _response(status)
    return {**operation, "responses": responses}


def with_public_operations(
    schema: dict[str, Any], facts: Mapping[tuple[str, str], RouteFacts]
) -> dict[str, Any]:
    """``schema`` with each operation anyone may call (``opt={"public": True}``) saying it
    needs no credentials: one empty requirement (the schema's own security, a bearer token or
    the session cookie, applies to the others)."""
    paths: dict[str, Any] = {}
    for path, item in (schema.get("paths") or {}).items():
        paths[path] = {
            method: {**operation, "security": [{}]}
            if method in _METHODS and _is_public(facts.get(_key(method, path)))
            else operation
            for method, operation in item.items()
        }
    return {**schema, "paths": paths}


def _is_public(fact: RouteFacts | None) -> bool:
    return fact is not None and fact.public
