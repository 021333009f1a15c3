"""The applicant tracking system (Huntflow) as the domain sees it.

One ``Ats`` object talks to one connection (one token pair); ``account_id`` picks the
organisation inside it. Every method may raise the domain errors:

- ``NotFound`` — the account, vacancy or applicant does not exist there;
- ``OutsideServiceError`` — the ATS refused for a reason a person can fix (no access, stale
  tokens that must be issued again, invalid data; the ATS's own titles are in the message);
- ``OutsideServiceUnavailable`` — the ATS is down, timing out or rate-limiting; try later. For
  a change (create, upload, bind) this may also mean "it may have been applied": look it up
  before repeating it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from hrhelper.domain.identity.model import HuntflowSystem

__all__ = [
    "ApplicantDraft",
    "ApplicantRef",
    "Ats",
    "AtsAccount",
    "AtsConnector",
    "AtsPage",
    "AtsRejectionReason",
    "AtsStatus",
    "AtsTokenRepository",
    "AtsTokens",
    "AtsUser",
    "AtsVacancy",
    "AtsVacancyLink",
    "SealedTokens",
    "TokenStore",
    "UploadedFile",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class AtsTokens:
    """An access/refresh pair. The refresh token is single-use: each refresh rotates both."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None


class TokenStore(Protocol):
    """Where one connection's token pair lives (encrypted at rest), shared by all workers."""

    async def current(self) -> AtsTokens:
        """The pair stored now."""
        ...

    async def replace(self, old_refresh: str, new: AtsTokens) -> AtsTokens:
        """Store ``new`` atomically if the stored refresh token is still ``old_refresh``;
        if another worker already refreshed, keep theirs. Answer what is stored now."""
        ...

    def lock(self) -> AbstractAsyncContextManager[None]:
        """A lock held around a refresh, so that only one worker spends the refresh token."""
        ...


@dataclass(frozen=True, slots=True)
class AtsUser:
    id: int
    name: str
    email: str | None = None
    position: str | None = None


@dataclass(frozen=True, slots=True)
class AtsAccount:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class AtsVacancy:
    id: int
    position: str
    state: str
    """``OPEN``, ``CLOSED``, ``HOLD`` ..."""
    company: str | None = None
    money: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class AtsPage(Generic[T]):
    items: tuple[T, ...]
    page: int
    total_pages: int
    total_items: int


@dataclass(frozen=True, slots=True)
class AtsStatus:
    """A recruitment stage. ``type`` is ``user`` for ordinary ones, ``hired`` or ``trash``
    (rejected; moving there needs a rejection reason) for the terminal ones."""

    id: int
    name: str
    type: str
    order: int
    removed: bool = False


