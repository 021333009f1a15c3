"""SQL repositories of grades, vacancies and interviewers: Core statements, read models
assembled in a constant number of queries."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from hrhelper.adapters.persistence.sqlalchemy.search import contains, escape_like
from hrhelper.adapters.persistence.sqlalchemy.tables import (
    grades,
    interviewers,
    users,
    vacancies,
    vacancy_grades,
)
from hrhelper.domain.interviewers.model import Interviewer, InterviewerQuery, InterviewerView
from hrhelper.domain.vacancies.model import Grade, Vacancy, VacancyCounts, VacancyQuery, VacancyView
from hrhelper.ports.vacancies import GradeRepository, InterviewerRepository, VacancyRepository

__all__ = ["SEARCH_TEXT", "SqlGradeRepository", "SqlInterviewerRepository", "SqlVacancyRepository"]

_SPACE: ColumnElement[str] = literal_column(
    "' '"
)  # inline, so PostgreSQL matches the trigram index expression
SEARCH_TEXT = func.lower(
    vacancies.c.name
    + _SPACE
    + vacancies.c.external_id
    + _SPACE
    + vacancies.c.invite_title
    + _SPACE
    + vacancies.c.scorecard_title
)
_GRADE_COLUMNS = ("name", "description", "is_active", "position", "created_at", "updated_at")
_VACANCY_COLUMNS = (
    "name",
    "external_id",
    "recruiter_id",
    "invite_title",
    "invite_text",
    "scorecard_title",
    "scorecard_text",
    "is_active",
    "created_at",
    "updated_at",
)
_USER_NAME = func.trim(users.c.first_name + literal_column("' '") + users.c.last_name)


def _grade(row: Any) -> Grade:
    return Grade(**{name: getattr(row, name) for name in _GRADE_COLUMNS}, id=row.id)


def _vacancy(row: Any, grade_ids: list[int]) -> Vacancy:
    return Vacancy(**{n: getattr(row, n) for n in _VACANCY_COLUMNS}, grade_ids=grade_ids, id=row.id)


class SqlGradeRepository(GradeRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, grade: Grade) -> Grade:
        values = {n: getattr(grade, n) for n in _GRADE_COLUMNS}
        result = await self._session.execute(
            insert(grades).values(**values, name_key=grade.name.lower()).returning(grades.c.id)
        )
        grade.id = result.scalar_one()
        return grade

    async def get(self, grade_id: int) -> Grade | None:
        row = (await self._session.execute(select(grades).where(grades.c.id == grade_id))).first()
        return _grade(row) if row else None

    async def by_name(self, name: str) -> Grade | None:
        stmt = select(grades).where(grades.c.name_key == name.strip().lower())
        row = (await self._session.execute(stmt)).first()
        return _grade(row) if row else None

    async def list(
        self, is_active: bool | None, offset: int, limit: int
    ) -> tuple[int, Sequence[Grade]]:
        where = grades.c.is_active == is_active if is_active is not None else and_(True)
        count = await self._session.scalar(select(func.count()).select_from(grades).where(where))
        stmt = (
            select(grades)
            .where(where)
            .order_by(grades.c.position, grades.c.id)
            .offset(offset)
            .limit(limit)
        )
        return int(count or 0), [_grade(r) for r in (await self._session.execute(stmt)).all()]

    async def save(self, grade: Grade) -> None:
        values = {n: getattr(grade, n) for n in _GRADE_COLUMNS}
        await self._session.execute(
            update(grades)
            .where(grades.c.id == grade.id)
            .values(**values, name_key=grade.name.lower())
        )

    async def delete(self, grade: Grade) -> None:
        await self._session.execute(delete(grades).where(grades.c.id == grade.id))

    async def usage(self, grade_id: int) -> int:
        stmt = (
            select(func.count())
            .select_from(vacancy_grades)
            .where(vacancy_grades.c.grade_id == grade_id)
        )
        return int(await self._session.scalar(stmt) or 0)

    async def active_ids(self, grade_ids: Sequence[int]) -> set[int]:
        if not grade_ids:
            return set()
        stmt = select(grades.c.id).where(grades.c.id.in_(grade_ids), grades.c.is_active)
        return set((await self._session.execute(stmt)).scalars())

    async def next_position(self) -> int:
        return int(await self._session.scalar(select(func.max(grades.c.position))) or 0) + 1

    async def names(self, grade_ids: Collection[int]) -> Sequence[tuple[int, str]]:
        if not grade_ids:
            return []
        stmt = (
            select(grades.c.id, grades.c.name)
            .where(grades.c.id.in_(list(grade_ids)))
            .order_by(grades.c.position, grades.c.id)
        )
        return [(int(i), str(n)) for i, n in (await self._session.execute(stmt)).all()]


class SqlVacancyRepository(VacancyRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, vacancy: Vacancy) -> Vacancy:
        values = {n: getattr(vacancy, n) for n in _VACANCY_COLUMNS}
        result = await self._session.execute(
            insert(vacancies).values(**values).returning(vacancies.c.id)
        )
        vacancy.id = result.scalar_one()
        await self._write_grades(vacancy)
        return vacancy

    async def get(self, vacancy_id: int) -> Vacancy | None:
        stmt = select(vacancies).where(vacancies.c.id == vacancy_id)
        row = (await self._session.execute(stmt)).first()
        if row is None:
            return None
        ids = await self._session.execute(
            select(vacancy_grades.c.grade_id).where(vacancy_grades.c.vacancy_id == vacancy_id)
        )
        return _vacancy(row, sorted(ids.scalars()))

    async def by_external_id(self, external_id: str) -> int | None:
        stmt = select(vacancies.c.id).where(vacancies.c.external_id == external_id)
        return await self._session.scalar(stmt)

    async def save(self, vacancy: Vacancy) -> None:
        values = {n: getattr(vacancy, n) for n in _VACANCY_COLUMNS}
        await self._session.execute(
            update(vacancies).where(vacancies.c.id == vacancy.id).values(**values)
        )
        await self._session.execute(
            delete(vacancy_grades).where(vacancy_grades.c.vacancy_id == vacancy.id)
        )
        await self._write_grades(vacancy)

    async def _write_grades(self, vacancy: Vacancy) -> None:
        if vacancy.grade_ids:
            await self._session.execute(
                insert(vacancy_grades),
                [{"vacancy_id": vacancy.id, "grade_id": g} for g in vacancy.grade_ids],
            )

    async def delete(self, vacancy: Vacancy) -> None:
        await self._session.execute(delete(vacancies).where(vacancies.c.id == vacancy.id))

    async def view(self, vacancy_id: int) -> VacancyView | None:
        views = await self._views(_page().where(vacancies.c.id == vacancy_id))
        return views[0] if views else None

    async def list(self, query: VacancyQuery) -> tuple[int, Sequence[VacancyView]]:
        conditions: list[ColumnElement[bool]] = []
        if query.search.strip():
            pattern = f"%{escape_like(query.search.strip().lower())}%"
            conditions.append(SEARCH_TEXT.like(pattern, escape="\\"))
        if query.recruiter_id is not None:
            conditions.append(vacancies.c.recruiter_id == query.recruiter_id)
        if query.is_active is not None:
            conditions.append(vacancies.c.is_active == query.is_active)
        where = and_(True, *conditions)
        count = await self._session.scalar(select(func.count()).select_from(vacancies).where(where))
        stmt = (
            _page()
            .where(where)
            .order_by(vacancies.c.created_at.desc(), vacancies.c.id.desc())
            .offset(query.offset)
            .limit(query.limit)
        )
        return int(count or 0), await self._views(stmt)

    async def counts(self) -> VacancyCounts:
        # one pass over the vacancies (totals are the sum of the per-recruiter groups, the
        # group of no recruiter included), one over the grade links grouped by id alone
        per_recruiter = await self._session.execute(
            select(
                vacancies.c.recruiter_id,
                func.count(),
                func.count().filter(vacancies.c.is_active),
            ).group_by(vacancies.c.recruiter_id)
        )
        groups = per_recruiter.all()
        by_grade = await self._session.execute(
            select(vacancy_grades.c.grade_id, func.count()).group_by(vacancy_grades.c.grade_id)
        )
        return VacancyCounts(
            total=sum(int(total) for _, total, _ in groups),
            active=sum(int(active) for _, _, active in groups),
            by_recruiter={int(r): int(total) for r, total, _ in groups if r is not None},
            by_grade={int(g): int(c) for g, c in by_grade.all()},
        )

    async def recent(self, limit: int) -> Sequence[VacancyView]:
        newest = _page().order_by(vacancies.c.created_at.desc(), vacancies.c.id.desc())
        return await self._views(newest.limit(limit))

    async def _views(self, stmt: Any) -> Sequence[VacancyView]:
        """One query for the page (recruiter names joined), one for all its grades."""
        rows = (await self._session.execute(stmt)).all()
        if not rows:
            return []
        links = await self._session.execute(
            select(vacancy_grades.c.vacancy_id, grades.c.id, grades.c.name)
            .join(grades, grades.c.id == vacancy_grades.c.grade_id)
            .where(vacancy_grades.c.vacancy_id.in_([r.id for r in rows]))
            .order_by(grades.c.position, grades.c.id)
        )
        by_vacancy: dict[int, list[tuple[int, str]]] = {}
        for vacancy_id, grade_id, name in links.all():
            by_vacancy.setdefault(vacancy_id, []).append((grade_id, name))
        views = []
        for row in rows:
            pairs = by_vacancy.get(row.id, [])
            vacancy = _vacancy(row, [g for g, _ in pairs])
            views.append(VacancyView(vacancy, row.recruiter_name or "", [n for _, n in pairs]))
        return views


def _page() -> Any:
    name = func.coalesce(func.nullif(_USER_NAME, ""), users.c.email)
    return select(vacancies, name.label("recruiter_name")).outerjoin(
        users, users.c.id == vacancies.c.recruiter_id
    )


class SqlInterviewerRepository(InterviewerRepository):
    _COLUMNS = (
        "user_id",
        "specialization",
        "experience_years",
        "is_active",
        "created_at",
        "updated_at",
    )

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _entity(self, row: Any) -> Interviewer:
        return Interviewer(**{n: getattr(row, n) for n in self._COLUMNS}, id=row.id)

    async def add(self, interviewer: Interviewer) -> Interviewer:
        values = {n: getattr(interviewer, n) for n in self._COLUMNS}
        result = await self._session.execute(
            insert(interviewers).values(**values).returning(interviewers.c.id)
        )
        interviewer.id = result.scalar_one()
        return interviewer

    async def get(self, interviewer_id: int) -> Interviewer | None:
        stmt = select(interviewers).where(interviewers.c.id == interviewer_id)
        row = (await self._session.execute(stmt)).first()
        return self._entity(row) if row else None

    async def of_user(self, user_id: int) -> Interviewer | None:
        stmt = select(interviewers).where(interviewers.c.user_id == user_id)
        row = (await self._session.execute(stmt)).first()
        return self._entity(row) if row else None

    async def save(self, interviewer: Interviewer) -> None:
        values = {n: getattr(interviewer, n) for n in self._COLUMNS}
        await self._session.execute(
            update(interviewers).where(interviewers.c.id == interviewer.id).values(**values)
        )

    async def delete(self, interviewer: Interviewer) -> None:
        await self._session.execute(delete(interviewers).where(interviewers.c.id == interviewer.id))

    def _select(self) -> Any:
        name = func.coalesce(func.nullif(_USER_NAME, ""), users.c.email)
        return select(interviewers, name.label("user_name")).join(
            users, users.c.id == interviewers.c.user_id
        )

    async def view(self, interviewer_id: int) -> InterviewerView | None:
        row = (
            await self._session.execute(self._select().where(interviewers.c.id == interviewer_id))
        ).first()
        return InterviewerView(self._entity(row), row.user_name) if row else None

    async def list(self, query: InterviewerQuery) -> tuple[int, Sequence[InterviewerView]]:
        conditions: list[ColumnElement[bool]] = []
        if query.search.strip():
            conditions.append(
                or_(
                    contains(interviewers.c.specialization, query.search),
                    contains(users.c.first_name, query.search),
                    contains(users.c.last_name, query.search),
                    contains(users.c.email, query.search),
                )
            )
        if query.is_active is not None:
            conditions.append(interviewers.c.is_active == query.is_active)
        where = and_(True, *conditions)
        count = await self._session.scalar(
            select(func.count())
            .select_from(interviewers.join(users, users.c.id == interviewers.c.user_id))
            .where(where)
        )
        stmt = self._select().where(where).order_by(interviewers.c.id).offset(query.offset)
        rows = (await self._session.execute(stmt.limit(query.limit))).all()
        return int(count or 0), [InterviewerView(self._entity(r), r.user_name) for r in rows]
