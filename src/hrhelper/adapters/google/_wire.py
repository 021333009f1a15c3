"""Calendar v3 and Drive v3 JSON → port values. Unknown keys are ignored."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from hrhelper.ports.google import CalendarAttendee, CalendarEvent, DriveFile

__all__ = ["DRIVE_FIELDS", "event", "file", "rfc3339"]

Json = Mapping[str, Any]

DRIVE_FIELDS = (
    "nextPageToken, incompleteSearch, files(id, name, mimeType, size, createdTime, "
    "modifiedTime, webViewLink, parents, owners(emailAddress))"
)
"""Without ``fields`` Drive answers only kind, id, name and mimeType of each file."""


def rfc3339(moment: datetime) -> str:
    """The form Google requires: with an offset, never a naive time."""
    if moment.tzinfo is None:
        raise ValueError("Google needs times with a time zone")
    return moment.isoformat()


def _when(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _bound(value: object) -> tuple[datetime | None, bool]:
    """A start/end object: ``dateTime`` (a moment) or ``date`` (an all-day bound)."""
    if not isinstance(value, Mapping):
        return None, False
    if value.get("dateTime"):
        return _when(value["dateTime"]), False
    if value.get("date"):
        try:
            day = date.fromisoformat(str(value["date"]))
        except ValueError:
            return None, True
        return datetime.combine(day, time(), UTC), True
    return None, False


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _attendee(body: Json) -> CalendarAttendee:
    return CalendarAttendee(
        email=str(body.get("email") or ""),
        display_name=_text(body.get("displayName")),
        response_status=_text(body.get("responseStatus")),
        optional=bool(body.get("optional")),
        organizer=bool(body.get("organizer")),
    )


def _meet_link(body: Json) -> str | None:
    if body.get("hangoutLink"):
        return str(body["hangoutLink"])
    conference = body.get("conferenceData")
    points = conference.get("entryPoints") if isinstance(conference, Mapping) else None
    for point in points if isinstance(points, list) else []:
        if isinstance(point, Mapping) and point.get("entryPointType") == "video":
            return _text(point.get("uri"))
    return None


def event(body: Json) -> CalendarEvent:
    start, all_day = _bound(body.get("start"))
    end, _ = _bound(body.get("end"))
    organizer = body.get("organizer")
    attendees = body.get("attendees")
    return CalendarEvent(
        id=str(body["id"]),
        summary=str(body.get("summary") or ""),
        start=start,
        end=end,
        all_day=all_day,
        description=_text(body.get("description")),
        location=_text(body.get("location")),
        status=str(body.get("status") or "confirmed"),
        html_link=_text(body.get("htmlLink")),
        meet_link=_meet_link(body),
        organizer_email=_text(organizer.get("email")) if isinstance(organizer, Mapping) else None,
        attendees=tuple(
            _attendee(item)
            for item in (attendees if isinstance(attendees, list) else [])
            if isinstance(item, Mapping)
        ),
        recurring_event_id=_text(body.get("recurringEventId")),
        updated=_when(body.get("updated")),
    )


def file(body: Json) -> DriveFile:
    size = body.get("size")  # a string in Drive's JSON, absent for native documents
    parents = body.get("parents")
    owners = body.get("owners")
    return DriveFile(
        id=str(body["id"]),
        name=str(body.get("name") or ""),
        mime_type=str(body.get("mimeType") or ""),
        size=int(size) if isinstance(size, str | int) and str(size).isdigit() else None,
        created_time=_when(body.get("createdTime")),
        modified_time=_when(body.get("modifiedTime")),
        web_view_link=_text(body.get("webViewLink")),
        parents=tuple(str(p) for p in parents) if isinstance(parents, list) else (),
        owners=tuple(
            str(owner["emailAddress"])
            for owner in (owners if isinstance(owners, list) else [])
            if isinstance(owner, Mapping) and owner.get("emailAddress")
        ),
    )
