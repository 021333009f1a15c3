"""Every JSON body the served schema describes, asked or answered, has an example, and each
example is valid against its own schema."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
from litestar.testing import TestClient

from hrhelper.container import create_container
from hrhelper.entrypoints.http.app import create_app
from hrhelper.entrypoints.http.openapi_examples import example_of
from hrhelper.settings import Settings
from tests.support.identity_fakes import Sha256PasswordHasher

_METHODS = ("get", "post", "put", "patch", "delete")


def _served_schema(settings: Settings) -> dict[str, Any]:
    app = create_app(create_container(settings, password_hasher=Sha256PasswordHasher()))
    with TestClient(app) as client:
        answer = client.get("/api/schema/")
        assert answer.status_code == 200
        return dict(answer.json())


def _json_bodies(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, media type object) of each JSON request body and answer."""
    found = []
    for path, item in schema["paths"].items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            holders = [("request", operation.get("requestBody") or {})]
            holders += [(code, answer) for code, answer in operation["responses"].items()]
            for where, holder in holders:
                media = (holder.get("content") or {}).get("application/json")
                if media is not None:
                    found.append((f"{method.upper()} {path} {where}", media))
    return found


def test_every_json_body_has_a_valid_example(schema_settings: Settings) -> None:
    schema = _served_schema(schema_settings)
    bodies = _json_bodies(schema)
    assert len(bodies) > 300  # every operation answers JSON, most with several statuses
    components = schema["components"]  # what the bodies' references point into
    failures = []
    for where, media in bodies:
        if "example" not in media:
            failures.append(f"{where}: no example")
            continue
        validator = jsonschema_rs.validator_for({**media["schema"], "components": components})
        failures += [
            f"{where}: {error.message}" for error in validator.iter_errors(media["example"])
        ]
    assert not failures, "\n".join(failures)


def test_a_composed_example_keeps_to_bounds_formats_and_names() -> None:
    components = {"Grade": {"type": "object", "properties": {"name": {"type": "string"}}}}
    schema = {
        "type": "object",
        "properties": {
            "email": {"type": "string"},
            "code": {"type": "string", "minLength": 6, "maxLength": 8},
            "level": {"type": "integer", "minimum": 5, "maximum": 9},
            "ratio": {"type": "number", "maximum": 1},
            "at": {"oneOf": [{"type": "null"}, {"type": "string", "format": "date-time"}]},
            "grades": {"type": "array", "items": {"$ref": "#/components/schemas/Grade"}},
            "page_size": {"type": "integer", "default": 20},
            "kind": {"type": "string", "enum": ["hr", "admin"]},
            "team_id": {"type": "string", "examples": ["9001"]},
        },
    }
    assert example_of(schema, components) == {
        "email": "anna.petrova@example.com",
        "code": "textxx",
        "level": 5,
        "ratio": 1.0,
        "at": "2026-11-23T10:30:00Z",
        "grades": [{"name": "Python Developer"}],
        "page_size": 20,
        "kind": "hr",
        "team_id": "9001",
    }