@dataclass(frozen=True, slots=True)
class AtsRejectionReason:
    id: int | None
    """``None`` for the built-in "Other"."""
    name: str
    order: int = 0


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file kept by the ATS; ``text`` and ``fields`` are the CV recognition's result
    (``None`` and empty when parsing was off or found nothing)."""

    id: int
    url: str
    name: str
    content_type: str
    text: str | None = None
    fields: Mapping[str, object] = field(default_factory=dict)
    photo_id: int | None = None
    """The photo the parser cut out of the CV, ready for ``ApplicantDraft.photo_id``."""


@dataclass(frozen=True, slots=True)
class ApplicantDraft:
    """A new applicant. The ATS wants at least a first or a last name."""

    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    email: str | None = None
    phone: str | None = None
    position: str | None = None
    money: str | None = None
    telegram: str | None = None
    resume_text: str | None = None
    file_ids: tuple[int, ...] = ()
    photo_id: int | None = None


@dataclass(frozen=True, slots=True)
class ApplicantRef:
    id: int
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    doubles: tuple[int, ...] = ()
    """Ids of applicants the ATS itself takes for the same person (on create only)."""


@dataclass(frozen=True, slots=True)
class AtsVacancyLink:
    """An applicant on a vacancy, at a stage."""

    id: int
    vacancy_id: int
    status_id: int
    rejection_reason_id: int | None = None
    changed: datetime | None = None


class Ats(Protocol):
    async def me(self) -> AtsUser:
        """The owner of the token; also a cheap token check."""
        ...

    async def accounts(self) -> list[AtsAccount]: ...

    async def vacancies(
        self, account_id: int, page: int = 1, count: int = 30
    ) -> AtsPage[AtsVacancy]:
        """One page (1-based); a page past the end has no items."""
        ...

    async def all_vacancies(self, account_id: int) -> list[AtsVacancy]:
        """Every vacancy, page after page."""
        ...

    async def vacancy(self, account_id: int, vacancy_id: int) -> AtsVacancy: ...

    async def statuses(self, account_id: int) -> list[AtsStatus]: ...

    async def rejection_reasons(self, account_id: int) -> list[AtsRejectionReason]: ...

    async def search_applicants(
        self, account_id: int, query: str, *, limit: int = 100
    ) -> list[ApplicantRef]:
        """Applicants whose name, email or phone match ``query`` (at most ``limit``). The ATS
        has no exact lookup: compare the answers yourself."""
        ...

    async def upload(
        self,
        account_id: int,
        filename: str,
        content: bytes,
        content_type: str,
        *,
        parse: bool = True,
    ) -> UploadedFile:
        """Not idempotent: after ``OutsideServiceUnavailable`` the file may exist anyway."""
        ...

    async def create_applicant(self, account_id: int, draft: ApplicantDraft) -> ApplicantRef:
        """Not idempotent: search before creating, and after ``OutsideServiceUnavailable``
        search again before repeating. Check ``doubles`` in the answer."""
        ...

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
        """Put the applicant on the vacancy at that stage (a ``trash`` stage needs a reason)."""
        ...

    async def add_comment(
        self, account_id: int, applicant_id: int, vacancy_id: int, status_id: int, comment: str
    ) -> AtsVacancyLink:
        """Leave a comment on the applicant's card for that vacancy (at its current stage)."""
        ...

    async def add_tags(self, account_id: int, applicant_id: int, tag_ids: tuple[int, ...]) -> None:
        """Add tags, keeping the ones the applicant already has."""
        ...


@dataclass(frozen=True, slots=True)
class SealedTokens:
    """One system's token pair as stored: ciphertexts only, plus a masked tail to show."""

    access_token: str = field(repr=False)
    """The access token, sealed by the SecretBox."""
    access_tail: str
    refresh_token: str | None = field(default=None, repr=False)
    """The refresh token, sealed; ``None`` when the user gave only an access token."""
    access_expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    updated_at: datetime | None = None


class AtsTokenRepository(Protocol):
    """Users' Huntflow token pairs, one per (user, system). Transactional (unit of work)."""

    async def of(self, user_ids: Sequence[int]) -> dict[int, dict[HuntflowSystem, SealedTokens]]:
        """The pairs of many users in one query."""
        ...

    async def put(self, user_id: int, system: HuntflowSystem, tokens: SealedTokens) -> None:
        """Create or replace the pair."""
        ...

    async def remove(self, user_id: int, system: HuntflowSystem) -> None: ...

    async def locked(self, user_id: int, system: HuntflowSystem) -> SealedTokens | None:
        """The pair, locked until the transaction ends (other writers wait)."""
        ...

    async def expiring(self, before: datetime, limit: int) -> list[tuple[int, HuntflowSystem]]:
        """Pairs with a refresh token whose access token expires before ``before`` (and whose
        refresh token has not expired yet), soonest first."""
        ...


class AtsConnector(Protocol):
    """Opens a user's Huntflow connection (their active system, URL and token pair)."""

    async def for_user(self, user_id: int) -> Ats:
        """The user's active connection; InvalidInput (saying how to set the credentials)
        when the user has no tokens for the active system."""
        ...

    async def refresh(self, user_id: int, system: HuntflowSystem) -> None:
        """Spend the stored refresh token of that system now and store the new pair."""
        ...
