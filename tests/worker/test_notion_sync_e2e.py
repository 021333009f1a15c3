"""Notion syncs end to end: queued on the real Redis as the endpoint and the scheduler's sweep
do, run by a real ``hrhelper worker`` process that reads the fake Notion with the user's
token (cursor paging, a 429 with Retry-After, about 3 requests/s shared through Redis) and
stores the pages and the logs in PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import redis

from hrhelper.container import Container
from hrhelper.domain.identity.users import UserChanges
from hrhelper.domain.recruiting.notion_model import PageListQuery
from hrhelper.domain.recruiting.notion_service import NotionSettingsInput
from hrhelper.domain.recruiting.sync_log import SyncLog, SyncStatus
from hrhelper.entrypoints.jobs import NOTION_AUTO_SYNC_JOB
from tests.fakes.notion import block, prop, serve_fake_notion
from tests.worker.conftest import StartWorker
from tests.worker.worker_process import eventually

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
PAGES = 101  # one more than Notion's largest batch: the query goes on with a cursor


async def test_the_worker_syncs_a_database_then_only_what_changed(
    container: Container, worker_env: dict[str, str], start_worker: StartWorker, redis_url: str
) -> None:
    with serve_fake_notion() as fake:
        # Given an HR user's token and auto-synced settings, and 101 pages in the database
        fake.rate_limit = True  # more than 3 requests/s per token → 429 Retry-After: 1
        token = fake.issue_token()
        users = container.user_service()
        admin = await users.create_superuser("admin@example.com", "Passw0rd-for-tests")
        await users.update(admin, admin.pk, UserChanges({"notion_integration_token": token}))
        database_id = fake.add_database()
        ids = [
            fake.add_page(
                database_id,
                {"Name": prop.title(f"Candidate {n}")},
                blocks=[block("paragraph", f"CV of candidate {n}")],
                created=T0 + timedelta(seconds=n),
            )
            for n in range(PAGES)
        ]
        notion = container.notion_service()
        settings = NotionSettingsInput(database_id, auto_sync=True, sync_interval=5)
        await notion.save_settings(admin.pk, settings)
        # and Notion answers the first query with a 429 asking to wait a second
        fake.fail_next(
            f"/databases/{database_id}/query",
            429,
            code="rate_limited",
            headers={"Retry-After": "1"},
        )
        worker = start_worker({**worker_env, "NOTION_API_URL": fake.url})

        # When a sync is queued as the endpoint does
        queued = await notion.start_sync(admin.pk)

        # Then the worker finishes it with every page cached, their bodies read once
        async def finished(count: int) -> SyncLog | None:
            total, logs = await notion.sync_logs(admin.pk, 0, 10)
            done = [log for log in logs if log.status.finished]
            return logs[0] if total == count and len(done) == count else None

        log = await eventually(lambda: finished(1), "the first sync", within=90, worker=worker)
        assert (log.id, log.status, log.processed, log.created) == (
            queued.id,
            SyncStatus.SUCCESS,
            PAGES,
            PAGES,
        )
        count, pages = await notion.pages(admin.pk, PageListQuery(limit=100))
        assert count == PAGES
        assert {p.content for p in pages} >= {"CV of candidate 0"}
        queries = fake.requests("POST")
        cursors = [q.json.get("start_cursor") for q in queries]
        assert cursors[:2] == [None, None]  # asked again after the 429
        assert list(dict.fromkeys(cursors)) == [None, ids[100]]  # then on with the cursor
        # the 429 was honoured: the query was asked again only after Retry-After
        assert queries[1].at - queries[0].at >= 1.0
        # every body was read (a read the fake's strict 3/s turned away was asked again)
        read = {e.path for e in fake.requests("GET")}
        assert read == {f"/v1/blocks/{page_id}/children" for page_id in ids}
        assert {e.headers.get("authorization") for e in fake.requests()} == {f"Bearer {token}"}
        # paced by the limiter the workers share through Redis
        client = redis.Redis.from_url(redis_url)
        try:
            digest = hashlib.sha256(token.encode()).hexdigest()[:32]
            assert client.exists(f"hrhelper:notion:rate:token:{digest}") == 1
        finally:
            client.close()

        # When one page is edited and one added, and the scheduler's sweep runs
        fake.journal.clear()
        fake.edit_page(ids[7], T0 + timedelta(days=1), Name=prop.title("Candidate 7 (offer)"))
        new = fake.add_page(
            database_id, {"Name": prop.title("Newcomer")}, edited=T0 + timedelta(days=1)
        )
        await container.job_queue().enqueue(NOTION_AUTO_SYNC_JOB, {})

        # Then a second sync was queued and read only those two pages' bodies
        log = await eventually(lambda: finished(2), "the auto sync", within=30, worker=worker)
        assert (log.status, log.created, log.updated) == (SyncStatus.SUCCESS, 1, 1)
        read = {e.path for e in fake.requests("GET")}
        assert read == {f"/v1/blocks/{ids[7]}/children", f"/v1/blocks/{new}/children"}
        edited = await notion.page(admin.pk, ids[7])
        assert edited.title == "Candidate 7 (offer)"
        assert worker.stop(timeout=15) == 0
