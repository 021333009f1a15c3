"""Every error leaves as ``{"error", "message", "details"}``, with no stack trace."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.types import ExceptionHandlersMap
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError

from hrhelper.adapters.persistence.sqlalchemy.errors import translate_db_error
from hrhelper.domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    NotPermitted,
    OutsideServiceError,
    OutsideServiceUnavailable,
    RateLimited,
    ServiceBusy,
    Unauthenticated,
)

__all__ = ["error_body", "exception_handlers"]

_log = structlog.get_logger(__name__)

_DOMAIN_STATUS: list[tuple[type[DomainError], int]] = [
    (InvalidInput, 400),
    (Unauthenticated, 401),
    (NotPermitted, 403),
    (NotFound, 404),
    (Conflict, 409),
    (RateLimited, 429),
    (OutsideServiceError, 502),
    (ServiceBusy, 503),
    (OutsideServiceUnavailable, 503),
]

_HTTP_KINDS = {
    400: "ValidationError",
    401: "AuthenticationFailed",
    403: "PermissionDenied",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "RequestTooLarge",
    415: "UnsupportedMediaType",
    429: "Throttled",
    503: "ServiceUnavailable",
}


def error_body(kind: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": kind, "message": message, "details": details or {}}


def _respond(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response[dict[str, Any]]:
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)


def _domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    status = next((code for kind, code in _DOMAIN_STATUS if isinstance(exc, kind)), 400)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    if status >= 500:
        _log.warning("domain_error", kind=exc.kind, message=exc.message)
    return _respond(status, error_body(exc.kind, exc.message, exc.details), headers)


def _validation_details(exc: ValidationException) -> dict[str, list[str]]:
    details: dict[str, list[str]] = {}
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if isinstance(item, dict):
            key = str(item.get("key") or "non_field_errors")
            details.setdefault(key, []).append(str(item.get("message", "Invalid value.")))
    return details


def _validation_error(
    _: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    details = _validation_details(exc)
    message = "Invalid input." if details else (exc.detail or "Invalid input.")
    return _respond(400, error_body("ValidationError", message, details))


def _http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    kind = _HTTP_KINDS.get(status) or HTTPStatus(status).phrase.replace(" ", "")
    default = HTTPStatus(status).phrase
    message = exc.detail if exc.detail and exc.detail != default else _default_message(status)
    headers = dict(exc.headers or {})
    if isinstance(exc, MethodNotAllowedException):
        message = "Method not allowed for this path."
    details = dict(exc.extra) if isinstance(exc.extra, dict) else {}
    return _respond(status, error_body(kind, message, details), headers or None)


def _default_message(status: int) -> str:
    return {
        401: "Authentication credentials were not provided or are invalid.",
        403: "You do not have permission to perform this action.",
        404: "Not found.",
        429: "Too many requests; try again later.",
    }.get(status, HTTPStatus(status).phrase + ".")


def _undecodable(_: Request[Any, Any, Any], exc: UnicodeDecodeError) -> Response[dict[str, Any]]:
    # Litestar decodes form fields while parsing the request, before any handler runs
    return _respond(400, error_body("ValidationError", "The request text is not valid UTF-8."))


def _database_error(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[dict[str, Any]]:
    """Units of work translate driver errors themselves; this catches the reads that run
    outside one (the user lookup of every authenticated request), so a database that went
    away is a 503 there too."""
    translated = translate_db_error(exc)
    if translated is None:
        return _server_error(request, exc)
    return _domain_error(request, translated)


def _redis_down(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    # rate limits, shared locks and pacing live in Redis: without it those requests cannot be
    # judged safely, so they are refused clearly (503) instead of failing open or with a 500
    _log.warning("redis_unavailable", error=type(exc).__name__)
    message = "A shared service (Redis) is unavailable; try again shortly."
    return _respond(503, error_body("ServiceUnavailable", message))


def _server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    _log.error("unhandled_error", method=request.method, path=request.url.path, exc_info=exc)
    return _respond(500, error_body("ServerError", "Internal server error.", {}))


exception_handlers: ExceptionHandlersMap = {
    DomainError: _domain_error,
    ValidationException: _validation_error,
    NotAuthorizedException: _http_error,
    PermissionDeniedException: _http_error,
    NotFoundException: _http_error,
    MethodNotAllowedException: _http_error,
    TooManyRequestsException: _http_error,
    HTTPException: _http_error,
    UnicodeDecodeError: _undecodable,
    DBAPIError: _database_error,
    RedisConnectionError: _redis_down,
    RedisTimeoutError: _redis_down,
    Exception: _server_error,
}
