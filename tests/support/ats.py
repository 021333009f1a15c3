"""An in-memory ``Ats`` for domain tests, with scripted failures and scheduling points.

Every call first yields to the event loop ``pauses`` times, so concurrent workers interleave
as a test decides, then acts on ``plan``: succeed, fail before or after applying a change
(``OutsideServiceUnavailable``), or crash before or after applying it (``WorkerCrash``, a
``BaseException``: the worker dies without cleaning up).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from hrhelper.domain.errors import NotFound, OutsideServiceUnavailable
from hrhelper.domain.identity.model import HuntflowSystem
from hrhelper.domain.recruiting.card import Attachment
from hrhelper.ports.ats import (
    ApplicantDraft,
    ApplicantRef,
    Ats,
    AtsAccount,
    AtsConnector,
    AtsPage,
    AtsRejectionReason,
    AtsStatus,
    AtsUser,
    AtsVacancy,
    AtsVacancyLink,
    UploadedFile,
)

__all__ = [
    "FakeAts",
    "FakeConnector",
    "FakeFiles",
    "Fault",
    "Outages",
    "Step",
    "WorkerCrash",
]


class WorkerCrash(BaseException):
    """The worker process died here."""


class Fault(Enum):
    NONE = "none"
    FAIL_BEFORE = "fail-before"
    FAIL_AFTER = "fail-after"
    CRASH_BEFORE = "crash-before"
    CRASH_AFTER = "crash-after"


@dataclass(frozen=True)
class Step:
    pauses: int = 0
    fault: Fault = Fault.NONE


@dataclass
class Outages:
    """Spans of a clock's time in which a service is out of reach: every call then raises
    ``OutsideServiceUnavailable`` naming ``service``. ``hits`` counts the calls refused."""

    service: str
    now: Callable[[], datetime] | None = None
    spans: Sequence[tuple[datetime, datetime]] = ()
    hits: int = 0

    def check(self) -> None:
        if self.now is None:
            return
        moment = self.now()
        if any(start <= moment < end for start, end in self.spans):
            self.hits += 1
            raise OutsideServiceUnavailable(
                f"{self.service} cannot be reached or did not answer in time; try again later."
            )


STATUSES = [
    AtsStatus(11, "New", "user", 1),
    AtsStatus(12, "Interview", "user", 2),
    AtsStatus(13, "Hired", "hired", 3),
    AtsStatus(14, "Rejected", "trash", 4),
]


@dataclass
class FakeAts(Ats):
    plan: list[Step] = field(default_factory=list)
    vacancy_ids: set[int] = field(default_factory=lambda: {101, 102})
    applicants: dict[int, ApplicantDraft] = field(default_factory=dict)
    links: dict[int, dict[int, AtsVacancyLink]] = field(default_factory=dict)
    """applicant id → vacancy id → link"""
    comments: list[tuple[int, int, str]] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)
    outages: Outages = field(default_factory=lambda: Outages("Huntflow"))
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))

    async def _step(self, *, change: bool) -> Fault:
        self.outages.check()
        step = self.plan.pop(0) if self.plan else Step()
        for _ in range(step.pauses):
            await asyncio.sleep(0)
        fault = (
            step.fault
            if change or step.fault in (Fault.FAIL_BEFORE, Fault.CRASH_BEFORE)
            else Fault.NONE
        )
        if fault is Fault.FAIL_BEFORE:
            raise OutsideServiceUnavailable("Huntflow is unavailable right now.")
        if fault is Fault.CRASH_BEFORE:
            raise WorkerCrash
        return fault

    @staticmethod
    def _after(fault: Fault) -> None:
        if fault is Fault.FAIL_AFTER:
            raise OutsideServiceUnavailable("Huntflow did not answer; the change may be applied.")
        if fault is Fault.CRASH_AFTER:
            raise WorkerCrash

    async def me(self) -> AtsUser:
        await self._step(change=False)
        return AtsUser(1, "Anna")

    async def accounts(self) -> list[AtsAccount]:
        await self._step(change=False)
        return [AtsAccount(1, "Acme")]

    async def vacancies(
        self, account_id: int, page: int = 1, count: int = 30
    ) -> AtsPage[AtsVacancy]:
        raise NotImplementedError

    async def all_vacancies(self, account_id: int) -> list[AtsVacancy]:
        raise NotImplementedError

    async def vacancy(self, account_id: int, vacancy_id: int) -> AtsVacancy:
        await self._step(change=False)
        if vacancy_id not in self.vacancy_ids:
            raise NotFound("Huntflow vacancy not found.")
        return AtsVacancy(vacancy_id, f"Vacancy {vacancy_id}", "OPEN")

    async def statuses(self, account_id: int) -> list[AtsStatus]:
        await self._step(change=False)
        return list(reversed(STATUSES))  # the order field decides, not the list order

    async def rejection_reasons(self, account_id: int) -> list[AtsRejectionReason]:
        await self._step(change=False)
        return [AtsRejectionReason(None, "Other", 3), AtsRejectionReason(22, "Skills", 2)]

    async def search_applicants(
        self, account_id: int, query: str, *, limit: int = 100
    ) -> list[ApplicantRef]:
        await self._step(change=False)
        q = query.strip().lower()
        return [
            ApplicantRef(i, a.first_name, a.last_name, a.email, a.phone)
            for i, a in self.applicants.items()
            if q and (q in (a.email or "").lower() or q in (a.phone or ""))
        ][:limit]

    async def upload(
        self,
        account_id: int,
        filename: str,
        content: bytes,
        content_type: str,
        *,
        parse: bool = True,
    ) -> UploadedFile:
        fault = await self._step(change=True)
        file_id = next(self._ids)
        self.uploads.append(filename)
        text = content.decode()
        self._after(fault)
        return UploadedFile(
            file_id, f"https://files/{file_id}", filename, content_type, text=text, fields={}
        )

    async def create_applicant(self, account_id: int, draft: ApplicantDraft) -> ApplicantRef:
        fault = await self._step(change=True)
        applicant_id = next(self._ids)
        self.applicants[applicant_id] = draft
        self._after(fault)
        return ApplicantRef(
            applicant_id, draft.first_name, draft.last_name, draft.email, draft.phone
        )

    async def bind_to_vacancy(
        self,
        account_id: int,
        applicant_id: int,
        vacancy_id: int,
        status_id: int,
        *,
        comment: str | None = None,
        rejection_reason_id: int | None = None,
        file_ids: tuple[int, ...] = (),
    ) -> AtsVacancyLink:
        fault = await self._step(change=True)
        if applicant_id not in self.applicants or vacancy_id not in self.vacancy_ids:
            raise NotFound("Huntflow applicant (or its vacancy) not found.")
        link = AtsVacancyLink(next(self._ids), vacancy_id, status_id, rejection_reason_id)
        self.links.setdefault(applicant_id, {})[vacancy_id] = link
        if comment:
            self.comments.append((applicant_id, vacancy_id, comment))
        self._after(fault)
        return link

    async def add_comment(
        self, account_id: int, applicant_id: int, vacancy_id: int, status_id: int, comment: str
    ) -> AtsVacancyLink:
        raise NotImplementedError

    async def add_tags(self, account_id: int, applicant_id: int, tag_ids: tuple[int, ...]) -> None:
        raise NotImplementedError

    def applicants_named(self, last_name: str) -> list[int]:
        return [i for i, a in self.applicants.items() if a.last_name == last_name]


@dataclass
class FakeConnector(AtsConnector):
    ats: Ats

    async def for_user(self, user_id: int) -> Ats:
        return self.ats

    async def refresh(self, user_id: int, system: HuntflowSystem) -> None:
        raise NotImplementedError


@dataclass
class FakeFiles:
    """Attachment contents by URL."""

    contents: dict[str, bytes] = field(default_factory=dict)

    async def fetch(self, attachment: Attachment) -> bytes:
        return self.contents[attachment.url]
