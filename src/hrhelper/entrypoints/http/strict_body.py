"""A JSON body is read as JSON: a value of another type is a 400, never converted.

Litestar converts a body into the handler's type with msgspec's lax rules, which are meant for
text (query strings, forms): in a JSON document ``"is_active": 0`` would be taken as false and
``"experience_years": "5"`` as 5, though the schema says boolean and integer. So before the
handler runs, the body of a route that reads a JSON document is converted once more,
strictly, into the same type; its errors read like Litestar's (``{field: [message]}``).
A whole number written with a fraction (``5.0``) stays an integer, as JSON Schema counts it.

Such a body must also say it is JSON (``Content-Type: application/json`` or a ``+json`` type):
anything else is a 415. A browser sends a cross-site form (``text/plain`` included) without
asking first, so a JSON route that took any type could be driven from another site, e.g.
into signing a visitor in as somebody else.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import BodyKwarg

__all__ = ["refuse_coerced_json"]

_AT = " - at `"


def _json_body_type(request: Request[Any, Any, Any]) -> Any | None:
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    body = data.kwarg_definition
    if isinstance(body, BodyKwarg) and body.media_type is not RequestEncodingType.JSON:
        return None  # forms are text: their fields are converted on purpose
    return data.annotation


def _whole_numbers(value: Any) -> Any:
    """``5.0`` as ``5``: JSON Schema's integer, which msgspec's strict rules refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    return value


def _field(path: str) -> str:
    """msgspec's ``$.available_grades[1]`` as Litestar names it: ``available_grades[1]``;
    the document itself is ``data``."""
    return path.removeprefix("$").removeprefix(".") or "data"


def _says_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


async def refuse_coerced_json(request: Request[Any, Any, Any]) -> None:
    body_type = _json_body_type(request)
    if body_type is None:
        return
    raw = await request.body()
    if not raw.strip():
        return  # no body at all: Litestar answers it (a 400, or the handler's default)
    if not _says_json(request.headers.get("content-type", "")):
        raise HTTPException(
            status_code=415, detail="Send the body as JSON: Content-Type: application/json."
        )
    try:
        document = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return  # not JSON at all: Litestar's own parsing answers it
    try:
        msgspec.convert(_whole_numbers(document), type=body_type, strict=True)
    except msgspec.ValidationError as error:
        message, _, path = str(error).partition(_AT)
        field = _field(path.rstrip("`"))
        raise ValidationException(message, extra=[{"key": field, "message": message}]) from None
