"""In-memory grades, vacancies and interviewers over the tables of a MemoryUnitOfWork."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection, Sequence
from typing import Any

from hrhelper.adapters.persistence.memory.identity import next_id
from hrhelper.domain.identity.model import User
from hrhelper.domain.interviewers.model import Interviewer, InterviewerQuery, InterviewerView
from hrhelper.domain.vacancies.model import Grade, Vacancy, VacancyCounts, VacancyQuery, VacancyView
from hrhelper.ports.vacancies import GradeRepository, InterviewerRepository, VacancyRepository

__all__ = ["MemoryGradeRepository", "MemoryInterviewerRepository", "MemoryVacancyRepository"]


def _name(user: User | None) -> str:
    return user.display_name if user else ""


def _in_order(grade: Grade) -> tuple[int, int]:
    return grade.position, grade.id or 0


class MemoryGradeRepository(GradeRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._rows: dict[int, Grade] = tables["grades"]

    async def add(self, grade: Grade) -> Grade:
        grade.id = next_id(self._tables, "grades")
        self._rows[grade.id] = dataclasses.replace(grade)
        return grade

    async def get(self, grade_id: int) -> Grade | None:
        row = self._rows.get(grade_id)
        return dataclasses.replace(row) if row else None

    async def by_name(self, name: str) -> Grade | None:
        key = name.strip().lower()
        row = next((g for g in self._rows.values() if g.name.lower() == key), None)
        return dataclasses.replace(row) if row else None

    async def list(
        self, is_active: bool | None, offset: int, limit: int
    ) -> tuple[int, Sequence[Grade]]:
        rows = sorted(
            (g for g in self._rows.values() if is_active is None or g.is_active is is_active),
            key=_in_order,
        )
        return len(rows), [dataclasses.replace(g) for g in rows[offset : offset + limit]]

    async def save(self, grade: Grade) -> None:
        if grade.id is not None:
            self._rows[grade.id] = dataclasses.replace(grade)

    async def delete(self, grade: Grade) -> None:
        if grade.id is not None:
            self._rows.pop(grade.id, None)

    async def usage(self, grade_id: int) -> int:
        return sum(grade_id in v.grade_ids for v in self._tables["vacancies"].values())

    async def active_ids(self, grade_ids: Sequence[int]) -> set[int]:
        return {g for g in grade_ids if g in self._rows and self._rows[g].is_active}

    async def next_position(self) -> int:
        return max((g.position for g in self._rows.values()), default=0) + 1

    async def names(self, grade_ids: Collection[int]) -> Sequence[tuple[int, str]]:
        found = sorted((self._rows[g] for g in set(grade_ids) if g in self._rows), key=_in_order)
        return [(g.id or 0, g.name) for g in found]


class MemoryVacancyRepository(VacancyRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._rows: dict[int, Vacancy] = tables["vacancies"]

    async def add(self, vacancy: Vacancy) -> Vacancy:
        vacancy.id = next_id(self._tables, "vacancies")
        self._rows[vacancy.id] = dataclasses.replace(vacancy, grade_ids=list(vacancy.grade_ids))
        return vacancy

    async def get(self, vacancy_id: int) -> Vacancy | None:
        row = self._rows.get(vacancy_id)
        return dataclasses.replace(row, grade_ids=list(row.grade_ids)) if row else None

    async def by_external_id(self, external_id: str) -> int | None:
        return next((v.id for v in self._rows.values() if v.external_id == external_id), None)

    async def save(self, vacancy: Vacancy) -> None:
        await self.delete(vacancy)
        self._rows[vacancy.pk] = dataclasses.replace(vacancy, grade_ids=sorted(vacancy.grade_ids))

    async def delete(self, vacancy: Vacancy) -> None:
        self._rows.pop(vacancy.pk, None)

    async def view(self, vacancy_id: int) -> VacancyView | None:
        row = self._rows.get(vacancy_id)
        return self._view(row) if row else None

    def _view(self, row: Vacancy) -> VacancyView:
        grades: dict[int, Grade] = self._tables["grades"]
        users: dict[int, User] = self._tables["users"]
        ordered = sorted((grades[g] for g in row.grade_ids if g in grades), key=_in_order)
        vacancy = dataclasses.replace(row, grade_ids=[g.id or 0 for g in ordered])
        recruiter = users.get(row.recruiter_id) if row.recruiter_id else None
        return VacancyView(vacancy, _name(recruiter), [g.name for g in ordered])

    def _newest(self) -> list[Vacancy]:
        return sorted(self._rows.values(), key=lambda v: (v.created_at, v.pk), reverse=True)

    async def list(self, query: VacancyQuery) -> tuple[int, Sequence[VacancyView]]:
        term = query.search.strip().lower()
        found = [
            v
            for v in self._newest()
            if (
                not term
                or term
                in " ".join((v.name, v.external_id, v.invite_title, v.scorecard_title)).lower()
            )
            and (query.recruiter_id is None or v.recruiter_id == query.recruiter_id)
            and (query.is_active is None or v.is_active is query.is_active)
        ]
        page = found[query.offset : query.offset + query.limit]
        return len(found), [self._view(v) for v in page]

    async def counts(self) -> VacancyCounts:
        rows = list(self._rows.values())
        grades: dict[int, Grade] = self._tables["grades"]
        return VacancyCounts(
            total=len(rows),
            active=sum(v.is_active for v in rows),
            by_recruiter=dict(Counter(v.recruiter_id for v in rows if v.recruiter_id is not None)),
            by_grade=dict(Counter(g for v in rows for g in v.grade_ids if g in grades)),
        )

    async def recent(self, limit: int) -> Sequence[VacancyView]:
        return [self._view(v) for v in self._newest()[:limit]]


class MemoryInterviewerRepository(InterviewerRepository):
    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables
        self._rows: dict[int, Interviewer] = tables["interviewers"]

    async def add(self, interviewer: Interviewer) -> Interviewer:
        interviewer.id = next_id(self._tables, "interviewers")
        self._rows[interviewer.id] = dataclasses.replace(interviewer)
        return interviewer

    async def get(self, interviewer_id: int) -> Interviewer | None:
        row = self._rows.get(interviewer_id)
        return dataclasses.replace(row) if row else None

    async def of_user(self, user_id: int) -> Interviewer | None:
        row = next((i for i in self._rows.values() if i.user_id == user_id), None)
        return dataclasses.replace(row) if row else None

    async def save(self, interviewer: Interviewer) -> None:
        if interviewer.id is not None:
            self._rows[interviewer.id] = dataclasses.replace(interviewer)

    async def delete(self, interviewer: Interviewer) -> None:
        if interviewer.id is not None:
            self._rows.pop(interviewer.id, None)

    def _view(self, row: Interviewer) -> InterviewerView:
        users: dict[int, User] = self._tables["users"]
        return InterviewerView(dataclasses.replace(row), _name(users.get(row.user_id)))

    async def view(self, interviewer_id: int) -> InterviewerView | None:
        row = self._rows.get(interviewer_id)
        return self._view(row) if row else None

    async def list(self, query: InterviewerQuery) -> tuple[int, Sequence[InterviewerView]]:
        users: dict[int, User] = self._tables["users"]
        term = query.search.strip().lower()

        def matches(row: Interviewer) -> bool:
            user = users.get(row.user_id)
            fields = [row.specialization]
            if user:
                fields += [user.first_name, user.last_name, user.email]
            return not term or any(term in f.lower() for f in fields)

        found = [
            r
            for r in sorted(self._rows.values(), key=lambda r: r.id or 0)
            if matches(r) and (query.is_active is None or r.is_active is query.is_active)
        ]
        return len(found), [self._view(r) for r in found[query.offset : query.offset + query.limit]]
