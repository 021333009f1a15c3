"""Exactly once: for any interleaving of concurrent workers, failures and crashes between
steps, and retries, each card yields at most one applicant, and every card whose transfer
succeeded is on its vacancy (in-memory ledger, a scripted in-memory ATS)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrhelper.adapters.persistence.memory.transfers import MemoryTransferLedger
from hrhelper.domain.errors import Conflict, DomainError
from hrhelper.domain.recruiting.card import Attachment, CandidateCard, CardSource
from hrhelper.domain.recruiting.transfer import TransferResult, TransferService
from hrhelper.ports.transfers import TransferKey, TransferStep
from tests.support.ats import FakeAts, FakeConnector, FakeFiles, Fault, Step, WorkerCrash
from tests.support.fakes import FakeClock

USER, ACCOUNT, VACANCY, NEW_STAGE = 7, 1, 101, 11
LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class CardShape:
    email: bool
    phone: bool
    pdf: bool


def create_card(index: int, shape: CardShape) -> CandidateCard:
    lines = ["Backend developer."]
    if shape.email:
        lines.append(f"Email: card{index}@example.com")
    if shape.phone:
        lines.append(f"Тел.: +375 29 111-22-3{index}")
    attachments: tuple[Attachment, ...] = ()
    if shape.pdf:
        attachments = (Attachment("cv.pdf", f"https://files.test/{index}.pdf", "application/pdf"),)
    else:
        lines.append(f"https://www.linkedin.com/in/card-{index}")
    return CandidateCard(
        source=CardSource.CLICKUP,
        source_id=f"task-{index}",
        source_url=f"https://app.clickup.com/t/task-{index}",
        title=f"Last{index} First{index}",
        description="<p>" + "</p><p>".join(lines) + "</p>",
        attachments=attachments,
    )


shapes = st.builds(CardShape, st.booleans(), st.booleans(), st.booleans())
steps = st.builds(
    Step,
    pauses=st.integers(0, 3),
    fault=st.sampled_from(list(Fault)) | st.just(Fault.NONE),
)
rounds = st.lists(st.lists(st.integers(0, 2), min_size=1, max_size=5), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    card_shapes=st.lists(shapes, min_size=1, max_size=3),
    plan=st.lists(steps, max_size=60),
    worker_rounds=rounds,
)
def test_each_card_yields_at_most_one_applicant_and_successes_are_bound(
    card_shapes: list[CardShape], plan: list[Step], worker_rounds: list[list[int]]
) -> None:
    asyncio.run(_scenario(card_shapes, plan, worker_rounds))


async def _scenario(
    card_shapes: list[CardShape], plan: list[Step], worker_rounds: list[list[int]]
) -> None:
    cards = [create_card(i, shape) for i, shape in enumerate(card_shapes)]
    ats = FakeAts(plan=list(plan))
    ledger = MemoryTransferLedger()
    clock = FakeClock()
    files = FakeFiles({f"https://files.test/{i}.pdf": f"CV of card {i}".encode() for i in range(3)})
    sut = TransferService(FakeConnector(ats), ledger, files, clock, lease=LEASE)
    successes: dict[int, list[TransferResult]] = defaultdict(list)
    conflicts: dict[int, list[Conflict]] = defaultdict(list)

    async def attempt(index: int) -> None:
        try:
            successes[index].append(await sut.transfer(USER, cards[index], ACCOUNT, VACANCY))
        except Conflict as conflict:
            conflicts[index].append(conflict)
        except (DomainError, WorkerCrash):
            pass  # a failed or crashed attempt; a later round retries

    # Given rounds of concurrent workers meeting the scripted failures and crashes
    for workers in worker_rounds:
        await asyncio.gather(*(attempt(i % len(cards)) for i in workers))
        clock.advance(LEASE + timedelta(seconds=1))  # crashed workers' claims run out
    # When every card is retried once more with Huntflow healthy
    ats.plan.clear()
    for index in range(len(cards)):
        await attempt(index)

    for index, card in enumerate(cards):
        created = ats.applicants_named(f"Last{index}")
        # Then no card has more than one applicant
        assert len(created) <= 1, (index, created)
        record = await ledger.get(TransferKey(USER, "clickup", card.source_id, ACCOUNT))
        # and a card with an email or a phone to look it up by always gets through
        if card_shapes[index].email or card_shapes[index].phone:
            assert successes[index], index
        if not successes[index]:
            continue
        # and every success names the one applicant, which is on the vacancy at "New"
        (applicant_id,) = {result.applicant_id for result in successes[index]}
        assert created == [applicant_id]
        assert ats.links[applicant_id][VACANCY].status_id == NEW_STAGE
        assert record is not None
        assert (record.step, record.applicant_id, record.vacancy_id) == (
            TransferStep.BOUND,
            applicant_id,
            VACANCY,
        )
        # and a repeated transfer answers Conflict naming that applicant
        named = {c.details.get("applicant_id") for c in conflicts[index]} - {None}
        assert named <= {applicant_id}
