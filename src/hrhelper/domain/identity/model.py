"""Users, their roles and their profiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = [
    "AuthType",
    "CandidateProfile",
    "CredentialKind",
    "HrProfile",
    "HuntflowSystem",
    "ResumeFile",
    "Role",
    "User",
]


class Role(StrEnum):
    ADMIN = "admin"
    HR = "hr"
    USER = "user"  # a candidate

    @property
    def group_name(self) -> str:
        """The spec shows roles as Django-style groups."""
        return {Role.ADMIN: "Администратор", Role.HR: "Рекрутер", Role.USER: "Кандидат"}[self]

    @property
    def group_id(self) -> int:
        return {Role.ADMIN: 1, Role.HR: 2, Role.USER: 3}[self]

    @property
    def is_staff(self) -> bool:
        """HR and admins run the recruiting side; candidates do not."""
        return self in (Role.ADMIN, Role.HR)


class AuthType(StrEnum):
    LOCAL = "local"
    GOOGLE = "google"


class CredentialKind(StrEnum):
    """Outside-service secrets a user stores; kept encrypted, never answered in clear."""

    HUNTFLOW_API_KEY = "huntflow_api_key"
    GEMINI_API_KEY = "gemini_api_key"
    CLICKUP_API_KEY = "clickup_api_key"
    NOTION_INTEGRATION_TOKEN = "notion_integration_token"  # noqa: S105 - a name, not a secret


class HuntflowSystem(StrEnum):
    """The Huntflow installation a user works with; each has its own URL and token pair."""

    PROD = "prod"
    SANDBOX = "sandbox"


@dataclass
class User:
    email: str
    first_name: str
    last_name: str
    role: Role
    created_at: datetime
    updated_at: datetime
    username: str = ""
    password_hash: str | None = None
    is_active: bool = True
    is_verified: bool = False
    auth_type: AuthType = AuthType.LOCAL
    last_login: datetime | None = None
    huntflow_prod_url: str = ""
    huntflow_sandbox_url: str = ""
    huntflow_active_system: HuntflowSystem = HuntflowSystem.SANDBOX
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.username:
            self.username = self.email

    @property
    def pk(self) -> int:
        """The id of a saved user."""
        if self.id is None:
            raise ValueError("the user is not saved yet")
        return self.id

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    @property
    def can_log_in_with_password(self) -> bool:
        return self.is_active and self.password_hash is not None


@dataclass
class ResumeFile:
    key: str
    filename: str
    content_type: str
    size: int


@dataclass
class CandidateProfile:
    user_id: int
    created_at: datetime
    updated_at: datetime
    bio: str = ""
    phone: str = ""
    linkedin: str = ""
    resume_key: str = ""
    resume_name: str = ""
    resume_type: str = ""
    resume_size: int = 0
    id: int | None = None

    @property
    def resume(self) -> ResumeFile | None:
        if not self.resume_key:
            return None
        return ResumeFile(self.resume_key, self.resume_name, self.resume_type, self.resume_size)


@dataclass
class HrProfile:
    user_id: int
    created_at: datetime
    updated_at: datetime
    company: str = ""
    department: str = ""
    phone: str = ""
    bio: str = ""
    linkedin: str = ""
    contacts: str = ""
    website: str = ""
    created_by: int | None = None
    id: int | None = None
