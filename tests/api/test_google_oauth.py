"""The Google endpoints over HTTP on PostgreSQL, against the fake Google on loopback: the
connect flow (tokens stored sealed, never answered), the sync job (paged events and files,
upserted without duplicates), a revoked refresh token, other users' rows, constant queries."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from dependency_injector import providers
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.adapters._remote import RetryPolicy
from hrhelper.adapters.google.workspace import GoogleWorkspaceClient
from hrhelper.adapters.queue.inprocess import InProcessJobQueue
from hrhelper.domain.identity.model import Role
from hrhelper.settings import Settings
from tests.api.conftest import PASSWORD, Api, create_api
from tests.fakes.google_apis import WEEK_START, FakeGoogle, serve_fake_google
from tests.support.fakes import FakeClock

NOW = WEEK_START + timedelta(days=8)
V1 = "/api/v1/google-oauth"
CALLBACK = "http://testserver.local/api/v1/google-oauth/callback/"


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    with serve_fake_google(FakeGoogle(redirect_uris={CALLBACK})) as fake:
        yield fake


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings],
    postgres_url: str,
    postgres_engine: AsyncEngine,  # empties the database after the test
    google: FakeGoogle,
) -> AsyncIterator[Api]:
    settings = make_settings(
        DATABASE_URL=postgres_url,
        GOOGLE_CLIENT_ID=google.client_id,
        GOOGLE_CLIENT_SECRET=google.client_secret,
        GOOGLE_AUTH_URL=google.auth_url,
        GOOGLE_OAUTH_URL=google.token_url,
        GOOGLE_API_URL=google.url,
    )
    async for value in create_api(settings, clock=FakeClock(NOW)):
        container = value.container
        # small pages, so that a sync reads several of each
        container.google_workspace.override(
            providers.Singleton(
                GoogleWorkspaceClient,
                container.outside_http,
                google.url,
                events_per_page=10,
                files_per_page=40,
                retry=RetryPolicy(attempts=1),  # the job queue retries instead
            )
        )
        yield value


async def connect(api: Api, google: FakeGoogle, role: str = "hr") -> dict[str, Any]:
    """Authorize, follow the consent URL as the browser would, and come back with the code."""
    started = await api.client.get(f"{V1}/authorize/", headers=api.auth(role))
    assert started.status_code == 200, started.text
    body = started.json()
    assert body["redirect_uri"] == CALLBACK
    async with httpx.AsyncClient() as browser:
        consent = await browser.get(body["authorization_url"])
    assert consent.status_code == 302
    location = urlsplit(consent.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    back = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert back["state"] == body["state"]
    # the browser carries no Bearer token back: the signed state names the user
    response = await api.client.get(
        f"{V1}/callback/", params={"code": back["code"], "state": back["state"]}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def sync(api: Api, role: str = "hr", **body: object) -> httpx.Response:
    response = await api.client.post(f"{V1}/sync/", json=body, headers=api.auth(role))
    queue = api.container.job_queue()
    assert isinstance(queue, InProcessJobQueue)
    await api.in_app(queue.drain)
    return response


async def add_second_hr(api: Api) -> None:
    users = api.container.user_service()
    fields = {"email": "hr2@example.com", "role": Role.HR.value, "first_name": "Hal"}
    view = await api.in_app(
        users.create, api.users["admin"], {**fields, "last_name": "R"}, PASSWORD
    )
    api.users["hr2"] = view.user
    api.tokens["hr2"] = await api.sign_in("hr2@example.com")


async def test_connecting_stores_tokens_sealed_and_never_answers_them(
    api: Api, google: FakeGoogle
) -> None:
    answers = []
    # When HR connects their Google account
    connected = await connect(api, google)
    answers.append(str(connected))
    account = connected["account"]
    # Then the answer says the tokens are set, not what they are
    assert connected["success"] is True
    assert account["email"] == google.consenting_email
    assert account["user"] == api.users["hr"].pk
    assert (account["has_access_token"], account["has_refresh_token"]) == (True, True)
    assert account["is_active"] is True
    assert {"https://www.googleapis.com/auth/calendar.readonly"} <= set(account["scopes"])
    for path in (f"{V1}/oauth-accounts/", f"{V1}/oauth-accounts/{account['id']}/"):
        response = await api.client.get(path, headers=api.auth("hr"))
        assert response.status_code == 200
        answers.append(response.text)
    secrets = [*google.access_tokens, *google.refresh_tokens]
    assert len(secrets) == 2
    for text in answers:
        assert '"access_token"' not in text
        assert '"refresh_token"' not in text
        for secret in secrets:
            assert secret not in text
    # and the stored tokens are ciphertexts that open to Google's tokens
    uow = api.container.uow()

    async def stored() -> tuple[str, str | None]:
        async with uow:
            found = await uow.google.account(account["id"], None)
            assert found is not None
            return found.access_token, found.refresh_token

    access, refresh = await api.in_app(stored)
    assert refresh is not None
    assert {access, refresh}.isdisjoint(secrets)
    box = api.container.secret_box()
    assert {box.open(access), box.open(refresh)} == set(secrets)
    # and connecting again updates the same account
    again = await connect(api, google)
    assert again["account"]["id"] == account["id"]


async def test_a_forged_or_missing_state_is_refused(api: Api, google: FakeGoogle) -> None:
    started = (await api.client.get(f"{V1}/authorize/", headers=api.auth("hr"))).json()
    _user_id, issued, nonce, signature = started["state"].split(".")
    forged = f"{api.users['admin'].pk}.{issued}.{nonce}.{signature}"
    for params in ({"code": "4/x", "state": forged}, {"code": "4/x"}, {"error": "access_denied"}):
        response = await api.client.get(f"{V1}/callback/", params=params)
        assert response.status_code == 400, response.text
        assert response.json()["error"] == "ValidationError"
    assert google.calls("/token") == []  # nothing reached Google


async def test_sync_pages_through_events_and_files_without_duplicates(
    api: Api, google: FakeGoogle
) -> None:
    account = (await connect(api, google))["account"]
    # When a sync of both runs
    started = await sync(api, sync_calendar=True, sync_drive=True, oauth_account_id=account["id"])
    assert started.status_code == 202, started.text
    assert started.json()["success"] is True
    assert len(started.json()["job_ids"]) == 1
    # Then events were read as single instances, by start time, in the window, over pages
    reads = google.calls("/calendar/v3/calendars/primary/events")
    assert len(reads) > 1
    first = reads[0].params
    assert (first["singleEvents"], first["orderBy"]) == ("true", "startTime")
    assert first["timeMin"].startswith((NOW - timedelta(days=30)).date().isoformat())
    assert first["timeMax"].startswith((NOW + timedelta(days=90)).date().isoformat())
    assert all("pageToken" in r.params for r in reads[1:])
    assert len(google.calls("/drive/v3/files")) > 1
    expected_events = sum(e.get("weekly_count", 1) for e in google.events)
    expected_files = sorted(f["id"] for f in google.files if not f["trashed"])
    events = await api.client.get(f"{V1}/calendar-events/?page_size=100", headers=api.auth("hr"))
    files = await api.client.get(f"{V1}/drive-files/?page_size=100", headers=api.auth("hr"))
    assert events.json()["count"] == expected_events
    assert files.json()["count"] == len(expected_files)
    ids_before = {e["event_id"]: e["id"] for e in events.json()["results"]}
    # When an event changes in Google, another is deleted, and the sync runs again
    google.events[0]["summary"] = "Interview #0 (moved)"
    google.events.remove(next(e for e in google.events if e["id"] == "offsite"))
    await sync(api, oauth_account_id=account["id"])
    # Then nothing is duplicated, the change is stored in place and the deleted one is gone
    again = await api.client.get(f"{V1}/calendar-events/?page_size=100", headers=api.auth("hr"))
    assert again.json()["count"] == expected_events - 1
    ids_after = {e["event_id"]: e["id"] for e in again.json()["results"]}
    assert ids_after == {k: v for k, v in ids_before.items() if k != "offsite"}
    moved = await api.client.get(
        f"{V1}/calendar-events/{ids_after[google.events[0]['id']]}/", headers=api.auth("hr")
    )
    assert moved.json()["summary"] == "Interview #0 (moved)"
    all_files = []
    for page in (1, 2):
        response = await api.client.get(
            f"{V1}/drive-files/", params={"page": page, "page_size": 100}, headers=api.auth("hr")
        )
        all_files += [f["file_id"] for f in response.json()["results"]]
    assert sorted(all_files) == expected_files
    detail = (
        await api.client.get(f"{V1}/oauth-accounts/{account['id']}/", headers=api.auth("hr"))
    ).json()
    assert detail["last_sync_at"] is not None
    assert detail["sync_error"] is None


async def test_list_filters_and_the_older_endpoints(api: Api, google: FakeGoogle) -> None:
    account = (await connect(api, google))["account"]
    started = await api.client.post("/api/google-oauth/sync/", headers=api.auth("hr"))
    assert started.status_code == 202
    assert started.json() == {"success": True, "message": "Синхронизация запущена"}
    queue = api.container.job_queue()
    assert isinstance(queue, InProcessJobQueue)
    await api.in_app(queue.drain)
    day = (WEEK_START + timedelta(days=3)).date().isoformat()
    legacy = await api.client.get(
        "/api/google-oauth/calendar/",
        params={"start_date": day, "end_date": day},
        headers=api.auth("hr"),
    )
    assert legacy.status_code == 200
    items = legacy.json()
    assert isinstance(items, list)
    # two interviews a day, at 10:00 and 22:00
    assert [i["summary"] for i in items] == ["Interview #6", "Interview #7"]
    assert items[0]["start"]["dateTime"].startswith(f"{day}T10:00:00")
    assert items[0]["attendees"] == [{"email": "candidate6@example.com", "displayName": None}]
    searched = await api.client.get(
        f"{V1}/calendar-events/",
        params={"search": "weekly", "oauth_account": account["id"]},
        headers=api.auth("hr"),
    )
    assert {e["summary"] for e in searched.json()["results"]} == {"Weekly hiring sync"}
    pdfs = await api.client.get(
        f"{V1}/drive-files/",
        params={"mime_type": "application/pdf", "search": "CV 1"},
        headers=api.auth("hr"),
    )
    names = [f["name"] for f in pdfs.json()["results"]]
    assert names
    assert all(n.startswith("CV 1") and n.endswith(".pdf") for n in names)
    filtered = await api.client.get(
        f"{V1}/oauth-accounts/", params={"is_active": "false"}, headers=api.auth("admin")
    )
    assert filtered.json()["count"] == 0
    by_email = await api.client.get(
        f"{V1}/oauth-accounts/",
        params={"email": google.consenting_email, "user": api.users["hr"].pk},
        headers=api.auth("admin"),
    )
    assert [a["id"] for a in by_email.json()["results"]] == [account["id"]]


async def test_a_revoked_refresh_token_makes_the_account_inactive(
    api: Api, google: FakeGoogle
) -> None:
    account = (await connect(api, google))["account"]
    # Given the person removed the app's access in Google
    google.revoke_refresh_tokens()
    google.expire_access_tokens()
    # When a sync runs
    started = await sync(api, oauth_account_id=account["id"])
    assert started.status_code == 202
    # Then the account is inactive and says to connect again
    detail = (
        await api.client.get(f"{V1}/oauth-accounts/{account['id']}/", headers=api.auth("hr"))
    ).json()
    assert detail["is_active"] is False
    assert "Connect the Google account again" in detail["sync_error"]
    assert detail["last_sync_at"] is None
    # and asking to sync it is a clear 400
    refused = await sync(api, oauth_account_id=account["id"])
    body = refused.json()
    assert refused.status_code == 400
    assert set(body) == {"error", "message", "details"}
    assert "inactive" in body["message"]
    assert "Connect the Google account again" in body["message"]
    nothing = await sync(api)
    assert nothing.status_code == 400
    assert "No active Google account" in nothing.json()["message"]


async def test_an_outage_is_retried_by_the_queue_and_recorded_until_a_sync_succeeds(
    api: Api, google: FakeGoogle
) -> None:
    account = (await connect(api, google))["account"]
    url = f"{V1}/oauth-accounts/{account['id']}/"
    # Given the Calendar API fails every attempt of the job (one and three retries)
    google.fail_next("/calendar/", 503, times=4)
    await sync(api, oauth_account_id=account["id"], sync_drive=False)
    assert len(google.calls("/calendar/")) == 4
    failed = (await api.client.get(url, headers=api.auth("hr"))).json()
    # Then the account stays active and says why the last sync failed
    assert failed["is_active"] is True
    assert failed["sync_error"]
    assert failed["last_sync_at"] is None
    # When the API is back, the next sync clears the error
    await sync(api, oauth_account_id=account["id"], sync_drive=False)
    recovered = (await api.client.get(url, headers=api.auth("hr"))).json()
    assert recovered["sync_error"] is None
    assert recovered["last_sync_at"] is not None


async def test_a_refreshed_access_token_is_stored_for_the_next_sync(
    api: Api, google: FakeGoogle
) -> None:
    account = (await connect(api, google))["account"]
    google.expire_access_tokens()
    await sync(api, oauth_account_id=account["id"], sync_drive=False)
    assert len(google.calls("/token")) == 2  # the exchange and one refresh
    await sync(api, oauth_account_id=account["id"], sync_drive=False)
    assert len(google.calls("/token")) == 2  # the stored new token was used


async def test_other_users_accounts_events_and_files_are_not_found(
    api: Api, google: FakeGoogle
) -> None:
    account = (await connect(api, google))["account"]
    await sync(api, oauth_account_id=account["id"])
    await add_second_hr(api)
    event_id = (await api.client.get(f"{V1}/calendar-events/", headers=api.auth("hr"))).json()[
        "results"
    ][0]["id"]
    file_id = (await api.client.get(f"{V1}/drive-files/", headers=api.auth("hr"))).json()[
        "results"
    ][0]["id"]
    for path in (
        f"{V1}/oauth-accounts/{account['id']}/",
        f"{V1}/calendar-events/{event_id}/",
        f"{V1}/drive-files/{file_id}/",
    ):
        assert (await api.client.get(path, headers=api.auth("hr"))).status_code == 200
        assert (await api.client.get(path, headers=api.auth("admin"))).status_code == 200
        hidden = await api.client.get(path, headers=api.auth("hr2"))
        assert hidden.status_code == 404
        assert set(hidden.json()) == {"error", "message", "details"}
    for path in ("oauth-accounts", "calendar-events", "drive-files"):
        listed = await api.client.get(f"{V1}/{path}/", headers=api.auth("hr2"))
        assert listed.json()["count"] == 0
    legacy = await api.client.get("/api/google-oauth/calendar/", headers=api.auth("hr2"))
    assert legacy.json() == []
    other = await sync(api, "hr2", oauth_account_id=account["id"])
    assert other.status_code == 404
    by_account = await api.client.get(
        f"{V1}/calendar-events/", params={"oauth_account": account["id"]}, headers=api.auth("hr2")
    )
    assert by_account.json()["count"] == 0


async def test_lists_take_the_same_number_of_queries_whatever_their_size(
    api: Api, google: FakeGoogle
) -> None:
    account = (await connect(api, google))["account"]
    await sync(api, oauth_account_id=account["id"])
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = api.container.engine().sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for path in ("calendar-events", "drive-files", "oauth-accounts"):
            sizes = []
            for page_size in (1, 100):
                statements.clear()
                response = await api.client.get(
                    f"{V1}/{path}/", params={"page_size": page_size}, headers=api.auth("hr")
                )
                assert response.status_code == 200
                assert len(response.json()["results"]) == min(page_size, response.json()["count"])
                sizes.append(len(statements))
            assert sizes[0] == sizes[1], path
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_files_drive_no_longer_lists_are_forgotten(api: Api, google: FakeGoogle) -> None:
    account = (await connect(api, google))["account"]
    await sync(api, sync_calendar=False, sync_drive=True, oauth_account_id=account["id"])

    async def stored() -> set[str]:
        response = await api.client.get(f"{V1}/drive-files/?page_size=100", headers=api.auth("hr"))
        ids = {f["file_id"] for f in response.json()["results"]}
        response = await api.client.get(
            f"{V1}/drive-files/?page_size=100&page=2", headers=api.auth("hr")
        )
        return ids | {f["file_id"] for f in response.json()["results"]}

    listed = {f["id"] for f in google.files if not f["trashed"]}
    assert await stored() == listed
    # When one file is deleted in Drive and another trashed, and the sync runs again
    google.files.remove(next(f for f in google.files if f["id"] == "file010"))
    next(f for f in google.files if f["id"] == "file020")["trashed"] = True
    await sync(api, sync_calendar=False, sync_drive=True, oauth_account_id=account["id"])
    # Then both are gone from hrhelper too, and the rest stays
    assert await stored() == listed - {"file010", "file020"}

    # When the listing is cut by the limit (the 100 newest files), a newer file deleted in
    # Drive is forgotten, but an older one, which the cut listing says nothing about, is kept
    api.container.google_sync.add_kwargs(file_limit=100)
    for gone in ("file140", "file001"):
        google.files.remove(next(f for f in google.files if f["id"] == gone))
    await sync(api, sync_calendar=False, sync_drive=True, oauth_account_id=account["id"])
    assert await stored() == listed - {"file010", "file020", "file140"}
