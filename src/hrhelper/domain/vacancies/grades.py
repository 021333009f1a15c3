"""The grade ladder: unique names (whatever the case), an explicit order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hrhelper.domain.errors import Conflict, InvalidInput, NotFound
from hrhelper.domain.vacancies.model import Grade
from hrhelper.ports.clock import Clock
from hrhelper.ports.persistence import UnitOfWork, UnitOfWorkFactory

__all__ = ["GradeService"]


class GradeService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    async def list(
        self, is_active: bool | None, offset: int, limit: int
    ) -> tuple[int, Sequence[Grade]]:
        async with self._uow_factory() as uow:
            return await uow.grades.list(is_active, offset, limit)

    async def get(self, grade_id: int) -> Grade:
        async with self._uow_factory() as uow:
            return await self._grade(uow, grade_id)

    async def create(self, values: Mapping[str, object]) -> Grade:
        now = self._clock.now()
        async with self._uow_factory() as uow:
            name = await self._free_name(uow, values.get("name"), None)
            position = values.get("position")
            if not isinstance(position, int):
                position = await uow.grades.next_position()
            grade = Grade(
                name=name,
                description=str(values.get("description", "")).strip(),
                is_active=bool(values.get("is_active", True)),
                position=position,
                created_at=now,
                updated_at=now,
            )
            await uow.grades.add(grade)
            await uow.commit()
        return grade

    async def update(self, grade_id: int, values: Mapping[str, object]) -> Grade:
        async with self._uow_factory() as uow:
            grade = await self._grade(uow, grade_id)
            if "name" in values:
                grade.name = await self._free_name(uow, values["name"], grade.id)
            if "description" in values:
                grade.description = str(values["description"]).strip()
            if "is_active" in values:
                grade.is_active = bool(values["is_active"])
            position = values.get("position")
            if isinstance(position, int):
                grade.position = position
            grade.updated_at = self._clock.now()
            await uow.grades.save(grade)
            await uow.commit()
        return grade

    async def delete(self, grade_id: int) -> None:
        """Refused while vacancies use the grade: the answer says how many."""
        async with self._uow_factory() as uow:
            grade = await self._grade(uow, grade_id)
            used = await uow.grades.usage(grade_id)
            if used:
                noun = "vacancy uses" if used == 1 else "vacancies use"
                raise Conflict(
                    f"The grade cannot be deleted: {used} {noun} it.",
                    {"vacancies": used},
                )
            await uow.grades.delete(grade)
            await uow.commit()

    @staticmethod
    async def _grade(uow: UnitOfWork, grade_id: int) -> Grade:
        grade = await uow.grades.get(grade_id)
        if grade is None:
            raise NotFound("Grade not found.")
        return grade

    @staticmethod
    async def _free_name(uow: UnitOfWork, raw: object, own_id: int | None) -> str:
        name = str(raw or "").strip()
        if not name:
            raise InvalidInput.for_fields({"name": ["This field may not be blank."]})
        other = await uow.grades.by_name(name)
        if other is not None and other.id != own_id:
            raise Conflict(
                "A grade with this name already exists.",
                {"name": ["A grade with this name already exists."]},
            )
        return name
