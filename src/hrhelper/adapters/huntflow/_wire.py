"""Huntflow JSON ↔ port values. Unknown keys are ignored; nulls are omitted when sending."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from hrhelper.ports.ats import (
    ApplicantDraft,
    ApplicantRef,
    AtsAccount,
    AtsPage,
    AtsRejectionReason,
    AtsStatus,
    AtsTokens,
    AtsUser,
    AtsVacancy,
    AtsVacancyLink,
    UploadedFile,
)

__all__ = [
    "account",
    "applicant_ref",
    "draft_body",
    "items",
    "link",
    "rejection_reason",
    "status",
    "tokens",
    "uploaded_file",
    "user",
    "vacancy",
    "vacancy_page",
]

Json = Mapping[str, Any]


def _when(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def items(body: Json) -> list[Json]:
    found = body.get("items")
    return [item for item in found if isinstance(item, Mapping)] if isinstance(found, list) else []


def user(body: Json) -> AtsUser:
    return AtsUser(
        id=int(body["id"]),
        name=str(body.get("name") or ""),
        email=_text(body.get("email")),
        position=_text(body.get("position")),
    )


def account(body: Json) -> AtsAccount:
    return AtsAccount(id=int(body["id"]), name=str(body.get("name") or ""))


def vacancy(body: Json) -> AtsVacancy:
    return AtsVacancy(
        id=int(body["id"]),
        position=str(body.get("position") or ""),
        state=str(body.get("state") or ""),
        company=_text(body.get("company")),
        money=_text(body.get("money")),
        created=_when(body.get("created")),
    )


def vacancy_page(body: Json) -> AtsPage[AtsVacancy]:
    return AtsPage(
        items=tuple(vacancy(item) for item in items(body)),
        page=int(body.get("page") or 1),
        total_pages=int(body.get("total_pages") or 0),
        total_items=int(body.get("total_items") or 0),
    )


def status(body: Json) -> AtsStatus:
    return AtsStatus(
        id=int(body["id"]),
        name=str(body.get("name") or ""),
        type=str(body.get("type") or "user"),
        order=int(body.get("order") or 0),
        removed=bool(body.get("removed")),
    )


def rejection_reason(body: Json) -> AtsRejectionReason:
    raw_id = body.get("id")
    return AtsRejectionReason(
        id=None if raw_id is None else int(raw_id),
        name=str(body.get("name") or ""),
        order=int(body.get("order") or 0),
    )


def uploaded_file(body: Json) -> UploadedFile:
    photo = body.get("photo")
    fields = body.get("fields")
    return UploadedFile(
        id=int(body["id"]),
        url=str(body.get("url") or ""),
        name=str(body.get("name") or ""),
        content_type=str(body.get("content_type") or ""),
        text=_text(body.get("text")),
        fields=dict(fields) if isinstance(fields, Mapping) else {},
        photo_id=int(photo["id"]) if isinstance(photo, Mapping) and photo.get("id") else None,
    )


def applicant_ref(body: Json) -> ApplicantRef:
    doubles = body.get("doubles")
    return ApplicantRef(
        id=int(body["id"]),
        first_name=_text(body.get("first_name")),
        last_name=_text(body.get("last_name")),
        email=_text(body.get("email")),
        phone=_text(body.get("phone")),
        doubles=tuple(
            int(item["double"])
            for item in (doubles if isinstance(doubles, list) else [])
            if isinstance(item, Mapping) and item.get("double") is not None
        ),
    )


def draft_body(draft: ApplicantDraft) -> dict[str, Any]:
    plain = {
        "first_name": draft.first_name,
        "last_name": draft.last_name,
        "middle_name": draft.middle_name,
        "email": draft.email,
        "phone": draft.phone,
        "position": draft.position,
        "money": draft.money,
        "photo": draft.photo_id,
    }
    body: dict[str, Any] = {key: value for key, value in plain.items() if value is not None}
    if draft.resume_text is not None or draft.file_ids:
        external: dict[str, Any] = {"auth_type": "NATIVE"}
        if draft.resume_text is not None:
            external["data"] = {"body": draft.resume_text}
        if draft.file_ids:
            external["files"] = list(draft.file_ids)
        body["externals"] = [external]
    if draft.telegram:
        body["social"] = [{"social_type": "TELEGRAM", "value": draft.telegram.lstrip("@")}]
    return body


def link(body: Json) -> AtsVacancyLink:
    reason = body.get("rejection_reason")
    return AtsVacancyLink(
        id=int(body["id"]),
        vacancy_id=int(body["vacancy"]),
        status_id=int(body["status"]),
        rejection_reason_id=None if reason is None else int(reason),
        changed=_when(body.get("changed")),
    )


def tokens(body: Json, now: datetime | None = None) -> AtsTokens:
    """The pair from a ``/token/refresh`` answer."""
    now = now or datetime.now(UTC)

    def after(seconds: object) -> datetime | None:
        return now + timedelta(seconds=int(seconds)) if isinstance(seconds, int) else None

    return AtsTokens(
        access_token=str(body["access_token"]),
        refresh_token=str(body["refresh_token"]),
        access_expires_at=after(body.get("expires_in")),
        refresh_expires_at=after(body.get("refresh_token_expires_in")),
    )
