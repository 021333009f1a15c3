"""One interviewer record per user; searchable by specialization and name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hrhelper.domain.errors import Conflict, InvalidInput, NotFound
from hrhelper.domain.interviewers.model import Interviewer, InterviewerQuery, InterviewerView
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWork, UnitOfWorkFactory

__all__ = ["InterviewerService"]


class InterviewerService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    async def list(self, query: InterviewerQuery) -> tuple[int, Sequence[InterviewerView]]:
        async with self._uow_factory() as uow:
            return await uow.interviewers.list(query)

    async def get(self, interviewer_id: int) -> InterviewerView:
        async with self._uow_factory() as uow:
            view = await uow.interviewers.view(interviewer_id)
        if view is None:
            raise NotFound("Interviewer not found.")
        return view

    async def create(self, values: Mapping[str, object]) -> InterviewerView:
        now = self._clock.now()
        interviewer = Interviewer(user_id=0, created_at=now, updated_at=now)
        async with self._uow_factory() as uow:
            await self._apply(uow, interviewer, values)
            await uow.interviewers.add(interviewer)
            return await self._commit_view(uow, interviewer)

    async def update(self, interviewer_id: int, values: Mapping[str, object]) -> InterviewerView:
        async with self._uow_factory() as uow:
            interviewer = await uow.interviewers.get(interviewer_id)
            if interviewer is None:
                raise NotFound("Interviewer not found.")
            await self._apply(uow, interviewer, values)
            interviewer.updated_at = self._clock.now()
            await uow.interviewers.save(interviewer)
            return await self._commit_view(uow, interviewer)

    async def delete(self, interviewer_id: int) -> None:
        async with self._uow_factory() as uow:
            interviewer = await uow.interviewers.get(interviewer_id)
            if interviewer is None:
                raise NotFound("Interviewer not found.")
            await uow.interviewers.delete(interviewer)
            await uow.commit()

    @staticmethod
    async def _commit_view(uow: UnitOfWork, interviewer: Interviewer) -> InterviewerView:
        view = await uow.interviewers.view(interviewer.id or 0)
        await uow.commit()
        if view is None:  # pragma: no cover - just written in this transaction
            raise NotFound("Interviewer not found.")
        return view

    @staticmethod
    async def _apply(
        uow: UnitOfWork, interviewer: Interviewer, values: Mapping[str, object]
    ) -> None:
        if "user" in values:
            user_id = values["user"]
            if not isinstance(user_id, int) or await uow.users.get(user_id) is None:
                raise InvalidInput.for_fields({"user": ["Unknown user."]})
            other = await uow.interviewers.of_user(user_id)
            if other is not None and other.id != interviewer.id:
                raise Conflict(
                    "This user is already an interviewer.",
                    {"user": ["This user is already an interviewer."]},
                )
            interviewer.user_id = user_id
        if not interviewer.user_id:
            raise InvalidInput.for_fields({"user": ["This field is required."]})
        if "specialization" in values:
            interviewer.specialization = str(values["specialization"] or "").strip()
        if "experience_years" in values:
            years = values["experience_years"]
            if not isinstance(years, int) or not 0 <= years <= 80:
                raise InvalidInput.for_fields(
                    {"experience_years": ["Give a whole number of years from 0 to 80."]}
                )
            interviewer.experience_years = years
        if "is_active" in values:
            interviewer.is_active = bool(values["is_active"])
