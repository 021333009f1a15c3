"""An example for every JSON body the schema describes, so Swagger UI and ReDoc show a filled
request and answer for each operation.

Fields carry their own examples where one says more than its type (``msgspec.Meta(examples=
...)``); the rest are composed here from the schema: a field's example, else its default, else
a value of its type and format that keeps to its bounds, with a few plain values for fields
whose name tells what they hold (an email, a phone, a link). Deterministic: the same schema
gives the same examples. ``tests/schema/test_schema_examples.py`` validates every example
against its schema.
"""

from __future__ import annotations

from typing import Any

__all__ = ["example_of", "with_examples"]

_MAX_DEPTH = 8  # recursive schemas end in an empty object or list
_BY_FORMAT = {
    "date-time": "2026-11-23T10:30:00Z",
    "date": "2026-11-23",
    "email": "anna.petrova@example.com",
    "uri": "https://example.com/",
    "binary": "(file content)",
}
_BY_NAME = {
    "email": "anna.petrova@example.com",
    "phone": "+375291234567",
    "first_name": "Anna",
    "last_name": "Petrova",
    "middle_name": "Sergeevna",
    "username": "anna.petrova",
    "password": "Str0ng-passw0rd",
    "password_confirm": "Str0ng-passw0rd",
    "new_password": "Str0ng-passw0rd",
    "new_password_confirm": "Str0ng-passw0rd",
    "telegram": "@anna_petrova",
    "linkedin": "https://www.linkedin.com/in/anna-petrova",
    "url": "https://example.com/",
    "next": "https://hr.example.com/api/vacancies/?page=3",
    "previous": "https://hr.example.com/api/vacancies/?page=1",
    "currency": "USD",
    "message": "Done.",
    "title": "Python Developer",
    "name": "Python Developer",
}
_BY_SUFFIX = (
    ("_name", "Anna Petrova"),
    ("_id", "9001"),
    ("_title", "Python Developer"),
    ("_text", "We are glad to invite you to an interview."),
    ("_url", "https://example.com/"),
    ("description", "A few words about it."),
    ("bio", "Recruiter with five years in IT hiring."),
)


def _named(name: str) -> str | None:
    if name in _BY_NAME:
        return _BY_NAME[name]
    return next((text for suffix, text in _BY_SUFFIX if name.endswith(suffix)), None)


def example_of(
    schema: dict[str, Any], components: dict[str, Any], name: str = "", depth: int = 0
) -> Any:
    """A value that ``schema`` accepts (``components`` resolves its references)."""
    if "$ref" in schema:
        target = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return example_of(target, components, name, depth + 1) if depth < _MAX_DEPTH else {}
    if "example" in schema:
        return schema["example"]
    if schema.get("examples"):
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("default") is not None:
        return schema["default"]
    for key in ("oneOf", "anyOf"):
        if key in schema:
            choices = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example_of(choices[0], components, name, depth + 1)
    if "allOf" in schema:
        return example_of(schema["allOf"][0], components, name, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    return _BY_TYPE.get(kind or ("object" if "properties" in schema else ""), _null)(
        schema, components, name, depth
    )


def _object(schema: dict[str, Any], components: dict[str, Any], _name: str, depth: int) -> Any:
    if depth >= _MAX_DEPTH:
        return {}
    properties = schema.get("properties") or {}
    return {
        field: example_of(subschema, components, field, depth + 1)
        for field, subschema in properties.items()
    }


def _array(schema: dict[str, Any], components: dict[str, Any], name: str, depth: int) -> Any:
    if depth >= _MAX_DEPTH or schema.get("maxItems") == 0 or "items" not in schema:
        return []
    return [example_of(schema["items"], components, name, depth + 1)]


def _string(schema: dict[str, Any], _components: dict[str, Any], name: str, _depth: int) -> Any:
    text = _BY_FORMAT.get(schema.get("format", "")) or _named(name) or "text"
    shortest, longest = schema.get("minLength", 0), schema.get("maxLength")
    if len(text) < shortest:
        text = text.ljust(shortest, "x")
    if longest is not None:
        text = text[:longest]
    return text


def _integer(schema: dict[str, Any], _components: dict[str, Any], _name: str, _depth: int) -> Any:
    value = max(1, int(schema.get("minimum", 1)))
    if "maximum" in schema:
        value = min(value, int(schema["maximum"]))
    return value


def _number(schema: dict[str, Any], _components: dict[str, Any], _name: str, _depth: int) -> Any:
    value = max(1.5, float(schema.get("minimum", 1.5)))
    if "maximum" in schema:
        value = min(value, float(schema["maximum"]))
    return value


def _boolean(*_: Any) -> Any:
    return True


def _null(*_: Any) -> Any:
    return None


_BY_TYPE = {
    "object": _object,
    "array": _array,
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "null": _null,
}


def _with_example(media: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "example" in media or "examples" in media or "schema" not in media:
        return media
    return {**media, "example": example_of(media["schema"], components)}


def _content(holder: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    content = holder.get("content")
    if not content or "application/json" not in content:
        return holder
    json_media = _with_example(content["application/json"], components)
    return {**holder, "content": {**content, "application/json": json_media}}


def with_examples(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with an example on each JSON request body and answer that has none."""
    components = (schema.get("components") or {}).get("schemas") or {}
    paths: dict[str, Any] = {}
    for path, item in (schema.get("paths") or {}).items():
        operations: dict[str, Any] = {}
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                operations[method] = operation
                continue
            updated = dict(operation)
            if "requestBody" in operation:
                updated["requestBody"] = _content(operation["requestBody"], components)
            updated["responses"] = {
                code: _content(answer, components)
                for code, answer in operation["responses"].items()
            }
            operations[method] = updated
        paths[path] = operations
    return {**schema, "paths": paths}
