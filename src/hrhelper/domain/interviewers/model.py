"""Interviewers and their read model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Interviewer", "InterviewerQuery", "InterviewerView"]


@dataclass
class Interviewer:
    user_id: int
    created_at: datetime
    updated_at: datetime
    specialization: str = ""
    experience_years: int = 0
    is_active: bool = True
    id: int | None = None


@dataclass(frozen=True)
class InterviewerView:
    interviewer: Interviewer
    user_name: str


@dataclass(frozen=True)
class InterviewerQuery:
    search: str = ""
    is_active: bool | None = None
    offset: int = 0
    limit: int = 20
