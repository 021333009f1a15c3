"""Request and response bodies of the auth, HR and users endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from hrhelper.domain.identity.hr import HrView
from hrhelper.domain.identity.model import User
from hrhelper.domain.identity.profiles import ProfileView
from hrhelper.domain.identity.tokens import TokenPair
from hrhelper.domain.identity.users import UserView

Email = Annotated[str, msgspec.Meta(max_length=254, examples=["candidate@example.com"])]
Password = Annotated[str, msgspec.Meta(max_length=128, examples=["SecurePassword123"])]
Name = Annotated[str, msgspec.Meta(max_length=150)]
Text = Annotated[str, msgspec.Meta(max_length=5000)]
Short = Annotated[str, msgspec.Meta(max_length=500)]
Secret = Annotated[str, msgspec.Meta(max_length=2000)]


class _In(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Request bodies: unknown fields are a 400, not silently ignored."""


# -- requests -------------------------------------------------------------------------------


class RegisterIn(_In, frozen=True):
    email: Email
    password: Password
    password_confirm: Password
    first_name: Name = ""
    last_name: Name = ""


class LoginIn(_In, frozen=True):
    password: Password
    email: Email = ""
    username: Email = ""


class GoogleIn(_In, frozen=True):
    token: Annotated[str, msgspec.Meta(max_length=8192)]


class RefreshIn(_In, frozen=True):
    refresh: Annotated[str, msgspec.Meta(max_length=4096)]


class LogoutIn(_In, frozen=True):
    refresh: Annotated[str, msgspec.Meta(max_length=4096)] = ""


class ResetRequestIn(_In, frozen=True):
    email: Email


class SetPasswordIn(_In, frozen=True):
    uid: Annotated[str, msgspec.Meta(max_length=64)]
    token: Annotated[str, msgspec.Meta(max_length=128)]
    password: Password
    password_confirm: Password


class HrCreateIn(_In, frozen=True):
    email: Email
    first_name: Name = ""
    last_name: Name = ""
    company: Short = ""
    department: Short = ""
    phone: Annotated[str, msgspec.Meta(max_length=32)] = ""
    bio: Text = ""
    linkedin: Short = ""
    contacts: Text = ""
    website: Short = ""


class HrUpdateIn(_In, frozen=True):
    first_name: Name | msgspec.UnsetType = msgspec.UNSET
    last_name: Name | msgspec.UnsetType = msgspec.UNSET
    company: Short | msgspec.UnsetType = msgspec.UNSET
    department: Short | msgspec.UnsetType = msgspec.UNSET
    phone: Annotated[str, msgspec.Meta(max_length=32)] | msgspec.UnsetType = msgspec.UNSET
    bio: Text | msgspec.UnsetType = msgspec.UNSET
    linkedin: Short | msgspec.UnsetType = msgspec.UNSET
    contacts: Text | msgspec.UnsetType = msgspec.UNSET
    website: Short | msgspec.UnsetType = msgspec.UNSET


class UserWriteIn(_In, frozen=True):
    """POST, PUT and PATCH of /api/users/. Which fields a caller may send depends on who
    they are: the service refuses what they may not change."""

    username: Email | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    password: Password | msgspec.UnsetType = msgspec.UNSET
    first_name: Name | msgspec.UnsetType = msgspec.UNSET
    last_name: Name | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
    is_verified: bool | msgspec.UnsetType = msgspec.UNSET
    role: Literal["admin", "hr", "user"] | msgspec.UnsetType = msgspec.UNSET
    huntflow_api_key: Secret | msgspec.UnsetType = msgspec.UNSET
    huntflow_prod_url: Short | msgspec.UnsetType = msgspec.UNSET
    huntflow_sandbox_url: Short | msgspec.UnsetType = msgspec.UNSET
    huntflow_refresh_token: Secret | msgspec.UnsetType = msgspec.UNSET
    huntflow_active_system: Literal["prod", "sandbox"] | msgspec.UnsetType = msgspec.UNSET
    gemini_api_key: Secret | msgspec.UnsetType = msgspec.UNSET
    clickup_api_key: Secret | msgspec.UnsetType = msgspec.UNSET
    notion_integration_token: Secret | msgspec.UnsetType = msgspec.UNSET


def given_fields(body: msgspec.Struct) -> dict[str, object]:
    """The fields the client actually sent (PATCH semantics)."""
    return {
        name: value
        for name in body.__struct_fields__
        if (value := getattr(body, name)) is not msgspec.UNSET
    }


# -- responses ------------------------------------------------------------------------------


class TokensOut(msgspec.Struct):
    access: str
    refresh: str

    @classmethod
    def of(cls, pair: TokenPair) -> TokensOut:
        return cls(access=pair.access, refresh=pair.refresh)


class UserOut(msgspec.Struct):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    full_name: str
    role: str
    is_active: bool
    is_verified: bool
    auth_type: str
    created_at: datetime
    last_login: datetime | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.pk,
            username=user.username,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            full_name=user.full_name,
            role=user.role.value,
            is_active=user.is_active,
            is_verified=user.is_verified,
            auth_type=user.auth_type.value,
            created_at=user.created_at,
            last_login=user.last_login,
        )


