"""TransferService on the in-memory ledger and ATS: the rules the property does not spell
out (bad cards, busy cards, a lost applicant without contacts, stages)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hrhelper.adapters.persistence.memory.transfers import MemoryTransferLedger
from hrhelper.domain.errors import Conflict, InvalidInput, ServiceBusy
from hrhelper.domain.recruiting.card import CandidateCard, CardSource
from hrhelper.domain.recruiting.transfer import TransferService
from hrhelper.ports.transfers import TransferKey, TransferStep
from tests.support.ats import FakeAts, FakeConnector, FakeFiles, Fault, Step, WorkerCrash
from tests.support.fakes import FakeClock

LEASE = timedelta(minutes=10)


def create_card(
    description: str = "https://linkedin.com/in/anna", **fields: object
) -> CandidateCard:
    values: dict[str, object] = {
        "source": CardSource.CLICKUP,
        "source_id": "task-1",
        "source_url": "https://app.clickup.com/t/task-1",
        "title": "Smirnova Anna",
        "description": description,
        **fields,
    }
    return CandidateCard(**values)  # type: ignore[arg-type]


def create_sut(
    ats: FakeAts, clock: FakeClock | None = None
) -> tuple[TransferService, MemoryTransferLedger]:
    ledger = MemoryTransferLedger()
    sut = TransferService(
        FakeConnector(ats), ledger, FakeFiles(), clock or FakeClock(), lease=LEASE
    )
    return sut, ledger


async def test_a_card_without_resume_or_link_is_refused_before_any_call() -> None:
    ats = FakeAts()
    sut, ledger = create_sut(ats)
    with pytest.raises(InvalidInput) as raised:
        await sut.transfer(1, create_card("no links here"), 1, 101)
    assert list(raised.value.details) == ["resume"]
    assert (ats.applicants, ledger.records) == ({}, {})


async def test_a_rejected_card_goes_to_the_rejection_stage_with_the_first_reason() -> None:
    ats = FakeAts()
    sut, _ = create_sut(ats)
    result = await sut.transfer(1, create_card(rejected=True, status="Rejected"), 1, 101)
    link = ats.links[result.applicant_id][101]
    assert (link.status_id, link.rejection_reason_id) == (14, 22)  # "Other" has no id
    (comment,) = [c for _, _, c in ats.comments]
    assert comment.splitlines()[:3] == [
        "Source: ClickUp — https://app.clickup.com/t/task-1",
        "Status: Rejected",
        "Resume: https://linkedin.com/in/anna",
    ]
    assert ats.applicants[result.applicant_id].resume_text == "https://linkedin.com/in/anna"


async def test_a_card_held_by_a_live_attempt_is_busy_until_its_lease_runs_out() -> None:
    clock = FakeClock()
    # Given an attempt that died right after creating the applicant
    # (calls: vacancy, stages, search by email, create)
    ats = FakeAts(plan=[Step(), Step(), Step(), Step(fault=Fault.CRASH_AFTER)])
    sut, ledger = create_sut(ats, clock)
    card = create_card("anna@example.com https://linkedin.com/in/anna")
    with pytest.raises(WorkerCrash):
        await sut.transfer(1, card, 1, 101)
    # Then the card is busy while the lease lasts
    with pytest.raises(ServiceBusy):
        await sut.transfer(1, card, 1, 101)
    # and afterwards the retry finds the applicant by email instead of creating another
    clock.advance(LEASE)
    result = await sut.transfer(1, card, 1, 101)
    assert not result.created
    assert list(ats.applicants) == [result.applicant_id]
    record = ledger.records[TransferKey(1, "clickup", "task-1", 1)]
    assert (record.step, record.owner) == (TransferStep.BOUND, None)


async def test_an_applicant_lost_without_contacts_needs_force() -> None:
    clock = FakeClock()
    # Given a card without email or phone whose create timed out after Huntflow applied it
    # (calls: vacancy, stages, create)
    ats = FakeAts(plan=[Step(), Step(), Step(fault=Fault.FAIL_AFTER)])
    sut, _ = create_sut(ats, clock)
    card = create_card()
    with pytest.raises(Exception, match="may be applied"):
        await sut.transfer(1, card, 1, 101)
    # Then a retry does not guess: it asks for a check and force
    with pytest.raises(Conflict, match="with force"):
        await sut.transfer(1, card, 1, 101)
    assert len(ats.applicants) == 1
    # and force creates it, knowingly
    result = await sut.transfer(1, card, 1, 101, force=True)
    assert result.created
    assert len(ats.applicants) == 2
