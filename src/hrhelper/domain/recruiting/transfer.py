"""The transfer of a candidate card into Huntflow, exactly once per (user, source, source id,
Huntflow organisation)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from hrhelper.domain.errors import Conflict, OutsideServiceError, ServiceBusy
from hrhelper.domain.recruiting.card import Attachment, CandidateCard
from hrhelper.domain.recruiting.comment import transfer_comment
from hrhelper.domain.recruiting.parsing import (
    Contacts,
    PersonName,
    contacts_from_fields,
    extract_contacts,
    merge_contacts,
    parse_name,
    resume_or_link,
    strip_html,
)
from hrhelper.ports.ats import ApplicantDraft, Ats, AtsConnector, AtsStatus, UploadedFile
from hrhelper.ports.clock import Clock
from hrhelper.ports.transfers import (
    AttachmentFetcher,
    TransferKey,
    TransferLedger,
    TransferRecord,
    TransferStep,
)

__all__ = ["TransferResult", "TransferService"]


@dataclass(frozen=True)
class TransferResult:
    applicant_id: int
    account_id: int
    vacancy_id: int
    status_id: int
    created: bool
    """False when the card was linked to an applicant that was already in Huntflow."""
    file_id: int | None = None
    doubles: tuple[int, ...] = ()
    """Applicants Huntflow itself takes for the same person (on create only)."""


@dataclass(frozen=True)
class _Attempt:
    ats: Ats
    key: TransferKey
    owner: str
    card: CandidateCard
    vacancy_id: int
    force: bool
    files: AttachmentFetcher


def _digits(value: str | None) -> str:
    return re.sub(r"[^0-9]", "", value or "")


class TransferService:
    """``transfer(user_id, card, account_id, vacancy_id, force=False)``.

    - An already transferred card (the ledger says it is on a vacancy) is a Conflict whose
      details name the applicant, unless ``force``: then it is transferred again (still
      linked to the applicant Huntflow finds by email or phone, if any).
    - Only one attempt works on a card at a time (a lease in the ledger); another one meanwhile
      gets ServiceBusy. An attempt that dies keeps the card until its lease runs out.
    - The first PDF is uploaded with parsing; contacts come from the parsed resume, then the
      card's custom fields, then its text. Before creating, Huntflow is searched by email and
      phone, and a match is linked instead of creating a duplicate.
    - The step that creates the applicant is recorded first, so a retry after a crash looks the
      applicant up instead of creating it again. When the card has neither email nor phone to
      look it up by, the retry stops with a Conflict until it is forced.
    - The applicant is put on the vacancy at the first ordinary stage ("new"), or at the first
      rejection stage with the first rejection reason when the card is rejected, with a
      comment carrying the source link, status, description and every card comment, dated.
    """

    def __init__(
        self,
        connector: AtsConnector,
        ledger: TransferLedger,
        files: AttachmentFetcher,
        clock: Clock,
        *,
        lease: timedelta = timedelta(minutes=10),
        new_owner: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self._connector = connector
        self._ledger = ledger
        self._files = files
        self._clock = clock
        self._lease = lease
        self._new_owner = new_owner

    async def transfer(
        self,
        user_id: int,
        card: CandidateCard,
        account_id: int,
        vacancy_id: int,
        *,
        force: bool = False,
        files: AttachmentFetcher | None = None,
    ) -> TransferResult:
        """``files``: how to download this card's attachments, when its source has its own
        way (Notion checks where an external link points); the shared fetcher otherwise."""
        key = TransferKey(user_id, card.source.value, card.source_id, account_id)
        known = await self._ledger.get(key)
        if known is not None and known.step is TransferStep.BOUND and not force:
            raise _already(known)
        parse_name(card.title)  # a card that cannot be transferred fails before any call
        resume_or_link(card)
        ats = await self._connector.for_user(user_id)
        owner = self._new_owner()
        now = self._clock.now()
        record = await self._ledger.claim(key, owner, now, now + self._lease)
        if record is None:
            raise ServiceBusy("This card is being transferred right now; try again in a minute.")
        attempt = _Attempt(ats, key, owner, card, vacancy_id, force, files or self._files)
        try:
            result = await self._run(attempt, record)
        except Exception:
            await self._ledger.release(key, owner)
            raise
        # a crash (BaseException) keeps the claim: the lease decides when a retry may start
        await self._ledger.release(key, owner)
        return result

    async def _run(self, attempt: _Attempt, record: TransferRecord) -> TransferResult:
        if record.step is TransferStep.BOUND and not attempt.force:
            raise _already(record)
        account_id = attempt.key.account_id
        await attempt.ats.vacancy(account_id, attempt.vacancy_id)  # NotFound before creating
        stage, reason_id = await self._stage(attempt.ats, account_id, attempt.card.rejected)
        file: UploadedFile | None = None
        created = False
        doubles: tuple[int, ...] = ()
        applicant_id = record.applicant_id if record.step is TransferStep.CREATED else None
        if applicant_id is None:
            file, applicant_id, created, doubles = await self._applicant(attempt, record)
        link = await attempt.ats.bind_to_vacancy(
            account_id,
            applicant_id,
            attempt.vacancy_id,
            stage.id,
            comment=transfer_comment(attempt.card, resume_or_link(attempt.card)),
            rejection_reason_id=reason_id,
            file_ids=(file.id,) if file else (),
        )
        await self._advance(
            attempt, TransferStep.BOUND, applicant_id=applicant_id, vacancy_id=attempt.vacancy_id
        )
        return TransferResult(
            applicant_id=applicant_id,
            account_id=account_id,
            vacancy_id=attempt.vacancy_id,
            status_id=link.status_id,
            created=created,
            file_id=file.id if file else None,
            doubles=doubles,
        )

    async def _applicant(
        self, attempt: _Attempt, record: TransferRecord
    ) -> tuple[UploadedFile | None, int, bool, tuple[int, ...]]:
        """Upload the resume, then link to the applicant Huntflow knows or create one."""
        card, account_id = attempt.card, attempt.key.account_id
        resume = resume_or_link(card)
        file = await self._upload(attempt, resume)
        contacts = merge_contacts(
            _resume_contacts(file),
            contacts_from_fields(card.custom_fields),
            extract_contacts(strip_html(card.description)),
        )
        found = await self._find(attempt.ats, account_id, contacts)
        if found is not None:
            await self._advance(attempt, TransferStep.CREATED, applicant_id=found)
            return file, found, False, ()
        searchable = bool(contacts.email or contacts.phone)
        if record.step is TransferStep.CREATING and not searchable and not attempt.force:
            raise Conflict(
                "An earlier attempt may have created this applicant in Huntflow, and the card "
                "has no email or phone to find it by. Check Huntflow, then transfer the card "
                "again with force.",
                {"source_id": card.source_id},
            )
        await self._advance(attempt, TransferStep.CREATING)
        draft = _draft(parse_name(card.title), contacts, resume, file)
        ref = await attempt.ats.create_applicant(account_id, draft)
        await self._advance(attempt, TransferStep.CREATED, applicant_id=ref.id)
        return file, ref.id, True, ref.doubles

    @staticmethod
    async def _upload(attempt: _Attempt, resume: Attachment | str) -> UploadedFile | None:
        if not isinstance(resume, Attachment):
            return None
        content = await attempt.files.fetch(resume)
        return await attempt.ats.upload(
            attempt.key.account_id, resume.name, content, "application/pdf", parse=True
        )

    @staticmethod
    async def _find(ats: Ats, account_id: int, contacts: Contacts) -> int | None:
        """The applicant with the same email or phone; Huntflow's search is fuzzy, so every
        answer is compared here."""
        if contacts.email:
            for ref in await ats.search_applicants(account_id, contacts.email, limit=50):
                if (ref.email or "").strip().lower() == contacts.email:
                    return ref.id
        phone = _digits(contacts.phone)
        if phone:
            for ref in await ats.search_applicants(account_id, contacts.phone or "", limit=50):
                if _digits(ref.phone) == phone:
                    return ref.id
        return None

    @staticmethod
    async def _stage(ats: Ats, account_id: int, rejected: bool) -> tuple[AtsStatus, int | None]:
        wanted = "trash" if rejected else "user"
        stages = sorted(
            (s for s in await ats.statuses(account_id) if s.type == wanted and not s.removed),
            key=lambda s: s.order,
        )
        if not stages:
            kind = "rejection" if rejected else "ordinary"
            raise OutsideServiceError(f"The Huntflow organisation has no {kind} stage to use.")
        if not rejected:
            return stages[0], None
        reasons = sorted(await ats.rejection_reasons(account_id), key=lambda r: r.order)
        return stages[0], next((r.id for r in reasons if r.id is not None), None)

    async def _advance(
        self,
        attempt: _Attempt,
        step: TransferStep,
        *,
        applicant_id: int | None = None,
        vacancy_id: int | None = None,
    ) -> None:
        kept = await self._ledger.advance(
            attempt.key,
            attempt.owner,
            step,
            self._clock.now(),
            applicant_id=applicant_id,
            vacancy_id=vacancy_id,
        )
        if not kept:
            raise ServiceBusy("Another attempt took this transfer over; try again shortly.")


def _already(record: TransferRecord) -> Conflict:
    return Conflict(
        "This card was already transferred to Huntflow.",
        {
            "applicant_id": record.applicant_id,
            "account_id": record.key.account_id,
            "vacancy_id": record.vacancy_id,
        },
    )


def _resume_contacts(file: UploadedFile | None) -> Contacts:
    """Contacts the resume recognition found, read by the same rules as custom fields."""
    if file is None:
        return Contacts()
    fields = file.fields
    phones = fields.get("phones")
    values = {
        "email": fields.get("email"),
        "phone": phones[0] if isinstance(phones, list) and phones else None,
        "telegram": fields.get("telegram"),
        "salary": fields.get("salary"),
    }
    return contacts_from_fields({k: str(v) for k, v in values.items() if v})


def _draft(
    name: PersonName, contacts: Contacts, resume: Attachment | str, file: UploadedFile | None
) -> ApplicantDraft:
    position = file.fields.get("position") if file else None
    return ApplicantDraft(
        first_name=name.first or None,
        last_name=name.last,
        middle_name=name.middle or None,
        email=contacts.email,
        phone=contacts.phone,
        position=str(position) if position else None,
        money=contacts.salary,
        telegram=contacts.telegram,
        resume_text=(file.text if file else None) if isinstance(resume, Attachment) else resume,
        file_ids=(file.id,) if file else (),
        photo_id=file.photo_id if file else None,
    )
