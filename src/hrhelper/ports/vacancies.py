"""Storage of grades, vacancies and interviewers (inside a unit of work).

Entities here are saved explicitly with ``save``; list and stats methods answer read models
in a constant number of queries, whatever the page size.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from hrhelper.domain.interviewers.model import Interviewer, InterviewerQuery, InterviewerView
from hrhelper.domain.vacancies.model import (
    Grade,
    Vacancy,
    VacancyCounts,
    VacancyQuery,
    VacancyView,
)

__all__ = ["GradeRepository", "InterviewerRepository", "VacancyRepository"]


class GradeRepository(Protocol):
    async def add(self, grade: Grade) -> Grade: ...

    async def get(self, grade_id: int) -> Grade | None: ...

    async def by_name(self, name: str) -> Grade | None:
        """Case-insensitive, Cyrillic included."""
        ...

    async def list(
        self, is_active: bool | None, offset: int, limit: int
    ) -> tuple[int, Sequence[Grade]]:
        """Ordered by position, then id."""
        ...

    async def save(self, grade: Grade) -> None: ...

    async def delete(self, grade: Grade) -> None: ...

    async def usage(self, grade_id: int) -> int:
        """How many vacancies offer the grade."""
        ...

    async def active_ids(self, grade_ids: Sequence[int]) -> set[int]:
        """Which of these ids are existing, active grades."""
        ...

    async def next_position(self) -> int: ...

    async def names(self, grade_ids: Collection[int]) -> Sequence[tuple[int, str]]:
        """(id, name) of these grades, ordered by position, then id."""
        ...


class VacancyRepository(Protocol):
    async def add(self, vacancy: Vacancy) -> Vacancy: ...

    async def get(self, vacancy_id: int) -> Vacancy | None: ...

    async def by_external_id(self, external_id: str) -> int | None:
        """The id of the vacancy with that Huntflow id, if any."""
        ...

    async def save(self, vacancy: Vacancy) -> None:
        """Write the columns and replace the grade set."""
        ...

    async def delete(self, vacancy: Vacancy) -> None: ...

    async def view(self, vacancy_id: int) -> VacancyView | None: ...

    async def list(self, query: VacancyQuery) -> tuple[int, Sequence[VacancyView]]:
        """Newest first. Search is case-insensitive over name, external id, invite and
        scorecard titles."""
        ...

    async def counts(self) -> VacancyCounts:
        """Totals, by recruiter and by grade, aggregated by the database."""
        ...

    async def recent(self, limit: int) -> Sequence[VacancyView]:
        """The newest vacancies first."""
        ...


class InterviewerRepository(Protocol):
    async def add(self, interviewer: Interviewer) -> Interviewer: ...

    async def get(self, interviewer_id: int) -> Interviewer | None: ...

    async def of_user(self, user_id: int) -> Interviewer | None: ...

    async def save(self, interviewer: Interviewer) -> None: ...

    async def delete(self, interviewer: Interviewer) -> None: ...

    async def view(self, interviewer_id: int) -> InterviewerView | None: ...

    async def list(self, query: InterviewerQuery) -> tuple[int, Sequence[InterviewerView]]:
        """Search matches specialization and the user's name or email."""
        ...
