"""Numbers beyond BIGINT name nothing the database can hold: an id in the path is a 404, a
number in the query string a 400, both before any query is built with them (SQLite's driver
cannot even bind such a number, PostgreSQL would compare it as a numeric)."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException, ValidationException

__all__ = ["refuse_numbers_beyond_bigint"]

_BIGINT_MAX = 2**63 - 1
_LONG_NUMBER = re.compile(r"[+-]?\d{19,}")  # shorter numbers always fit


def _beyond(value: int) -> bool:
    return not -_BIGINT_MAX - 1 <= value <= _BIGINT_MAX


def refuse_numbers_beyond_bigint(request: Request[Any, Any, Any]) -> None:
    for value in request.path_params.values():
        if isinstance(value, int) and _beyond(value):
            raise NotFoundException()
    for name, raw in request.query_params.multi_items():
        if _LONG_NUMBER.fullmatch(raw.strip()) and _beyond(int(raw)):
            raise ValidationException(
                "A number is out of range.",
                extra=[{"key": name, "message": "A number is out of range."}],
            )
