"""The transfer ledger contract, on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from hrhelper.adapters.persistence.memory.transfers import MemoryTransferLedger
from hrhelper.adapters.persistence.sqlalchemy import SqlUnitOfWork
from hrhelper.adapters.persistence.sqlalchemy.transfers import SqlTransferLedger
from hrhelper.domain.identity.model import Role, User
from hrhelper.ports.transfers import TransferKey, TransferLedger, TransferStep

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)


async def _add_user(engine: AsyncEngine) -> int:
    async with SqlUnitOfWork(async_sessionmaker(engine, expire_on_commit=False)) as uow:
        user = await uow.users.add(
            User("hr@example.com", "H", "R", Role.HR, created_at=NOW, updated_at=NOW)
        )
        await uow.commit()
    return user.pk


Backend = tuple[TransferLedger, AsyncEngine | None]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "memory":
        return MemoryTransferLedger(), None
    engine: AsyncEngine = request.getfixturevalue(f"{request.param}_engine")
    return SqlTransferLedger(engine), engine


async def given_ledger(backend: Backend) -> tuple[TransferLedger, int]:
    """The ledger and a user of its database (the ledger rows belong to users)."""
    ledger, engine = backend
    return ledger, (await _add_user(engine) if engine is not None else 7)


def key_for(user_id: int, source_id: str = "task-1", account_id: int = 1) -> TransferKey:
    return TransferKey(user_id, "clickup", source_id, account_id)


async def test_a_claim_is_exclusive_until_released(backend: Backend) -> None:
    sut, user_id = await given_ledger(backend)
    key = key_for(user_id)
    first = await sut.claim(key, "a", NOW, NOW + LEASE)
    assert first is not None
    assert (first.step, first.owner, first.applicant_id) == (TransferStep.CLAIMED, "a", None)
    assert await sut.claim(key, "b", NOW + timedelta(minutes=1), NOW + LEASE) is None
    # another key is independent
    assert await sut.claim(key_for(user_id, account_id=2), "b", NOW, NOW + LEASE) is not None
    await sut.release(key, "b")  # not the holder: no effect
    assert await sut.claim(key, "c", NOW, NOW + LEASE) is None
    await sut.release(key, "a")
    taken = await sut.claim(key, "c", NOW, NOW + LEASE)
    assert taken is not None
    assert taken.owner == "c"


async def test_steps_are_kept_and_a_lost_claim_cannot_record(backend: Backend) -> None:
    sut, user_id = await given_ledger(backend)
    key = key_for(user_id)
    assert await sut.claim(key, "a", NOW, NOW + LEASE) is not None
    assert await sut.advance(key, "a", TransferStep.CREATING, NOW)
    assert await sut.advance(key, "a", TransferStep.CREATED, NOW, applicant_id=55)
    # When the holder dies and its lease runs out, another attempt takes over
    later = NOW + LEASE + timedelta(seconds=1)
    resumed = await sut.claim(key, "b", later, later + LEASE)
    assert resumed is not None
    assert (resumed.step, resumed.applicant_id, resumed.owner) == (TransferStep.CREATED, 55, "b")
    # Then the old holder can no longer record anything
    assert not await sut.advance(key, "a", TransferStep.BOUND, later, vacancy_id=9)
    assert await sut.advance(key, "b", TransferStep.BOUND, later, vacancy_id=9)
    await sut.release(key, "b")
    done = await sut.get(key)
    assert done is not None
    assert (done.step, done.applicant_id, done.vacancy_id, done.owner) == (
        TransferStep.BOUND,
        55,
        9,
        None,
    )
    assert await sut.get(key_for(user_id, "task-other")) is None


async def test_concurrent_claims_on_postgres_have_one_winner(postgres_engine: AsyncEngine) -> None:
    sut = SqlTransferLedger(postgres_engine)
    key = key_for(await _add_user(postgres_engine))
    # When ten workers claim the same new key at once
    claims = await asyncio.gather(*(sut.claim(key, f"w{i}", NOW, NOW + LEASE) for i in range(10)))
    # Then exactly one holds it, and the record names that one
    winners = [c.owner for c in claims if c is not None]
    assert len(winners) == 1
    stored = await sut.get(key)
    assert stored is not None
    assert stored.owner == winners[0]
