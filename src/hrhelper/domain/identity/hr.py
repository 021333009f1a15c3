"""HR managers: onboarded by an admin through an invitation link, managed by admins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hrhelper.domain.errors import Conflict, NotFound
from hrhelper.domain.identity.mails import LinkBuilder, invitation_mail, reset_mail
from hrhelper.domain.identity.model import HrProfile, Role, User
from hrhelper.domain.identity.one_time import LinkPurpose, OneTimeLinks
from hrhelper.domain.identity.policy import normalize_email
from hrhelper.domain.mail.outbox import MailOutbox
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWork, UnitOfWorkFactory

__all__ = ["PROFILE_FIELDS", "USER_FIELDS", "HrService", "HrView", "NewHr"]

PROFILE_FIELDS = ("company", "department", "phone", "bio", "linkedin", "contacts", "website")
USER_FIELDS = ("first_name", "last_name")


@dataclass(frozen=True)
class NewHr:
    email: str
    first_name: str
    last_name: str
    profile: Mapping[str, str]


@dataclass(frozen=True)
class HrView:
    profile: HrProfile
    user: User
    created_by_name: str


class HrService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        links: OneTimeLinks,
        link_builder: LinkBuilder,
        outbox: MailOutbox,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._links = links
        self._link_builder = link_builder
        self._outbox = outbox
        self._clock = clock

    async def create(self, admin: User, data: NewHr) -> HrView:
        """An HR user with no password yet; the invitation mail carries a set-password link."""
        email = normalize_email(data.email)
        now = self._clock.now()
        async with self._uow_factory() as uow:
            if await uow.users.get_by_email(email):
                raise Conflict(
                    "A user with this email already exists.",
                    {"email": ["A user with this email already exists."]},
                )
            user = await uow.users.add(
                User(
                    email=email,
                    first_name=data.first_name.strip(),
                    last_name=data.last_name.strip(),
                    role=Role.HR,
                    created_at=now,
                    updated_at=now,
                )
            )
            profile = HrProfile(
                user_id=user.pk, created_at=now, updated_at=now, created_by=admin.pk
            )
            _apply(profile, data.profile, PROFILE_FIELDS)
            profile = await uow.profiles.add_hr(profile)
            uid, token = self._links.make(user, LinkPurpose.SET_PASSWORD, now)
            subject, body = invitation_mail(user, self._link_builder.set_password(uid, token))
            await self._outbox.put(uow, to=user.email, subject=subject, body=body)
            await uow.commit()
        return HrView(profile, user, admin.display_name)

    async def list(self, offset: int, limit: int) -> tuple[int, Sequence[HrView]]:
        async with self._uow_factory() as uow:
            count, rows = await uow.profiles.list_hr(offset, limit)
            creators = await uow.users.names([p.created_by for p, _ in rows if p.created_by])
        return count, [
            HrView(p, u, creators.get(p.created_by, "") if p.created_by else "") for p, u in rows
        ]

    async def get(self, profile_id: int) -> HrView:
        async with self._uow_factory() as uow:
            return await self._view(uow, await self._profile(uow, profile_id))

    async def mine(self, user: User) -> HrView:
        async with self._uow_factory() as uow:
            profile = await uow.profiles.hr_of(user.pk)
            if profile is None:
                profile = await uow.profiles.add_hr(
                    HrProfile(
                        user_id=user.pk, created_at=self._clock.now(), updated_at=self._clock.now()
                    )
                )
                await uow.commit()
            return await self._view(uow, profile)

    async def update(
        self, profile_id: int | None, user: User, changes: Mapping[str, str]
    ) -> HrView:
        """Profile and name fields only; role, activity and verification are not settable here."""
        now = self._clock.now()
        async with self._uow_factory() as uow:
            if profile_id is None:
                profile = await uow.profiles.hr_of(user.pk)
                if profile is None:
                    raise NotFound("This user has no HR profile.")
            else:
                profile = await self._profile(uow, profile_id)
            owner = await uow.users.get(profile.user_id)
            if owner is None:
                raise NotFound("HR profile not found.")
            _apply(profile, changes, PROFILE_FIELDS)
            _apply(owner, changes, USER_FIELDS)
            profile.updated_at = owner.updated_at = now
            view = await self._view(uow, profile)
            await uow.commit()
        return view

    async def delete(self, profile_id: int) -> None:
        async with self._uow_factory() as uow:
            profile = await self._profile(uow, profile_id)
            user = await uow.users.get(profile.user_id)
            await uow.profiles.delete_hr(profile)
            if user is not None:
                await uow.users.delete(user)
            await uow.commit()

    async def toggle_active(self, profile_id: int) -> bool:
        """Deactivating also ends every session and refresh token of the user."""
        now = self._clock.now()
        async with self._uow_factory() as uow:
            profile = await self._profile(uow, profile_id)
            user = await uow.users.get(profile.user_id)
            if user is None:
                raise NotFound("HR profile not found.")
            user.is_active = not user.is_active
            user.updated_at = now
            if not user.is_active:
                await uow.refresh_tokens.revoke_all(user.pk, now)
                await uow.sessions.end_all(user.pk)
            await uow.commit()
        return user.is_active

    async def send_reset_link(self, profile_id: int) -> None:
        """The admin's reset: a one-time link by mail, never a password."""
        async with self._uow_factory() as uow:
            profile = await self._profile(uow, profile_id)
            user = await uow.users.get(profile.user_id)
            if user is None:
                raise NotFound("HR profile not found.")
            uid, token = self._links.make(user, LinkPurpose.RESET_PASSWORD, self._clock.now())
            subject, body = reset_mail(user, self._link_builder.reset_password(uid, token))
            await self._outbox.put(uow, to=user.email, subject=subject, body=body)
            await uow.commit()

    async def user_of(self, profile_id: int) -> User:
        async with self._uow_factory() as uow:
            profile = await self._profile(uow, profile_id)
            user = await uow.users.get(profile.user_id)
        if user is None:
            raise NotFound("HR profile not found.")
        return user

    async def _profile(self, uow: UnitOfWork, profile_id: int) -> HrProfile:
        profile = await uow.profiles.hr(profile_id)
        if profile is None:
            raise NotFound("HR profile not found.")
        return profile

    async def _view(self, uow: UnitOfWork, profile: HrProfile) -> HrView:
        user = await uow.users.get(profile.user_id)
        if user is None:
            raise NotFound("HR profile not found.")
        creator = ""
        if profile.created_by:
            creator = (await uow.users.names([profile.created_by])).get(profile.created_by, "")
        return HrView(profile, user, creator)


def _apply(target: object, changes: Mapping[str, str], allowed: tuple[str, ...]) -> None:
    for name in allowed:
        if name in changes:
            setattr(target, name, changes[name].strip())
