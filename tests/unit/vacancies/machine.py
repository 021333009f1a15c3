"""A state machine over the grade and vacancy services: random creates, updates, toggles,
grade assignments and deletes, with the stats invariants checked after every step against a
plain model of the data. The same machine runs on the memory and the SQL adapters."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from hrhelper.adapters.cache import MemoryCache
from hrhelper.domain.errors import Conflict, InvalidInput
from hrhelper.domain.identity.model import Role, User
from hrhelper.domain.vacancies.counts_cache import CountsCache
from hrhelper.domain.vacancies.grades import GradeService
from hrhelper.domain.vacancies.model import VacancyQuery
from hrhelper.domain.vacancies.vacancies import VacancyService
from hrhelper.ports.persistence import UnitOfWork
from tests.support.fakes import FakeClock

T = TypeVar("T")
NAMES = st.sampled_from(["Python", "Go", "Разработчик", "QA", "Data", "Аналитик"])


@dataclass
class Model:
    """What the data must be: vacancy id -> (active, recruiter, grade ids)."""

    grades: dict[int, bool] = field(default_factory=dict)  # id -> active
    grade_names: dict[int, str] = field(default_factory=dict)
    vacancies: dict[int, tuple[bool, int | None, frozenset[int]]] = field(default_factory=dict)


class VacancyMachine(RuleBasedStateMachine):
    """Subclasses set ``make_uow_factory`` (and may reset storage in ``teardown``)."""

    loop: asyncio.AbstractEventLoop

    def make_uow_factory(self) -> Callable[[], UnitOfWork]:
        raise NotImplementedError

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.clock = FakeClock()
        self.uow_factory = self.make_uow_factory()
        self.grades = GradeService(self.uow_factory, self.clock)
        # the counts go through the cache, so every check also proves each write invalidates it
        self.vacancies = VacancyService(self.uow_factory, self.clock, CountsCache(MemoryCache()))
        self.model = Model()
        self.recruiters = self.run(self._seed_recruiters())
        self.staff = User(
            "admin@x.io",
            "A",
            "",
            Role.ADMIN,
            self.clock.now(),
            self.clock.now(),
            id=self.recruiters[0],
        )
        self.counter = 0

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    async def _seed_recruiters(self) -> list[int]:
        now = datetime.now(UTC)
        ids = []
        async with self.uow_factory() as uow:
            for index, role in enumerate((Role.ADMIN, Role.HR, Role.USER)):
                user = await uow.users.add(User(f"r{index}@x.io", f"R{index}", "", role, now, now))
                ids.append(user.pk)
            await uow.commit()
        return ids

    def _grade_ids(self, data: st.DataObject) -> list[int]:
        pool = sorted(self.model.grades)
        return data.draw(st.lists(st.sampled_from(pool), max_size=3, unique=True)) if pool else []

    @rule(active=st.booleans())
    def create_grade(self, active: bool) -> None:
        self.counter += 1
        grade = self.run(self.grades.create({"name": f"G{self.counter}", "is_active": active}))
        self.model.grades[grade.id or 0] = active
        self.model.grade_names[grade.id or 0] = grade.name

    @precondition(lambda self: self.model.grades)
    @rule(data=st.data())
    def toggle_grade(self, data: st.DataObject) -> None:
        grade_id = data.draw(st.sampled_from(sorted(self.model.grades)))
        active = not self.model.grades[grade_id]
        self.run(self.grades.update(grade_id, {"is_active": active}))
        self.model.grades[grade_id] = active

    @precondition(lambda self: self.model.grades)
    @rule(data=st.data())
    def delete_grade(self, data: st.DataObject) -> None:
        grade_id = data.draw(st.sampled_from(sorted(self.model.grades)))
        used = sum(grade_id in g for _, _, g in self.model.vacancies.values())
        if used:
            with pytest.raises(Conflict) as refused:
                self.run(self.grades.delete(grade_id))
            assert refused.value.details == {"vacancies": used}
            return
        self.run(self.grades.delete(grade_id))
        del self.model.grades[grade_id]

    @rule(data=st.data(), name=NAMES, active=st.booleans())
    def create_vacancy(self, data: st.DataObject, name: str, active: bool) -> None:
        grades = self._grade_ids(data)
        recruiter = data.draw(st.sampled_from([None, *self.recruiters]))
        values = {
            "name": name,
            "is_active": active,
            "recruiter": recruiter,
            "available_grades": grades,
        }
        expected_errors = set()
        if not all(self.model.grades[g] for g in grades):
            expected_errors.add("available_grades")
        if recruiter == self.recruiters[2]:  # a candidate cannot recruit
            expected_errors.add("recruiter")
        if expected_errors:
            with pytest.raises(InvalidInput) as refused:
                self.run(self.vacancies.create(values))
            assert set(refused.value.details) == expected_errors
            return
        view = self.run(self.vacancies.create(values))
        self.model.vacancies[view.vacancy.pk] = (active, recruiter, frozenset(grades))
        self.clock.advance_seconds(1)

    @precondition(lambda self: self.model.vacancies)
    @rule(data=st.data())
    def toggle_vacancy(self, data: st.DataObject) -> None:
        vacancy_id = data.draw(st.sampled_from(sorted(self.model.vacancies)))
        view = self.run(self.vacancies.toggle_active(vacancy_id))
        active, recruiter, grades = self.model.vacancies[vacancy_id]
        assert view.vacancy.is_active is (not active)
        self.model.vacancies[vacancy_id] = (not active, recruiter, grades)

    @precondition(lambda self: self.model.vacancies)
    @rule(data=st.data())
    def assign_grades(self, data: st.DataObject) -> None:
        vacancy_id = data.draw(st.sampled_from(sorted(self.model.vacancies)))
        grades = self._grade_ids(data)
        if not all(self.model.grades[g] for g in grades):
            with pytest.raises(InvalidInput):
                self.run(self.vacancies.assign_grades(vacancy_id, grades))
            return
        view = self.run(self.vacancies.assign_grades(vacancy_id, grades))
        active, recruiter, _ = self.model.vacancies[vacancy_id]
        assert sorted(view.vacancy.grade_ids) == sorted(grades)
        self.model.vacancies[vacancy_id] = (active, recruiter, frozenset(grades))

    @precondition(lambda self: self.model.vacancies)
    @rule(data=st.data())
    def delete_vacancy(self, data: st.DataObject) -> None:
        vacancy_id = data.draw(st.sampled_from(sorted(self.model.vacancies)))
        self.run(self.vacancies.delete(vacancy_id))
        del self.model.vacancies[vacancy_id]

    @invariant()
    def stats_agree_with_the_data(self) -> None:
        stats = self.run(self.vacancies.stats())
        rows = self.model.vacancies.values()
        assert stats.total == len(rows) == stats.active + stats.inactive
        assert stats.active == sum(active for active, _, _ in rows)
        expected_by_recruiter: dict[int, int] = {}
        expected_by_grade: dict[str, int] = {}
        for _, recruiter, grades in rows:
            if recruiter is not None:
                expected_by_recruiter[recruiter] = expected_by_recruiter.get(recruiter, 0) + 1
            for grade in grades:
                name = self.model.grade_names[grade]
                expected_by_grade[name] = expected_by_grade.get(name, 0) + 1
        assert stats.by_recruiter == expected_by_recruiter
        assert stats.by_grade == expected_by_grade
        assert len(stats.recent) == min(5, len(rows))
        newest = sorted(self.model.vacancies, reverse=True)[:5]
        assert [v.vacancy.pk for v in stats.recent] == newest

    @invariant()
    def list_counts_agree(self) -> None:
        count, _ = self.run(self.vacancies.list(self.staff, VacancyQuery(limit=1)))
        active, _ = self.run(self.vacancies.list(self.staff, VacancyQuery(is_active=True)))
        assert count == len(self.model.vacancies)
        assert active == sum(a for a, _, _ in self.model.vacancies.values())

    def teardown(self) -> None:
        self.loop.close()
