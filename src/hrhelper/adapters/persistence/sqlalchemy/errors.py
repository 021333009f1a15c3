"""Driver errors become domain errors here, once."""

from __future__ import annotations

from psycopg import errors as pg_errors
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from hrhelper.domain.errors import Conflict, DomainError, InvalidInput, OutsideServiceUnavailable

__all__ = ["translate_db_error"]

# constraint name -> message; filled by the areas that own the constraints
CONSTRAINT_MESSAGES: dict[str, str] = {}


def translate_db_error(error: BaseException) -> DomainError | None:
    # A number beyond BIGINT from a query string or a body: SQLite's driver cannot bind it,
    # PostgreSQL refuses it. Ids in the path are answered 404 before they get here.
    if isinstance(error, OverflowError) or (
        isinstance(error, DBAPIError) and isinstance(error.orig, pg_errors.NumericValueOutOfRange)
    ):
        return InvalidInput("A number is out of range.")
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
