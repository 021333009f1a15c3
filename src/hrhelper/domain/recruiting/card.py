"""A candidate card as ClickUp (a task) or Notion (a page) gives it, before any parsing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from hrhelper.domain.errors import InvalidInput

__all__ = ["Attachment", "CandidateCard", "CardComment", "CardSource"]


class CardSource(StrEnum):
    """The system a card comes from."""

    CLICKUP = "clickup"
    NOTION = "notion"


@dataclass(frozen=True)
class Attachment:
    """A file attached to a card."""

    name: str
    url: str
    """Where the source adapter can download the file."""
    content_type: str = ""
    """The MIME type as the source reports it; may be empty or carry parameters."""
    size: int | None = None
    """Bytes, when the source tells; never negative."""

    def __post_init__(self) -> None:
        if self.size is not None and self.size < 0:
            raise InvalidInput.for_fields({"size": ["The attachment size must not be negative."]})

    @property
    def is_pdf(self) -> bool:
        """A PDF by its MIME type ``application/pdf`` or by a ``.pdf`` name, ignoring case."""
        mime = self.content_type.split(";", 1)[0].strip().lower()
        return mime == "application/pdf" or self.name.strip().lower().endswith(".pdf")


@dataclass(frozen=True)
class CardComment:
    """A comment left on the card by a recruiter or an interviewer."""

    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class CandidateCard:
    """One candidate as a source keeps it; ``parsing`` reads the details out of it."""

    source: CardSource
    source_id: str
    """The task id in ClickUp or the page id in Notion; never blank."""
    source_url: str
    title: str
    """Usually the candidate's name, sometimes followed by " — job title"."""
    description: str
    """Free text; may contain HTML."""
    status: str = ""
    """The source's status name, as shown there."""
    custom_fields: Mapping[str, str] = field(default_factory=dict)
    """Field name → value as text, in the source's order; read-only once the card is built."""
    attachments: tuple[Attachment, ...] = ()
    comments: tuple[CardComment, ...] = ()
    rejected: bool = False
    """The candidate was turned down in the source."""

    def __post_init__(self) -> None:
        if not self.source_id.strip():
            raise InvalidInput.for_fields({"source_id": ["The card id must not be blank."]})
        # Copies, so that a frozen card cannot change through the caller's dict or list.
        object.__setattr__(self, "custom_fields", MappingProxyType(dict(self.custom_fields)))
        object.__setattr__(self, "attachments", tuple(self.attachments))
        object.__setattr__(self, "comments", tuple(self.comments))
