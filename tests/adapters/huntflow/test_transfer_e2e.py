"""A candidate card transferred through the real Huntflow client into the fake Huntflow on
loopback: upload with parsing, the applicant, the comment, the vacancy, and exactly once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from hrhelper.adapters.huntflow.client import HuntflowClient
from hrhelper.adapters.huntflow.limiter import TokenBucketLimiter
from hrhelper.adapters.huntflow.tokens import InMemoryTokenStore
from hrhelper.adapters.persistence.memory.transfers import MemoryTransferLedger
from hrhelper.adapters.system.clock import SystemClock
from hrhelper.domain.errors import Conflict, NotFound
from hrhelper.domain.recruiting.card import Attachment, CandidateCard, CardComment, CardSource
from hrhelper.domain.recruiting.transfer import TransferService
from hrhelper.ports.ats import AtsTokens
from tests.fakes import huntflow as fake_huntflow
from tests.fakes.huntflow import FakeHuntflow
from tests.support.ats import FakeConnector, FakeFiles

huntflow_server = fake_huntflow.huntflow_server

CV = "Olga Sidorova\nPython developer\nolga@example.com\n+375 29 765-43-21\n"
CARD = CandidateCard(
    source=CardSource.NOTION,
    source_id="page-1",
    source_url="https://www.notion.so/page-1",
    title="Сидорова Ольга Игоревна",
    description="<p>Strong <b>backend</b> developer.</p><p>Зарплата: 3000$</p>",
    status="Screening",
    custom_fields={"Telegram": "@olga_dev"},
    attachments=(Attachment("olga.pdf", "https://files.test/olga.pdf", "application/pdf"),),
    comments=(
        CardComment("Interviewer", "Good <i>SQL</i>", datetime(2026, 5, 2, 14, 30, tzinfo=UTC)),
        CardComment("Recruiter", "First call done", datetime(2026, 5, 1, 9, 5, tzinfo=UTC)),
    ),
)


@pytest.fixture
async def sut(huntflow_server: FakeHuntflow) -> AsyncIterator[TransferService]:
    access, refresh = huntflow_server.issue_tokens()
    async with httpx.AsyncClient() as http:
        client = HuntflowClient(
            http,
            huntflow_server.url,
            InMemoryTokenStore(AtsTokens(access, refresh)),
            TokenBucketLimiter(rate=1000, burst=1000),
            user_agent="hrhelper-tests/1.0",
            backoff_s=0.01,
        )
        files = FakeFiles({"https://files.test/olga.pdf": CV.encode()})
        yield TransferService(FakeConnector(client), MemoryTransferLedger(), files, SystemClock())


async def test_a_card_becomes_one_applicant_on_the_vacancy(
    sut: TransferService, huntflow_server: FakeHuntflow
) -> None:
    # When the card is transferred
    result = await sut.transfer(1, CARD, 1, 101)
    # Then the resume was uploaded with parsing and the applicant created from the card
    (upload,) = huntflow_server.requests("POST", "/accounts/1/upload")
    assert upload.headers["x-file-parse"] == "true"
    applicant = huntflow_server.applicants[result.applicant_id]
    assert (applicant["last_name"], applicant["first_name"], applicant["middle_name"]) == (
        "Сидорова",
        "Ольга",
        "Игоревна",
    )
    assert (applicant["email"], applicant["phone"]) == ("olga@example.com", "+375297654321")
    assert applicant["money"] == "3000 USD"
    assert applicant["social"][0]["value"] == "olga_dev"
    assert applicant["externals"][0]["data"]["body"] == CV
    assert applicant["externals"][0]["files"] == [result.file_id]
    assert result.created
    # and it is on the vacancy at the first ordinary stage, with the comment
    link = huntflow_server.links[result.applicant_id][101]
    assert link["status"] == result.status_id == 11
    (entry,) = [e for e in huntflow_server.log if e["applicant"] == result.applicant_id]
    assert entry["comment"] == (
        "Source: Notion — https://www.notion.so/page-1\n"
        "Status: Screening\n"
        "\n"
        "Strong backend developer.\n"
        "Зарплата: 3000$\n"
        "\n"
        "Comments:\n"
        "[2026-05-01 09:05] Recruiter: First call done\n"
        "[2026-05-02 14:30] Interviewer: Good SQL"
    )
    # When it is transferred again
    with pytest.raises(Conflict) as raised:
        await sut.transfer(1, CARD, 1, 101)
    # Then the answer names the applicant and nothing new reached Huntflow
    assert raised.value.details["applicant_id"] == result.applicant_id
    assert len(huntflow_server.requests("POST", "/accounts/1/applicants")) == 1
    assert len(huntflow_server.requests("POST", "/accounts/1/upload")) == 1


async def test_a_known_person_is_linked_not_duplicated(
    sut: TransferService, huntflow_server: FakeHuntflow
) -> None:
    # Given Ivan Petrov is already in Huntflow (seeded), and a card with his email and no PDF
    card = CandidateCard(
        source=CardSource.CLICKUP,
        source_id="task-9",
        source_url="https://app.clickup.com/t/task-9",
        title="Ivan Petrov — Java developer",
        description="IVAN@example.com https://linkedin.com/in/ivan-petrov",
        rejected=True,
    )
    before = set(huntflow_server.applicants)
    result = await sut.transfer(1, card, 1, 102)
    # Then he is linked, put on the vacancy at the rejection stage with a reason
    assert not result.created
    assert set(huntflow_server.applicants) == before
    assert huntflow_server.applicants[result.applicant_id]["email"] == "ivan@example.com"
    link = huntflow_server.links[result.applicant_id][102]
    assert (link["status"], link["rejection_reason"]) == (14, 21)
    assert huntflow_server.requests("POST", "/accounts/1/upload") == []
    # and force transfers him again (to another vacancy), still without a duplicate
    again = await sut.transfer(1, card, 1, 103, force=True)
    assert again.applicant_id == result.applicant_id
    assert set(huntflow_server.links[result.applicant_id]) == {102, 103}


async def test_a_missing_vacancy_stops_before_anything_is_created(
    sut: TransferService, huntflow_server: FakeHuntflow
) -> None:
    with pytest.raises(NotFound, match="vacancy"):
        await sut.transfer(1, CARD, 1, 99999)
    assert huntflow_server.requests("POST") == []
    # and the card can be transferred once the vacancy is right
    assert (await sut.transfer(1, CARD, 1, 101)).created
