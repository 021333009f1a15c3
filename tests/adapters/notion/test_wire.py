"""Notion JSON → plain values, without HTTP: the property kinds the fake does not build, odd
and empty payloads, and block lines."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrhelper.adapters.notion import _wire


def rich(*parts: str) -> list[dict[str, Any]]:
    return [{"type": "text", "plain_text": part, "text": {"content": part}} for part in parts]


@given(parts=st.lists(st.text(max_size=20), max_size=8))
def test_rich_text_is_its_parts_joined(parts: list[str]) -> None:
    assert _wire.plain_value({"type": "rich_text", "rich_text": rich(*parts)}) == "".join(parts)


@pytest.mark.parametrize(
    ("prop", "expected"),
    [
        ({"type": "title", "title": []}, ""),
        ({"type": "email", "email": None}, None),
        ({"type": "phone_number", "phone_number": ""}, None),
        ({"type": "select", "select": None}, None),
        ({"type": "status", "status": {"id": "1", "name": "Offer"}}, "Offer"),
        ({"type": "multi_select", "multi_select": []}, ()),
        ({"type": "date", "date": None}, None),
        (
            {"type": "date", "date": {"start": "2026-11-20T10:00:00.000+03:00", "end": None}},
            "2026-11-20T10:00:00.000+03:00",
        ),
        ({"type": "number", "number": 7}, 7),
        ({"type": "number", "number": 2.5}, 2.5),
        ({"type": "number", "number": None}, None),
        ({"type": "checkbox", "checkbox": None}, False),
        ({"type": "people", "people": [{"object": "user", "id": "u1"}]}, ("u1",)),
        (
            {"type": "relation", "relation": [{"id": "r1"}, {"id": "r2"}], "has_more": False},
            ("r1", "r2"),
        ),
        ({"type": "unique_id", "unique_id": {"prefix": "HR", "number": 42}}, "HR-42"),
        ({"type": "unique_id", "unique_id": {"prefix": None, "number": 42}}, "42"),
        ({"type": "formula", "formula": {"type": "string", "string": "ok"}}, "ok"),
        ({"type": "formula", "formula": {"type": "number", "number": 3.0}}, 3),
        ({"type": "formula", "formula": {"type": "boolean", "boolean": True}}, True),
        (
            {"type": "formula", "formula": {"type": "date", "date": {"start": "2026-01-02"}}},
            "2026-01-02",
        ),
        (
            {
                "type": "rollup",
                "rollup": {
                    "type": "array",
                    "array": [
                        {"type": "title", "title": rich("A")},
                        {"type": "number", "number": 1},
                    ],
                },
            },
            ("A", "1"),
        ),
        (
            {"type": "created_time", "created_time": "2026-11-02T09:00:00.000Z"},
            "2026-11-02T09:00:00.000Z",
        ),
        ({"type": "last_edited_by", "last_edited_by": {"object": "user", "id": "u2"}}, "u2"),
        ({"type": "button", "button": {}}, None),
        ({"type": "verification", "verification": {"state": "verified"}}, None),
        ({"type": "title", "title": "not a list"}, ""),
    ],
)
def test_plain_values(prop: dict[str, Any], expected: object) -> None:
    assert _wire.plain_value(prop) == expected


def test_a_page_without_timestamps_is_refused() -> None:
    with pytest.raises(ValueError, match="timestamps"):
        _wire.page({"object": "page", "id": "x", "properties": {}})


def test_a_batch_without_a_cursor_is_the_last() -> None:
    body = {"results": [], "has_more": True, "next_cursor": None}
    assert _wire.page_batch(body).next_cursor is None


@pytest.mark.parametrize(
    ("block", "line"),
    [
        ({"type": "paragraph", "paragraph": {"rich_text": rich("a", "b")}}, "ab"),
        ({"type": "heading_2", "heading_2": {"rich_text": rich("Skills")}}, "Skills"),
        ({"type": "quote", "quote": {"rich_text": rich("wise")}}, "> wise"),
        ({"type": "to_do", "to_do": {"rich_text": rich("call"), "checked": False}}, "[ ] call"),
        ({"type": "code", "code": {"rich_text": rich("x = 1"), "language": "python"}}, "x = 1"),
        ({"type": "callout", "callout": {"rich_text": rich("note")}}, "note"),
        (
            {"type": "bookmark", "bookmark": {"url": "https://cv.example.com", "caption": []}},
            "https://cv.example.com",
        ),
        (
            {
                "type": "image",
                "image": {
                    "type": "file",
                    "file": {"url": "https://s3/x?sig"},
                    "caption": rich("photo"),
                },
            },
            "photo",
        ),
        ({"type": "column_list", "column_list": {}}, None),
        ({"type": "unsupported", "unsupported": {}}, None),
    ],
)
def test_block_lines(block: dict[str, Any], line: str | None) -> None:
    assert _wire.block_line(block, 1) == line
