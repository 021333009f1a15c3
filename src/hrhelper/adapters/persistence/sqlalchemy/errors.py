"""Driver errors become domain errors here, once."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from hrhelper.domain.errors import Conflict, DomainError, OutsideServiceUnavailable

__all__ = ["translate_db_error"]

# constraint name -> message; filled by the areas that own the constraints
CONSTRAINT_MESSAGES: dict[str, str] = {}


def translate_db_error(error: BaseException) -> DomainError | None:
    if isinstance(error, IntegrityError):
        text = str(error.orig)
        for name, message in CONSTRAINT_MESSAGES.items():
            if name in text:
                return Conflict(message)
        return Conflict("The change conflicts with existing data.")
    if isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    ):
        return OutsideServiceUnavailable("The database is unavailable; try again shortly.")
    return None
