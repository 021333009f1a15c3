"""Grades, vacancies and the read models the API shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "Grade",
    "Vacancy",
    "VacancyCounts",
    "VacancyQuery",
    "VacancyStats",
    "VacancyView",
]


@dataclass
class Grade:
    name: str
    created_at: datetime
    updated_at: datetime
    description: str = ""
    is_active: bool = True
    position: int = 0
    """Place on the ladder (Junior first); lists are ordered by it."""
    id: int | None = None


@dataclass
class Vacancy:
    name: str
    created_at: datetime
    updated_at: datetime
    external_id: str = ""
    """The Huntflow vacancy id."""
    recruiter_id: int | None = None
    invite_title: str = ""
    invite_text: str = ""
    scorecard_title: str = ""
    scorecard_text: str = ""
    is_active: bool = True
    grade_ids: list[int] = field(default_factory=list)
    id: int | None = None

    @property
    def pk(self) -> int:
        if self.id is None:
            raise ValueError("the vacancy is not saved yet")
        return self.id


@dataclass(frozen=True)
class VacancyView:
    vacancy: Vacancy
    recruiter_name: str
    grade_names: list[str]


@dataclass(frozen=True)
class VacancyQuery:
    search: str = ""
    recruiter_id: int | None = None
    is_active: bool | None = None
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class VacancyCounts:
    """The aggregates of the stats: they change only when a vacancy is written."""

    total: int
    active: int
    by_recruiter: dict[int, int]
    by_grade: dict[int, int]
    """Grade id → vacancies offering it."""


@dataclass(frozen=True)
class VacancyStats:
    total: int
    active: int
    by_recruiter: dict[int, int]
    by_grade: dict[str, int]
    recent: list[VacancyView]

    @property
    def inactive(self) -> int:
        return self.total - self.active
