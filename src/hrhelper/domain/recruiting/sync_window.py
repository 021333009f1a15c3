"""Incremental sync by a source's "last edited" time, without missing or double-counting edits.

Notion cuts ``last_edited_time`` to the minute, and its query index may show an edit a little
late. So the rules are:

- **Window.** The next sync asks for pages edited on or after ``start(watermark)``: the
  previous sync's highest ``last_edited_time`` cut to the minute, minus an overlap that covers
  the index lag. Nothing edited after the previous sync can fall before that start.
- **Watermark.** ``advance`` keeps the highest time a sync saw; store it only once the sync
  has finished, so a crash repeats the window instead of skipping it.
- **Reads.** A page listed again with the time of its stored version is read again only
  while that version may not be final (``must_read``): once a version was read after its
  minute and the overlap had passed, a later edit must show as a later time.
- **Dedup.** A page read again inside the overlap counts as changed only when its version
  differs from the stored one: a later time, or the same minute with other content (two edits
  in one minute share a timestamp, so the time alone would hide the second). An older time
  than the stored one is a stale read and is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

__all__ = ["Change", "PageVersion", "SyncWindow", "classify", "needs_reading"]


class Change(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    SAME = "same"
    """Already stored: not counted again."""
    STALE = "stale"
    """Older than what is stored: ignored."""

    @property
    def counts(self) -> bool:
        return self in (Change.NEW, Change.CHANGED)


@dataclass(frozen=True, slots=True)
class PageVersion:
    """What a sync stores per page: the source's time and a fingerprint of the content read
    (properties and body), so that edits within one minute are told apart."""

    edited: datetime
    fingerprint: str


@dataclass(frozen=True, slots=True)
class SyncWindow:
    """``precision``: the source's timestamp resolution; ``overlap``: at least the longest
    time the source's query takes to show an edit (the watermark is cut to ``precision``
    first, so a lag of up to one minute needs one minute). The default leaves a margin."""

    overlap: timedelta = timedelta(minutes=2)
    precision: timedelta = timedelta(minutes=1)

    def __post_init__(self) -> None:
        if self.precision <= timedelta(0) or self.overlap < timedelta(0):
            raise ValueError("precision must be positive and overlap not negative")

    def start(self, watermark: datetime | None) -> datetime | None:
        """The ``on_or_after`` bound of the next query; ``None`` (read all) on the first."""
        if watermark is None:
            return None
        return self.floor(watermark) - self.overlap

    def floor(self, moment: datetime) -> datetime:
        """``moment`` cut to the precision (a time-zone-aware moment keeps its zone)."""
        epoch = datetime(1970, 1, 1, tzinfo=moment.tzinfo)
        return moment - (moment - epoch) % self.precision

    def must_read(
        self, stored: PageVersion | None, read_at: datetime | None, edited: datetime
    ) -> bool:
        """Whether a page listed with ``edited`` must be read in full: ``needs_reading``,
        less a page listed again with the time of a *settled* version, one read (at
        ``read_at``) after its minute and the overlap had passed. Any later edit of such a page
        must have moved its time, so reading it again could only find the same content."""
        if not needs_reading(stored, edited):
            return False
        if stored is None or read_at is None or edited != stored.edited:
            return True
        return read_at < edited + self.precision + self.overlap

    @staticmethod
    def advance(watermark: datetime | None, seen: Iterable[datetime]) -> datetime | None:
        """The watermark after a sync that saw ``seen``; it never moves back."""
        times = [*seen, *([watermark] if watermark is not None else [])]
        return max(times) if times else None


def needs_reading(stored: PageVersion | None, edited: datetime) -> bool:
    """Whether a page listed with ``edited`` must be read in full (to compare its content):
    every page not older than its stored version."""
    return stored is None or edited >= stored.edited


def classify(stored: PageVersion | None, seen: PageVersion) -> Change:
    """How a version read now relates to the stored one (see the module's rules)."""
    if stored is None:
        return Change.NEW
    if seen.edited < stored.edited:
        return Change.STALE
    if seen.edited == stored.edited and seen.fingerprint == stored.fingerprint:
        return Change.SAME
    return Change.CHANGED
