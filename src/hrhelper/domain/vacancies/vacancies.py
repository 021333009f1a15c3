"""Vacancies: written by HR and admins, read by candidates while active."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hrhelper.domain.errors import Conflict, InvalidInput, NotFound
from hrhelper.domain.identity.model import User
from hrhelper.domain.vacancies.counts_cache import CountsCache
from hrhelper.domain.vacancies.model import Vacancy, VacancyQuery, VacancyStats, VacancyView
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWork, UnitOfWorkFactory

__all__ = ["TEXT_FIELDS", "VacancyService"]

TEXT_FIELDS = (
    "name",
    "external_id",
    "invite_title",
    "invite_text",
    "scorecard_title",
    "scorecard_text",
)
RECENT = 5


class VacancyService:
    """Rules:
    - ``recruiter`` must be an existing HR manager or admin;
    - ``available_grades`` must be existing, active grades (the set is replaced as a whole);
    - ``external_id`` (the Huntflow vacancy id) is unique when given;
    - candidates see active vacancies only; others are "not found" for them (and a list
      filtered on inactive ones is empty).
    """

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, counts: CountsCache | None = None
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._counts = counts

    async def list(self, actor: User, query: VacancyQuery) -> tuple[int, Sequence[VacancyView]]:
        if not actor.role.is_staff:
            if query.is_active is False:
                return 0, []  # a candidate asking for inactive vacancies: there are none
            query = VacancyQuery(query.search, query.recruiter_id, True, query.offset, query.limit)
        async with self._uow_factory() as uow:
            return await uow.vacancies.list(query)

    async def get(self, actor: User, vacancy_id: int) -> VacancyView:
        async with self._uow_factory() as uow:
            view = await uow.vacancies.view(vacancy_id)
        if view is None or (not actor.role.is_staff and not view.vacancy.is_active):
            raise NotFound("Vacancy not found.")
        return view

    async def create(self, values: Mapping[str, object]) -> VacancyView:
        now = self._clock.now()
        vacancy = Vacancy(name="", created_at=now, updated_at=now)
        async with self._uow_factory() as uow:
            await self._apply(uow, vacancy, values)
            await uow.vacancies.add(vacancy)
            return await self._commit_view(uow, vacancy)

    async def update(self, vacancy_id: int, values: Mapping[str, object]) -> VacancyView:
        async with self._uow_factory() as uow:
            vacancy = await self._vacancy(uow, vacancy_id)
            await self._apply(uow, vacancy, values)
            vacancy.updated_at = self._clock.now()
            await uow.vacancies.save(vacancy)
            return await self._commit_view(uow, vacancy)

    async def toggle_active(self, vacancy_id: int) -> VacancyView:
        return await self.update(vacancy_id, {"is_active": None})

    async def assign_grades(self, vacancy_id: int, grade_ids: Sequence[int]) -> VacancyView:
        return await self.update(vacancy_id, {"available_grades": list(grade_ids)})

    async def delete(self, vacancy_id: int) -> None:
        async with self._uow_factory() as uow:
            await uow.vacancies.delete(await self._vacancy(uow, vacancy_id))
            self._invalidate_counts(uow)
            await uow.commit()

    async def stats(self) -> VacancyStats:
        async with self._uow_factory() as uow:
            repository = uow.vacancies
            if self._counts is None:
                counts = await repository.counts()
            else:
                counts = await self._counts.get(repository.counts)
            names = await uow.grades.names(counts.by_grade)
            return VacancyStats(
                total=counts.total,
                active=counts.active,
                by_recruiter=counts.by_recruiter,
                by_grade={name: counts.by_grade[grade_id] for grade_id, name in names},
                recent=list(await repository.recent(RECENT)),
            )

    def _invalidate_counts(self, uow: UnitOfWork) -> None:
        if self._counts is not None:
            uow.after_commit(self._counts.invalidate)

    async def _commit_view(self, uow: UnitOfWork, vacancy: Vacancy) -> VacancyView:
        view = await uow.vacancies.view(vacancy.pk)
        self._invalidate_counts(uow)
        await uow.commit()
        if view is None:  # pragma: no cover - just written in this transaction
            raise NotFound("Vacancy not found.")
        return view

    @staticmethod
    async def _vacancy(uow: UnitOfWork, vacancy_id: int) -> Vacancy:
        vacancy = await uow.vacancies.get(vacancy_id)
        if vacancy is None:
            raise NotFound("Vacancy not found.")
        return vacancy

    async def _apply(self, uow: UnitOfWork, vacancy: Vacancy, values: Mapping[str, object]) -> None:
        errors: dict[str, list[str]] = {}
        for name in TEXT_FIELDS:
            if name in values:
                setattr(vacancy, name, str(values[name] or "").strip())
        if not vacancy.name:
            errors["name"] = ["This field may not be blank."]
        if "is_active" in values:
            # None means "flip" (toggle-active); a bool sets it
            flag = values["is_active"]
            vacancy.is_active = (not vacancy.is_active) if flag is None else bool(flag)
        if "recruiter" in values:
            recruiter = values["recruiter"]
            vacancy.recruiter_id = recruiter if isinstance(recruiter, int) else None
            known = vacancy.recruiter_id is None or await self._is_staff(uow, vacancy.recruiter_id)
            if not known:
                errors["recruiter"] = ["The recruiter must be an existing HR manager or admin."]
        if "available_grades" in values:
            raw = values["available_grades"]
            wanted = sorted({g for g in raw if isinstance(g, int)}) if isinstance(raw, list) else []
            active = await uow.grades.active_ids(wanted)
            missing = [g for g in wanted if g not in active]
            if missing:
                errors["available_grades"] = [f"Unknown or inactive grade ids: {missing}."]
            vacancy.grade_ids = wanted
        if vacancy.external_id:
            other = await uow.vacancies.by_external_id(vacancy.external_id)
            if other is not None and other != vacancy.id:
                raise Conflict(
                    "A vacancy with this external id already exists.",
                    {"external_id": ["A vacancy with this external id already exists."]},
                )
        if errors:
            raise InvalidInput.for_fields(errors)

    @staticmethod
    async def _is_staff(uow: UnitOfWork, user_id: int) -> bool:
        user = await uow.users.get(user_id)
        return user is not None and user.role.is_staff
