"""Runs the vacancy state machine on the in-memory adapters and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, settings
from sqlalchemy.ext.asyncio import async_sessionmaker

from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.adapters.persistence.sqlalchemy import SqlUnitOfWork, create_engine
from hrhelper.ports.persistence import UnitOfWork
from tests.support.database import truncate_all
from tests.unit.vacancies.machine import VacancyMachine


class MemoryVacancyMachine(VacancyMachine):
    def make_uow_factory(self) -> Callable[[], UnitOfWork]:
        store = MemoryStore()
        return lambda: MemoryUnitOfWork(store)


def test_vacancy_services_on_memory_adapters() -> None:
    run = settings(max_examples=60, stateful_step_count=25, deadline=None)(MemoryVacancyMachine)
    run.TestCase().runTest()


def test_vacancy_services_on_postgresql(postgres_url: str) -> None:
    class PostgresVacancyMachine(VacancyMachine):
        def make_uow_factory(self) -> Callable[[], UnitOfWork]:
            self.engine = create_engine(postgres_url, pool_size=2)
            self.run(truncate_all(self.engine))  # each example starts empty
            sessions = async_sessionmaker(self.engine, expire_on_commit=False)
            return lambda: SqlUnitOfWork(sessions)

        def teardown(self) -> None:
            self.run(truncate_all(self.engine))
            self.run(self.engine.dispose())
            super().teardown()

    run = settings(
        max_examples=12,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )(PostgresVacancyMachine)
    run.TestCase().runTest()
