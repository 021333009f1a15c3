"""A candidate's own profile and resume."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

from hrhelper.domain.errors import NotFound
from hrhelper.domain.identity.model import CandidateProfile, User
from hrhelper.domain.identity.resume import sniff_resume_type
from hrhelper.ports.blocking import BlockingRunner
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWorkFactory
from hrhelper.ports.security import FileStorage

__all__ = [
    "PROFILE_TEXT_FIELDS",
    "ProfileService",
    "ProfileView",
    "ResumeDownload",
    "ResumeUpload",
]

PROFILE_TEXT_FIELDS = ("bio", "phone", "linkedin")
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/rtf": ".rtf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
}


@dataclass(frozen=True)
class ResumeUpload:
    filename: str
    content: bytes


_RESUME_KEY = re.compile(r"resumes/(?P<owner>[0-9]{1,18})/[0-9a-f]{32}\.[a-z]{3,4}")
_NO_RESUME = "Resume not found."


@dataclass(frozen=True)
class ResumeDownload:
    filename: str
    content_type: str
    size: int
    chunks: AsyncIterator[bytes]


@dataclass(frozen=True)
class ProfileView:
    profile: CandidateProfile
    user: User
    resume_url: str | None


class ProfileService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        files: FileStorage,
        clock: Clock,
        runner: BlockingRunner,
    ) -> None:
        self._uow_factory = uow_factory
        self._files = files
        self._clock = clock
        self._runner = runner

    async def mine(self, user: User) -> ProfileView:
        now = self._clock.now()
        async with self._uow_factory() as uow:
            profile = await uow.profiles.candidate_of(user.pk)
            if profile is None:  # staff and Google users may not have one yet
                profile = await uow.profiles.add_candidate(CandidateProfile(user.pk, now, now))
                await uow.commit()
        return self._view(profile, user)

    async def update(
        self,
        user: User,
        profile_id: int,
        changes: Mapping[str, str],
        resume: ResumeUpload | None,
    ) -> ProfileView:
        """Only one's own profile; another's id is 'not found'. The new resume is stored
        before the row changes, and the old file removed after the commit."""
        content_type = ""
        if resume is not None:  # parsing an upload is blocking work: not on the loop
            content_type = await self._runner.run(sniff_resume_type, resume.content)
        new_key = ""
        if resume is not None:
            new_key = f"resumes/{user.pk}/{uuid.uuid4().hex}{_EXTENSIONS[content_type]}"
            await self._files.save(new_key, resume.content, content_type)
        old_key = ""
        try:
            async with self._uow_factory() as uow:
                profile = await uow.profiles.candidate_of(user.pk)
                if profile is None or profile.id != profile_id:
                    raise NotFound("Profile not found.")
                for name in PROFILE_TEXT_FIELDS:
                    if name in changes:
                        setattr(profile, name, changes[name].strip())
                if resume is not None:
                    old_key = profile.resume_key
                    profile.resume_key, profile.resume_type = new_key, content_type
                    profile.resume_name = resume.filename[-255:] or "resume"
                    profile.resume_size = len(resume.content)
                profile.updated_at = self._clock.now()
                await uow.commit()
        except BaseException:
            if new_key:
                await self._files.delete(new_key)
            raise
        if old_key:
            await self._files.delete(old_key)
        return self._view(profile, user)

    async def resume(self, actor: User, key: str) -> ResumeDownload:
        """The current resume stored under ``key``, for its owner, HR and admins.

        Anyone else, an old (replaced) resume and an unknown key are all 'not found', so the
        answer does not tell whether a file exists."""
        match = _RESUME_KEY.fullmatch(key)
        owner = int(match["owner"]) if match else None
        if owner is None or not (actor.pk == owner or actor.role.is_staff):
            raise NotFound(_NO_RESUME)
        async with self._uow_factory() as uow:
            profile = await uow.profiles.candidate_of(owner)
        if profile is None or profile.resume_key != key:
            raise NotFound(_NO_RESUME)
        stored = await self._files.open(key)
        if stored is None:
            raise NotFound(_NO_RESUME)
        name, content_type = profile.resume_name or "resume", profile.resume_type
        return ResumeDownload(name, content_type, stored.size, stored.chunks)

    def _view(self, profile: CandidateProfile, user: User) -> ProfileView:
        url = self._files.url_for(profile.resume_key) if profile.resume_key else None
        return ProfileView(profile, user, url)
