"""Google OAuth, Calendar and Drive adapters against the fake Google over real HTTP: consent,
code exchange, refresh, revocation, paging, one refresh per 401, retries, and secrets kept
out of messages and logs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import structlog

from hrhelper.adapters._remote import RetryPolicy
from hrhelper.adapters.google.access import RefreshingAccess
from hrhelper.adapters.google.id_tokens import GoogleIdTokenVerifier
from hrhelper.adapters.google.oauth import GoogleOAuthClient
from hrhelper.adapters.google.workspace import GoogleWorkspaceClient
from hrhelper.domain.errors import (
    DomainError,
    InvalidInput,
    OutsideServiceError,
    OutsideServiceUnavailable,
)
from hrhelper.ports.google import (
    CALENDAR_READONLY,
    DRIVE_READONLY,
    GoogleAccessRevoked,
    GoogleTokens,
)
from tests.fakes import google_apis as fake_google
from tests.fakes.google_apis import WEEK_START, FakeGoogle

google_server = fake_google.google_server

REDIRECT = "http://testserver.local/cb"
FAST = RetryPolicy(attempts=3, backoff_s=0.01, max_backoff_s=0.05, max_wait_s=2.0)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ONE_WEEK = (WEEK_START, WEEK_START + timedelta(days=7))


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def create_oauth(fake: FakeGoogle, http: httpx.AsyncClient, **options: Any) -> GoogleOAuthClient:
    settings = {
        "auth_url": fake.auth_url,
        "token_url": fake.token_url,
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "retry": FAST,
        "clock": lambda: NOW,
        **options,
    }
    return GoogleOAuthClient(http, **settings)


def create_workspace(
    fake: FakeGoogle, http: httpx.AsyncClient, **options: Any
) -> GoogleWorkspaceClient:
    return GoogleWorkspaceClient(http, fake.url, **{"retry": FAST, **options})


def create_access(
    fake: FakeGoogle, http: httpx.AsyncClient, stored: list[GoogleTokens] | None = None
) -> RefreshingAccess:
    access, refresh = fake.issue_tokens()
    tokens = GoogleTokens(access, refresh, expires_at=None, email=fake.consenting_email)

    async def keep(fresh: GoogleTokens) -> None:
        if stored is not None:
            stored.append(fresh)

    return RefreshingAccess(create_oauth(fake, http), tokens, on_refresh=keep, clock=lambda: NOW)


async def consent(fake: FakeGoogle, http: httpx.AsyncClient, url: str) -> dict[str, str]:
    """Follow the consent URL as the browser would; the redirect's query parameters."""
    response = await http.get(url)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


# -- OAuth -------------------------------------------------------------------------------


