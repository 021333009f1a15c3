"""A Notion page as a candidate card, and the fingerprint that tells its versions apart."""

from __future__ import annotations

import hashlib
import json
import re

from hrhelper.domain.errors import InvalidInput
from hrhelper.domain.recruiting.card import Attachment, CandidateCard, CardSource
from hrhelper.ports.notion import NotionPage, PlainValue

__all__ = ["card_from_page", "notion_id", "page_fingerprint", "plain_text"]

_ID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
_NOT_FIELDS = ("title", "files")
"""Property types that become the card's title and attachments rather than custom fields."""


def notion_id(value: str, field: str = "id") -> str:
    """The dashed UUID in ``value`` (a bare id, dashed or not, or a Notion link)."""
    match = _ID.search(value.split("?", 1)[0]) if value else None
    if match is None:
        raise InvalidInput.for_fields({field: ["Not a Notion id or link."]})
    raw = match.group(0).replace("-", "").lower()
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def plain_text(value: PlainValue) -> str:
    """A plain value as card text: names joined with ", ", a checkbox as Yes/No, a whole
    number without a decimal point, nothing for ``None``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, tuple):
        return ", ".join(part for part in value if part)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def card_from_page(page: NotionPage, content: str) -> CandidateCard:
    """The card of ``page`` whose body text is ``content``.

    - the title property gives the title, the body the description;
    - the first ``status`` property gives the status;
    - every other property with a value is a custom field (name → text), in Notion's order;
    - every file of a ``files`` property is an attachment (its link may expire within an hour).
    """
    status = next((p.value for p in page.properties if p.type == "status"), None)
    fields = {
        prop.name: text
        for prop in page.properties
        if prop.type not in _NOT_FIELDS and (text := plain_text(prop.value).strip())
    }
    return CandidateCard(
        source=CardSource.NOTION,
        source_id=page.id,
        source_url=page.url,
        title=page.title.strip(),
        description=content,
        status=status if isinstance(status, str) else "",
        custom_fields=fields,
        attachments=tuple(Attachment(name=f.name, url=f.url) for f in page.files),
    )


def page_fingerprint(page: NotionPage, content: str) -> str:
    """A digest of what a person edits: properties, body text, file names and external links.
    Links to files kept by Notion are left out: Notion signs them anew on every read."""
    data = {
        "title": page.title,
        "properties": [[p.name, p.type, _jsonable(p.value)] for p in page.properties],
        "files": [[f.property, f.name, "" if f.hosted else f.url] for f in page.files],
        "content": content,
    }
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _jsonable(value: PlainValue) -> object:
    return list(value) if isinstance(value, tuple) else value
