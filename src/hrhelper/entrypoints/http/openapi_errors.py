"""Every operation of the schema documents the error answers it can give, in the one error
format the app uses (``errors.py``).

Litestar documents only a 400 of its own shape ({status_code, detail, extra}), which the app
never sends; the errors are mapped once for the whole app, so they are documented once too,
by rewriting the generated schema: what every route can answer (bad input, no or bad
credentials, a missing right, an unknown or foreign object, a conflict, a throttle, the
database or a pool being unavailable), 413 where a body is read, and 502 where the route
talks to an outside service.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ERROR_SCHEMA_NAME", "with_error_responses"]

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
    429: ("Too many requests (see Retry-After)", "Throttled", "Too many requests."),
    502: ("The outside service answered an error", "OutsideServiceError", "Huntflow failed."),
    503: (
        "The database, a worker pool or an outside service is unavailable",
        "ServiceUnavailable",
        "The service is temporarily unavailable; try again later.",
    ),
}
_EVERY_ROUTE = (400, 401, 403, 404, 409, 429, 503)
_OUTSIDE_TAGS = frozenset({"Huntflow", "Gemini", "Telegram", "ClickUp", "Google OAuth", "Notion"})
_METHODS = frozenset({"get", "put", "post", "delete", "patch"})


def _response(status: int) -> dict[str, Any]:
    description, kind, message = _ANSWERS[status]
    example = {"error": kind, "message": message, "details": {}}
    if status == 400:
        example["details"] = {"email": ["This field is required."]}
    return {
        "description": description,
        "content": {"application/json": {"schema": _REF, "example": example}},
    }


def _statuses(operation: dict[str, Any]) -> list[int]:
    statuses = list(_EVERY_ROUTE)
    if "requestBody" in operation:
        statuses.append(413)
    if _OUTSIDE_TAGS.intersection(operation.get("tags") or ()):
        statuses.append(502)
    return statuses


def with_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (the generated OpenAPI document) with the error answers documented."""
    paths: dict[str, Any] = {}
    for path, item in (schema.get("paths") or {}).items():
        paths[path] = {
            method: _documented(operation) if method in _METHODS else operation
            for method, operation in item.items()
        }
    components = dict(schema.get("components") or {})
    components["schemas"] = {**(components.get("schemas") or {}), ERROR_SCHEMA_NAME: _ERROR_SCHEMA}
    return {**schema, "paths": paths, "components": components}


def _documented(operation: dict[str, Any]) -> dict[str, Any]:
    responses = dict(operation.get("responses") or {})
    for status in _statuses(operation):
        # 400 is replaced: Litestar's own 400 shape is never what the app answers
        if status == 400 or str(status) not in responses:
            responses[str(status)] = _response(status)
    return {**operation, "responses": responses}