class LoginOut(msgspec.Struct):
    success: bool
    message: str
    user: UserOut
    tokens: TokensOut


class RegisterOut(msgspec.Struct):
    success: bool
    message: str
    user: UserOut
    tokens: TokensOut


class MessageOut(msgspec.Struct):
    success: bool
    message: str


class Group(msgspec.Struct):
    id: int
    name: str


class UserDetailOut(msgspec.Struct):
    """The HR Helper user: keys are answered masked (``••••`` and the last four characters),
    never in clear; ``*_set`` tells whether one is stored."""

    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    full_name: str
    role: str
    is_active: bool
    is_verified: bool
    auth_type: str
    date_joined: datetime
    last_login: datetime | None
    groups: list[Group]
    huntflow_prod_url: str
    huntflow_sandbox_url: str
    huntflow_api_key: str | None
    huntflow_api_key_set: bool
    huntflow_active_system: str
    """``prod`` or ``sandbox``: the system ``huntflow_api_key`` belongs to."""
    huntflow_refresh_token_set: bool
    huntflow_access_expires_at: datetime | None
    gemini_api_key: str | None
    gemini_api_key_set: bool
    clickup_api_key: str | None
    clickup_api_key_set: bool
    notion_integration_token: str | None
    notion_integration_token_set: bool

    @classmethod
    def of(cls, view: UserView) -> UserDetailOut:
        user, keys = view.user, {k.value: s for k, s in view.credentials.items()}

        def masked(name: str) -> str | None:
            return keys[name].masked if keys[name].is_set else None

        return cls(
            id=user.pk,
            username=user.username,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            full_name=user.full_name,
            role=user.role.value,
            is_active=user.is_active,
            is_verified=user.is_verified,
            auth_type=user.auth_type.value,
            date_joined=user.created_at,
            last_login=user.last_login,
            groups=[Group(id=user.role.group_id, name=user.role.group_name)],
            huntflow_prod_url=user.huntflow_prod_url,
            huntflow_sandbox_url=user.huntflow_sandbox_url,
            huntflow_api_key=masked("huntflow_api_key"),
            huntflow_api_key_set=keys["huntflow_api_key"].is_set,
            huntflow_active_system=view.huntflow.active_system.value,
            huntflow_refresh_token_set=view.huntflow.refresh_set,
            huntflow_access_expires_at=view.huntflow.access_expires_at,
            gemini_api_key=masked("gemini_api_key"),
            gemini_api_key_set=keys["gemini_api_key"].is_set,
            clickup_api_key=masked("clickup_api_key"),
            clickup_api_key_set=keys["clickup_api_key"].is_set,
            notion_integration_token=masked("notion_integration_token"),
            notion_integration_token_set=keys["notion_integration_token"].is_set,
        )


class HrUserOut(msgspec.Struct):
    id: int
    email: str
    first_name: str
    last_name: str
    is_verified: bool
    is_active: bool
    role: str
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> HrUserOut:
        return cls(
            id=user.pk,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            is_verified=user.is_verified,
            is_active=user.is_active,
            role=user.role.value,
            created_at=user.created_at,
        )


class HrProfileOut(msgspec.Struct):
    id: int
    user: HrUserOut
    user_email: str
    user_full_name: str
    bio: str
    phone: str
    company: str
    department: str
    linkedin: str
    contacts: str
    website: str
    created_by: int | None
    created_by_name: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: HrView) -> HrProfileOut:
        p = view.profile
        return cls(
            id=p.id or 0,
            user=HrUserOut.of(view.user),
            user_email=view.user.email,
            user_full_name=view.user.full_name,
            bio=p.bio,
            phone=p.phone,
            company=p.company,
            department=p.department,
            linkedin=p.linkedin,
            contacts=p.contacts,
            website=p.website,
            created_by=p.created_by,
            created_by_name=view.created_by_name,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )


class HrListItemOut(msgspec.Struct):
    id: int
    user_full_name: str
    user_email: str
    company_name: str
    department: str
    phone: str
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, view: HrView) -> HrListItemOut:
        return cls(
            id=view.profile.id or 0,
            user_full_name=view.user.full_name,
            user_email=view.user.email,
            company_name=view.profile.company,
            department=view.profile.department,
            phone=view.profile.phone,
            is_active=view.user.is_active,
            created_at=view.profile.created_at,
        )


class HrCreatedOut(msgspec.Struct):
    success: bool
    message: str
    hr: HrProfileOut


class HrLoginOut(msgspec.Struct):
    success: bool
    message: str
    user: UserOut
    tokens: TokensOut
    profile: HrProfileOut


class ToggleOut(msgspec.Struct):
    success: bool
    message: str
    is_active: bool


class ProfileOut(msgspec.Struct):
    id: int
    user: UserOut
    bio: str
    phone: str
    linkedin: str
    resume: str | None
    resume_name: str
    resume_size: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: ProfileView) -> ProfileOut:
        p = view.profile
        return cls(
            id=p.id or 0,
            user=UserOut.of(view.user),
            bio=p.bio,
            phone=p.phone,
            linkedin=p.linkedin,
            resume=view.resume_url,
            resume_name=p.resume_name,
            resume_size=p.resume_size,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )
