"""Bodies of the grades, vacancies and interviewers endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from hrhelper.domain.interviewers.model import InterviewerView
from hrhelper.domain.vacancies.model import Grade, VacancyStats, VacancyView

Title = Annotated[str, msgspec.Meta(max_length=300)]
LongText = Annotated[str, msgspec.Meta(max_length=20000)]
GradeIds = Annotated[list[Annotated[int, msgspec.Meta(ge=1)]], msgspec.Meta(max_length=100)]


class _In(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class GradeIn(_In, frozen=True):
    """POST and PUT: ``name`` is required."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Senior+"])]
    description: LongText = ""
    is_active: bool = True
    position: Annotated[int, msgspec.Meta(ge=0, le=10000)] | None = None


class GradePatchIn(_In, frozen=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    description: LongText | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
    position: Annotated[int, msgspec.Meta(ge=0, le=10000)] | msgspec.UnsetType = msgspec.UNSET


class GradeOut(msgspec.Struct):
    id: int
    name: str
    description: str
    is_active: bool
    position: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, grade: Grade) -> GradeOut:
        return cls(
            grade.id or 0,
            grade.name,
            grade.description,
            grade.is_active,
            grade.position,
            grade.created_at,
            grade.updated_at,
        )


class VacancyIn(_In, frozen=True):
    """POST and PUT: ``name`` is required; the rest keeps its default when left out."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=300, examples=["Python Developer"])]
    external_id: Annotated[str, msgspec.Meta(max_length=64)] = ""
    recruiter: Annotated[int, msgspec.Meta(ge=1)] | None = None
    invite_title: Title = ""
    invite_text: LongText = ""
    scorecard_title: Title = ""
    scorecard_text: LongText = ""
    available_grades: GradeIds = msgspec.field(default_factory=list)
    is_active: bool = True


class VacancyPatchIn(_In, frozen=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    external_id: Annotated[str, msgspec.Meta(max_length=64)] | msgspec.UnsetType = msgspec.UNSET
    recruiter: Annotated[int, msgspec.Meta(ge=1)] | msgspec.UnsetType | None = msgspec.UNSET
    invite_title: Title | msgspec.UnsetType = msgspec.UNSET
    invite_text: LongText | msgspec.UnsetType = msgspec.UNSET
    scorecard_title: Title | msgspec.UnsetType = msgspec.UNSET
    scorecard_text: LongText | msgspec.UnsetType = msgspec.UNSET
    available_grades: GradeIds | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class AssignGradesIn(_In, frozen=True):
    grade_ids: GradeIds


class VacancyOut(msgspec.Struct):
    id: int
    name: str
    external_id: str
    recruiter: int | None
    recruiter_name: str
    invite_title: str
    invite_text: str
    scorecard_title: str
    scorecard_text: str
    available_grades: list[int]
    available_grades_names: list[str]
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: VacancyView) -> VacancyOut:
        v = view.vacancy
        return cls(
            id=v.pk,
            name=v.name,
            external_id=v.external_id,
            recruiter=v.recruiter_id,
            recruiter_name=view.recruiter_name,
            invite_title=v.invite_title,
            invite_text=v.invite_text,
            scorecard_title=v.scorecard_title,
            scorecard_text=v.scorecard_text,
            available_grades=list(v.grade_ids),
            available_grades_names=list(view.grade_names),
            is_active=v.is_active,
            created_at=v.created_at,
            updated_at=v.updated_at,
        )


class VacancyStatsOut(msgspec.Struct):
    total_vacancies: int
    active_vacancies: int
    inactive_vacancies: int
    vacancies_by_recruiter: dict[str, int]
    vacancies_by_grade: dict[str, int]
    recent_vacancies: list[VacancyOut]

    @classmethod
    def of(cls, stats: VacancyStats) -> VacancyStatsOut:
        return cls(
            total_vacancies=stats.total,
            active_vacancies=stats.active,
            inactive_vacancies=stats.inactive,
            vacancies_by_recruiter={str(k): v for k, v in stats.by_recruiter.items()},
            vacancies_by_grade=dict(stats.by_grade),
            recent_vacancies=[VacancyOut.of(v) for v in stats.recent],
        )


class InterviewerIn(_In, frozen=True):
    user: Annotated[int, msgspec.Meta(ge=1)]
    specialization: Annotated[str, msgspec.Meta(max_length=200)] = ""
    experience_years: Annotated[int, msgspec.Meta(ge=0, le=80)] = 0
    is_active: bool = True


class InterviewerPatchIn(_In, frozen=True):
    user: Annotated[int, msgspec.Meta(ge=1)] | msgspec.UnsetType = msgspec.UNSET
    specialization: Annotated[str, msgspec.Meta(max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    experience_years: Annotated[int, msgspec.Meta(ge=0, le=80)] | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class InterviewerOut(msgspec.Struct):
    id: int
    user: int
    user_name: str
    specialization: str
    experience_years: int
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, view: InterviewerView) -> InterviewerOut:
        i = view.interviewer
        return cls(
            i.id or 0,
            i.user_id,
            view.user_name,
            i.specialization,
            i.experience_years,
            i.is_active,
            i.created_at,
        )


def all_fields(body: msgspec.Struct) -> dict[str, object]:
    """Every field of a full (POST/PUT) body, defaults included."""
    return {name: getattr(body, name) for name in body.__struct_fields__}