async def test_consent_url_asks_for_read_only_calendar_and_drive_offline(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    sut = create_oauth(google_server, http)
    url = sut.consent_url("st4te-xyz", REDIRECT, login_hint="hr@example.com")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(google_server.auth_url + "?")
    assert query["state"] == "st4te-xyz"
    assert query["access_type"] == "offline"
    assert query["prompt"] == "consent"
    assert query["response_type"] == "code"
    assert query["client_id"] == google_server.client_id
    assert query["login_hint"] == "hr@example.com"
    assert {CALENDAR_READONLY, DRIVE_READONLY, "email"} <= set(query["scope"].split())
    back = await consent(google_server, http, url)
    assert back["state"] == "st4te-xyz"
    assert back["code"]


async def test_exchanging_a_code_gives_tokens_with_email_and_refresh_token(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    sut = create_oauth(google_server, http)
    code = (await consent(google_server, http, sut.consent_url("s", REDIRECT)))["code"]
    tokens = await sut.exchange_code(code, REDIRECT)
    assert tokens.access_token in google_server.access_tokens
    assert tokens.refresh_token in google_server.refresh_tokens
    assert tokens.email == google_server.consenting_email
    assert tokens.subject == f"sub-{google_server.consenting_email}"
    assert tokens.expires_at == NOW + timedelta(seconds=3599)
    assert {CALENDAR_READONLY, DRIVE_READONLY} <= set(tokens.scopes)
    (call,) = google_server.calls("/token")
    assert call.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert call.form["grant_type"] == "authorization_code"
    assert call.form["redirect_uri"] == REDIRECT
    assert "access_token" not in repr(tokens)
    assert tokens.access_token not in repr(tokens)


async def test_a_used_code_is_an_input_error(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    sut = create_oauth(google_server, http)
    code = (await consent(google_server, http, sut.consent_url("s", REDIRECT)))["code"]
    await sut.exchange_code(code, REDIRECT)
    with pytest.raises(InvalidInput, match="invalid, used or expired"):
        await sut.exchange_code(code, REDIRECT)


async def test_a_wrong_client_secret_names_the_settings(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    sut = create_oauth(google_server, http, client_secret="wrong")
    with pytest.raises(OutsideServiceError, match="GOOGLE_CLIENT_SECRET"):
        await sut.refresh("1//anything")


async def test_without_client_settings_nothing_is_sent(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    sut = create_oauth(google_server, http, client_id="")
    with pytest.raises(OutsideServiceError, match="GOOGLE_CLIENT_ID"):
        sut.consent_url("s", REDIRECT)
    with pytest.raises(OutsideServiceError, match="not configured"):
        await sut.exchange_code("c", REDIRECT)
    assert google_server.calls() == []


async def test_refresh_gives_a_new_access_token_and_revocation_is_clear(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    sut = create_oauth(google_server, http)
    _, refresh = google_server.issue_tokens()
    fresh = await sut.refresh(refresh)
    assert fresh.access_token in google_server.access_tokens
    assert fresh.refresh_token is None  # Google keeps the old one valid
    google_server.revoke_refresh_tokens()
    with pytest.raises(GoogleAccessRevoked, match="Connect the Google account again"):
        await sut.refresh(refresh)


async def test_token_endpoint_outage_is_retried_for_a_refresh(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    _, refresh = google_server.issue_tokens()
    google_server.fail_next("/token", 503, times=2)
    fresh = await create_oauth(google_server, http).refresh(refresh)
    assert fresh.access_token
    assert len(google_server.calls("/token")) == 3


# -- Calendar ----------------------------------------------------------------------------


async def test_calendar_paging_returns_every_event_once_in_start_order(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    # Given short pages of at most 7 events
    google_server.short_pages = True
    sut = create_workspace(google_server, http, events_per_page=7)
    # When one week is read
    events = await sut.calendar_events(create_access(google_server, http), *ONE_WEEK)
    # Then the weekly sync's one instance and the 14 interviews of the week came, once each
    ids = [e.id for e in events]
    assert ids == ["weekly_20261102T090000Z"] + [f"interview{i:02d}" for i in range(14)]
    starts = [e.start for e in events]
    assert starts == sorted(starts)
    calls = google_server.calls("/calendar/v3/calendars/primary/events")
    assert len(calls) == 5  # 15 events, 3 a page (half of 7)
    for index, call in enumerate(calls):
        assert call.params["singleEvents"] == "true"
        assert call.params["orderBy"] == "startTime"
        assert call.params["timeMin"] == "2026-11-02T00:00:00+00:00"
        assert call.params["timeMax"] == "2026-11-09T00:00:00+00:00"
        assert ("pageToken" in call.params) is (index > 0)


async def test_calendar_event_fields(google_server: FakeGoogle, http: httpx.AsyncClient) -> None:
    sut = create_workspace(google_server, http)
    window = (datetime(2026, 11, 10, tzinfo=UTC), datetime(2026, 11, 10, 12, tzinfo=UTC))
    events = await sut.calendar_events(create_access(google_server, http), *window)
    by_id = {e.id: e for e in events}
    offsite = by_id["offsite"]
    assert offsite.all_day
    assert offsite.start == datetime(2026, 11, 10, tzinfo=UTC)
    assert offsite.end == datetime(2026, 11, 11, tzinfo=UTC)
    interview = by_id["interview16"]  # 8 days and 10 hours after WEEK_START
    assert interview.start == datetime(2026, 11, 10, 10, tzinfo=UTC)
    assert interview.summary == "Interview #16"
    assert interview.meet_link == "https://meet.google.com/aaa-0016"
    assert [a.email for a in interview.attendees] == ["candidate16@example.com"]
    assert interview.attendees[0].response_status == "accepted"


async def test_search_and_naive_times(google_server: FakeGoogle, http: httpx.AsyncClient) -> None:
    sut = create_workspace(google_server, http)
    access = create_access(google_server, http)
    found = await sut.calendar_events(access, *ONE_WEEK, query="hiring")
    assert [e.recurring_event_id for e in found] == ["weekly"]
    with pytest.raises(ValueError, match="time zone"):
        await sut.calendar_events(access, datetime(2026, 11, 2), datetime(2026, 11, 3))


async def test_a_401_refreshes_once_and_repeats_the_request(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    # Given an account whose access token has expired on Google's side
    stored: list[GoogleTokens] = []
    access = create_access(google_server, http, stored)
    old = await access.access_token()
    google_server.expire_access_tokens()
    sut = create_workspace(google_server, http)
    # When events are read, twice
    first = await sut.calendar_events(access, *ONE_WEEK)
    second = await sut.calendar_events(access, *ONE_WEEK)
    # Then one refresh happened, its tokens were handed over for storing, and the read
    # that got the 401 was repeated once with the new token
    assert len(first) == len(second) == 15
    refreshes = [
        c for c in google_server.calls("/token") if c.form["grant_type"] == "refresh_token"
    ]
    assert len(refreshes) == 1
    assert len(stored) == 1
    assert stored[0].access_token != old
    assert stored[0].refresh_token == refreshes[0].form["refresh_token"]  # the old one kept
    reads = google_server.calls("/calendar/")
    assert [r.headers["authorization"] == f"Bearer {old}" for r in reads] == [
        True,
        False,
        False,
    ]


async def test_concurrent_401s_share_one_refresh(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    access = create_access(google_server, http)
    google_server.expire_access_tokens()
    sut = create_workspace(google_server, http)
    results = await asyncio.gather(*(sut.calendar_events(access, *ONE_WEEK) for _ in range(4)))
    assert all(len(events) == 15 for events in results)
    assert len(google_server.calls("/token")) == 1


async def test_a_token_known_to_be_expired_is_refreshed_before_use(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    access_token, refresh = google_server.issue_tokens()
    expired = GoogleTokens(access_token, refresh, expires_at=datetime(2020, 1, 1, tzinfo=UTC))
    access = RefreshingAccess(create_oauth(google_server, http), expired, clock=lambda: NOW)
    await create_workspace(google_server, http).calendar_events(access, *ONE_WEEK)
    reads = google_server.calls("/calendar/")
    assert len(reads) == 1  # no 401 was needed
    assert reads[0].headers["authorization"] != f"Bearer {access_token}"
    assert access.tokens.refresh_token == refresh


async def test_a_revoked_account_is_a_revoked_error(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    access = create_access(google_server, http)
    google_server.expire_access_tokens()
    google_server.revoke_refresh_tokens()
    with pytest.raises(GoogleAccessRevoked):
        await create_workspace(google_server, http).calendar_events(access, *ONE_WEEK)


async def test_rate_limits_and_outages_are_retried(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    sut = create_workspace(google_server, http)
    access = create_access(google_server, http)
    google_server.fail_next("/calendar/", 403, reason="rateLimitExceeded")
    google_server.fail_next("/calendar/", 503)
    assert len(await sut.calendar_events(access, *ONE_WEEK)) == 15
    assert len(google_server.calls("/calendar/")) == 3
    google_server.fail_next("/calendar/", 503, times=3)
    with pytest.raises(OutsideServiceUnavailable, match="HTTP 503"):
        await sut.calendar_events(access, *ONE_WEEK)


async def test_a_missing_permission_says_to_connect_again(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    google_server.granted_scopes = ("openid", "email", CALENDAR_READONLY)  # Drive unticked
    sut = create_workspace(google_server, http)
    with pytest.raises(OutsideServiceError, match="allow read access") as caught:
        await sut.drive_files(create_access(google_server, http))
    assert caught.value.details["reason"] == "insufficientPermissions"


# -- Drive -------------------------------------------------------------------------------


async def test_drive_paging_returns_every_file_once(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    google_server.short_pages = True
    sut = create_workspace(google_server, http, files_per_page=20)
    files = await sut.drive_files(create_access(google_server, http))
    expected = {f["id"] for f in google_server.files if not f["trashed"]}
    assert len(files) == len(expected) == 135
    assert {f.id for f in files} == expected
    modified = [f.modified_time for f in files]
    assert modified == sorted(modified, reverse=True)
    calls = google_server.calls("/drive/v3/files")
    assert len(calls) == 14  # 10 a page
    assert all(c.params["q"] == "trashed = false" for c in calls)
    assert "nextPageToken" in calls[0].params["fields"]


async def test_drive_file_fields_and_filters(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    google_server.files.append(
        {
            "id": "obrien",
            "name": "O'Brien CV.pdf",
            "mimeType": "application/pdf",
            "size": "2048",
            "createdTime": WEEK_START,
            "modifiedTime": WEEK_START,
            "parents": ["root"],
            "trashed": False,
            "owners": [{"emailAddress": "hr@example.com"}],
            "webViewLink": "https://drive.google.com/file/d/obrien/view",
        }
    )
    sut = create_workspace(google_server, http)
    access = create_access(google_server, http)
    (found,) = await sut.drive_files(access, name_contains="o'brien")
    assert (found.id, found.name, found.size, found.owners) == (
        "obrien",
        "O'Brien CV.pdf",
        2048,
        ("hr@example.com",),
    )
    assert found.web_view_link == "https://drive.google.com/file/d/obrien/view"
    assert found.modified_time == WEEK_START
    docs = await sut.drive_files(access, mime_type="application/vnd.google-apps.document")
    assert docs
    assert all(d.mime_type.endswith(".document") and d.size is None for d in docs)
    assert len(await sut.drive_files(access, limit=7)) == 7


async def test_secrets_never_reach_messages_or_logs(
    google_server: FakeGoogle, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[DomainError] = []
    with structlog.testing.capture_logs() as events:
        access = create_access(google_server, http)
        google_server.expire_access_tokens()
        sut = create_workspace(google_server, http)
        await sut.calendar_events(access, *ONE_WEEK)
        google_server.fail_next("/drive/", 503, times=3)
        google_server.expire_access_tokens()
        google_server.revoke_refresh_tokens()
        oauth = create_oauth(google_server, http)
        for call in (
            sut.drive_files(access),
            sut.calendar_events(access, *ONE_WEEK),
            oauth.exchange_code("4/unknown", REDIRECT),
        ):
            try:
                await call
            except DomainError as error:
                errors.append(error)
    assert len(errors) == 3
    assert events
    secrets = {google_server.client_secret, *google_server.access_tokens}
    secrets |= {c.form.get("refresh_token", "") for c in google_server.calls("/token")} - {""}
    texts = [caplog.text, repr(access.tokens), *map(str, events)]
    texts += [f"{e!s} {e.details} {e.__cause__!s}" for e in errors]
    assert not [(s, t) for s in secrets for t in texts if s in t]


async def test_the_fake_serves_the_id_token_keys_login_uses(
    google_server: FakeGoogle, http: httpx.AsyncClient
) -> None:
    sut = GoogleIdTokenVerifier(http, google_server.certs_url, google_server.client_id)
    identity = await sut.verify(google_server.keys.id_token("login@example.com", sub="42"))
    assert (identity.subject, identity.email) == ("42", "login@example.com")
    assert len(google_server.calls("/oauth2/v3/certs")) == 1
