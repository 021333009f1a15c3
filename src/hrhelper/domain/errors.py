"""One error hierarchy for the whole domain; each edge (HTTP, worker) translates it once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = [
    "Conflict",
    "DomainError",
    "InvalidInput",
    "NotFound",
    "NotPermitted",
    "OutsideServiceError",
    "OutsideServiceUnavailable",
    "RateLimited",
    "ServiceBusy",
    "Unauthenticated",
]

FieldErrors = Mapping[str, Sequence[str]]


class DomainError(Exception):
    """Base of every error a use case may raise on purpose."""

    kind = "DomainError"
    """Stable name shown as ``error`` in HTTP answers."""

    def __init__(self, message: str, details: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, object] = dict(details or {})


class InvalidInput(DomainError):
    """The input breaks a rule; ``details`` maps field names to their messages."""

    kind = "ValidationError"

    @classmethod
    def for_fields(cls, errors: FieldErrors, message: str = "Invalid input.") -> InvalidInput:
        return cls(message, {name: list(msgs) for name, msgs in errors.items()})


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it exists."""

    kind = "NotFound"


class Conflict(DomainError):
    """The change collides with the current state (a duplicate, a thing in use)."""

    kind = "Conflict"


class Unauthenticated(DomainError):
    """No valid credentials were presented."""

    kind = "AuthenticationFailed"


class NotPermitted(DomainError):
    """The caller is known but may not do this."""

    kind = "PermissionDenied"


class RateLimited(DomainError):
    """Too many attempts; ``retry_after`` seconds until the next may succeed."""

    kind = "Throttled"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after": retry_after})
        self.retry_after = retry_after


class ServiceBusy(DomainError):
    """A bounded local resource (a worker pool) is saturated; try again shortly."""

    kind = "ServiceBusy"


class OutsideServiceError(DomainError):
    """An outside service refused the request for a reason the caller can fix."""

    kind = "OutsideServiceError"


class OutsideServiceUnavailable(DomainError):
    """An outside service or our own storage is down or timing out; try again later."""

    kind = "ServiceUnavailable"
