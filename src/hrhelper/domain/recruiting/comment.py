"""The comment a transferred applicant gets in Huntflow."""

from __future__ import annotations

from datetime import UTC

from hrhelper.domain.recruiting.card import Attachment, CandidateCard
from hrhelper.domain.recruiting.parsing import strip_html

__all__ = ["transfer_comment"]

_SOURCES = {"clickup": "ClickUp", "notion": "Notion"}


def transfer_comment(card: CandidateCard, resume: Attachment | str) -> str:
    """Source and link, status, the profile link when there is no PDF, the description without
    HTML, then every card comment oldest first, each dated ``YYYY-MM-DD HH:MM`` (UTC)."""
    lines = [f"Source: {_SOURCES.get(card.source.value, card.source.value)} — {card.source_url}"]
    if card.status:
        lines.append(f"Status: {card.status}")
    if isinstance(resume, str):
        lines.append(f"Resume: {resume}")
    description = strip_html(card.description).strip()
    if description:
        lines += ["", description]
    if card.comments:
        lines += ["", "Comments:"]
        for comment in sorted(card.comments, key=lambda c: c.created_at):
            text = strip_html(comment.text).strip()
            at = comment.created_at
            at = at.astimezone(UTC) if at.tzinfo is not None else at
            lines.append(f"[{at:%Y-%m-%d %H:%M}] {comment.author}: {text}")
    return "\n".join(lines)
