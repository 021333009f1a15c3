"""Notion JSON → port values. Pure functions; unknown keys and types are ignored.

Property values become plain data (``PlainValue``): rich text is joined ``plain_text``;
select and status give their name; multi_select, people and files a tuple of names; a date
its ISO ``start`` (``start/end`` for a range); formulas and rollups their inner value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from hrhelper.ports.notion import (
    NotionBot,
    NotionFile,
    NotionPage,
    NotionPageBatch,
    NotionProperty,
    PlainValue,
)

__all__ = ["block_line", "bot", "page", "page_batch", "plain_value", "rich_text", "when"]

Json = Mapping[str, Any]


def when(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _maps(value: object) -> Iterator[Json]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, Mapping))


def rich_text(value: object) -> str:
    """The plain text of a rich text array."""
    return "".join(str(part.get("plain_text") or "") for part in _maps(value))


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _name(value: object) -> str | None:
    return _text_or_none(value.get("name")) if isinstance(value, Mapping) else None


def _names(value: object) -> tuple[str, ...]:
    return tuple(name for item in _maps(value) if (name := _name(item)) is not None)


def _person(value: Json) -> str:
    return _name(value) or str(value.get("id") or "")


def _date(value: object) -> str | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("start"), str):
        return None
    end = value.get("end")
    return f"{value['start']}/{end}" if isinstance(end, str) and end else str(value["start"])


def _number(value: object) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _unique_id(value: object) -> str | None:
    if not isinstance(value, Mapping) or value.get("number") is None:
        return None
    prefix = value.get("prefix")
    return f"{prefix}-{value['number']}" if prefix else str(value["number"])


def _typed(value: object) -> PlainValue:
    """A formula or rollup result: ``{"type": t, t: payload}``."""
    if not isinstance(value, Mapping):
        return None
    kind = str(value.get("type") or "")
    payload = value.get(kind)
    if kind == "array":
        return tuple(str(v) for item in _maps(payload) if (v := plain_value(item)) is not None)
    return plain_value({"type": kind, kind: payload}) if kind in _PLAIN else None


_PLAIN: dict[str, Callable[[Any], PlainValue]] = {
    "title": rich_text,
    "rich_text": rich_text,
    "email": _text_or_none,
    "phone_number": _text_or_none,
    "url": _text_or_none,
    "string": _text_or_none,
    "select": _name,
    "status": _name,
    "multi_select": _names,
    "files": _names,
    "people": lambda v: tuple(_person(p) for p in _maps(v)),
    "created_by": lambda v: _person(v) if isinstance(v, Mapping) else None,
    "last_edited_by": lambda v: _person(v) if isinstance(v, Mapping) else None,
    "relation": lambda v: tuple(str(r.get("id")) for r in _maps(v) if r.get("id")),
    "date": _date,
    "created_time": _text_or_none,
    "last_edited_time": _text_or_none,
    "number": _number,
    "boolean": lambda v: v if isinstance(v, bool) else None,
    "checkbox": lambda v: v if isinstance(v, bool) else False,
    "unique_id": _unique_id,
    "formula": _typed,
    "rollup": _typed,
}


def plain_value(prop: Json) -> PlainValue:
    """The plain value of one property value object; ``None`` for unknown types."""
    kind = str(prop.get("type") or "")
    convert = _PLAIN.get(kind)
    return None if convert is None else convert(prop.get(kind))


def _files(name: str, value: object) -> Iterator[NotionFile]:
    for item in _maps(value):
        kind = item.get("type")
        body = item.get(kind) if isinstance(kind, str) else None
        url = body.get("url") if isinstance(body, Mapping) else None
        if isinstance(url, str) and url:
            yield NotionFile(
                property=name,
                name=str(item.get("name") or url.rsplit("/", 1)[-1].split("?", 1)[0]),
                url=url,
                hosted=kind == "file",
                expires_at=when(body.get("expiry_time")) if isinstance(body, Mapping) else None,
            )


def _parent_id(parent: object) -> str | None:
    if not isinstance(parent, Mapping):
        return None
    kind = parent.get("type")
    value = parent.get(kind) if isinstance(kind, str) else None
    return value if isinstance(value, str) else None


def page(body: Json) -> NotionPage:
    raw = body.get("properties")
    props = raw if isinstance(raw, Mapping) else {}
    properties: list[NotionProperty] = []
    files: list[NotionFile] = []
    title = ""
    for name, value in props.items():
        if not isinstance(value, Mapping):
            continue
        kind = str(value.get("type") or "")
        properties.append(NotionProperty(str(name), kind, plain_value(value)))
        if kind == "title":
            title = rich_text(value.get("title"))
        elif kind == "files":
            files.extend(_files(str(name), value.get("files")))
    created = when(body.get("created_time"))
    edited = when(body.get("last_edited_time"))
    if created is None or edited is None:
        raise ValueError("a Notion page without its timestamps")
    return NotionPage(
        id=str(body["id"]),
        url=str(body.get("url") or ""),
        title=title,
        created_time=created,
        last_edited_time=edited,
        parent_id=_parent_id(body.get("parent")),
        archived=bool(body.get("archived") or body.get("in_trash")),
        properties=tuple(properties),
        files=tuple(files),
    )


def page_batch(body: Json) -> NotionPageBatch:
    cursor = body.get("next_cursor")
    more = bool(body.get("has_more")) and isinstance(cursor, str) and bool(cursor)
    pages = tuple(page(item) for item in _maps(body.get("results")) if item.get("object") == "page")
    return NotionPageBatch(pages=pages, next_cursor=cursor if more else None)


def bot(body: Json) -> NotionBot:
    details = body.get("bot")
    workspace = details.get("workspace_name") if isinstance(details, Mapping) else None
    return NotionBot(
        id=str(body["id"]),
        name=str(body.get("name") or ""),
        workspace_name=workspace if isinstance(workspace, str) else None,
    )


_LIST_MARKS = {"bulleted_list_item": "- ", "quote": "> "}


def block_line(block: Json, number: int) -> str | None:
    """One block as a line of text (``None`` when it carries none). ``number`` is the item's
    position in a run of numbered list items."""
    kind = str(block.get("type") or "")
    body = block.get(kind)
    body = body if isinstance(body, Mapping) else {}
    if kind in ("child_page", "child_database"):
        return str(body.get("title") or "") or None
    if kind == "table_row":
        cells = body.get("cells")
        return " | ".join(rich_text(cell) for cell in (cells if isinstance(cells, list) else []))
    if kind == "divider":
        return "---"
    if kind in ("bookmark", "embed", "link_preview", "image", "file", "pdf", "video"):
        return _media(body)
    if "rich_text" not in body:
        return None
    text = rich_text(body.get("rich_text"))
    if kind == "numbered_list_item":
        return f"{number}. {text}"
    if kind == "to_do":
        return ("[x] " if body.get("checked") else "[ ] ") + text
    return _LIST_MARKS.get(kind, "") + text


def _media(body: Json) -> str | None:
    caption = rich_text(body.get("caption"))
    kind = body.get("type")
    inner = body.get(kind) if isinstance(kind, str) else None
    url = body.get("url") or (inner.get("url") if isinstance(inner, Mapping) else None)
    if kind == "file":
        url = None  # a signed, short-lived link: useless in stored text
    parts = [part for part in (caption, url if isinstance(url, str) else "") if part]
    return " ".join(parts) or None
