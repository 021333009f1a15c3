"""The Google store on memory, SQLite and PostgreSQL: accounts per user, upserts by Google id
without duplicates, filters, ordering and per-owner visibility."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hrhelper.domain.google.model import (
    AccountQuery,
    EventQuery,
    FileQuery,
    GoogleAccount,
    StoredEvent,
    StoredFile,
)
from hrhelper.ports.persistence import UnitOfWork
from tests.contract.test_identity_repositories import add_users, create_user

UowFactory = Callable[[], UnitOfWork]
NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


def create_account(user_id: int, email: str, **fields: object) -> GoogleAccount:
    values: dict[str, object] = {
        "subject": f"sub-{email}",
        "scopes": ("openid", "email"),
        "access_token": "sealed-access",
        "refresh_token": "sealed-refresh",
        "expires_at": NOW + timedelta(hours=1),
        "created_at": NOW,
        "updated_at": NOW,
        **fields,
    }
    return GoogleAccount(user_id=user_id, email=email, **values)  # type: ignore[arg-type]


def create_event(account_id: int, google_id: str, hour: int, **fields: object) -> StoredEvent:
    start = NOW + timedelta(hours=hour)
    values: dict[str, object] = {
        "summary": f"Interview {google_id}",
        "end": start + timedelta(hours=1),
    }
    values.update(fields)
    return StoredEvent(account_id, google_id, start=start, **values)  # type: ignore[arg-type]


def create_file(account_id: int, google_id: str, hour: int, **fields: object) -> StoredFile:
    values: dict[str, object] = {
        "name": f"CV {google_id}.pdf",
        "mime_type": "application/pdf",
        "modified_time": NOW + timedelta(hours=hour),
        **fields,
    }
    return StoredFile(account_id, google_id, **values)  # type: ignore[arg-type]


async def given_two_users_with_accounts(uow_factory: UowFactory) -> tuple[int, int, int, int]:
    ann, bob = await add_users(uow_factory, create_user("ann@example.com"), create_user("bob@x.io"))
    async with uow_factory() as uow:
        a = await uow.google.save_account(create_account(ann, "ann@gmail.com"))
        b = await uow.google.save_account(create_account(bob, "bob@gmail.com", is_active=False))
        await uow.commit()
    return ann, bob, a.id, b.id


async def test_accounts_are_kept_after_commit_and_updated_in_place(uow_factory: UowFactory) -> None:
    ann, _bob, account_id, _ = await given_two_users_with_accounts(uow_factory)
    async with uow_factory() as uow:
        account = await uow.google.account(account_id, ann)
        assert account is not None
        account.error, account.is_active = "revoked", False
        await uow.google.save_account(account)
        # not committed: rolled back
    async with uow_factory() as uow:
        again = await uow.google.account(account_id, None)
        assert again is not None
        assert again.is_active
        assert again.error is None
        assert again.scopes == ("openid", "email")
        assert (again.access_token, again.refresh_token) == ("sealed-access", "sealed-refresh")
        assert again.expires_at == NOW + timedelta(hours=1)
        again.error, again.is_active, again.last_sync_at = "revoked", False, NOW
        await uow.google.save_account(again)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.google.account_of(ann, "ann@gmail.com")
        assert stored is not None
        assert (stored.id, stored.is_active, stored.error) == (account_id, False, "revoked")
        assert stored.last_sync_at == NOW
        assert await uow.google.account_of(ann, "bob@gmail.com") is None


async def test_account_filters_and_visibility(uow_factory: UowFactory) -> None:
    ann, bob, a, b = await given_two_users_with_accounts(uow_factory)
    async with uow_factory() as uow:
        assert await uow.google.account(b, ann) is None  # another user's account
        assert (await uow.google.account(b, bob)) is not None
        everyone = await uow.google.accounts(AccountQuery(None))
        own = await uow.google.accounts(AccountQuery(ann))
        by_user = await uow.google.accounts(AccountQuery(None, user_id=bob))
        inactive = await uow.google.accounts(AccountQuery(None, is_active=False))
        by_email = await uow.google.accounts(AccountQuery(None, email="ANN@gmail.com"))
        cross = await uow.google.accounts(AccountQuery(ann, user_id=bob))
        page = await uow.google.accounts(AccountQuery(None, offset=1, limit=1))
        active = await uow.google.active_account_ids(None)
    assert [x.id for x in everyone[1]] == [a, b]
    assert (own[0], [x.id for x in own[1]]) == (1, [a])
    assert [x.id for x in by_user[1]] == [b]
    assert [x.id for x in inactive[1]] == [b]
    assert [x.id for x in by_email[1]] == [a]
    assert cross == (0, [])
    assert (page[0], [x.id for x in page[1]]) == (2, [b])
    assert active == [a]


async def test_events_upsert_by_google_id_and_filter(uow_factory: UowFactory) -> None:
    ann, _bob, a, b = await given_two_users_with_accounts(uow_factory)
    async with uow_factory() as uow:
        await uow.google.upsert_events(
            [create_event(a, "e1", 5), create_event(a, "e2", 1), create_event(b, "e1", 3)]
        )
        await uow.commit()
    async with uow_factory() as uow:
        await uow.google.upsert_events(
            [
                create_event(a, "e1", 2, summary="Moved interview"),
                create_event(a, "e3", 30, attendees=({"email": "c@x.io"},)),
            ]
        )
        await uow.commit()
    async with uow_factory() as uow:
        count, events = await uow.google.events(EventQuery(None))
        mine = await uow.google.events(EventQuery(ann))
        found = await uow.google.events(EventQuery(None, search="MOVED"))
        windowed = await uow.google.events(
            EventQuery(
                None,
                starts_from=NOW + timedelta(hours=2, minutes=30),
                starts_before=NOW + timedelta(hours=4),
            )
        )
        one = await uow.google.events(EventQuery(None, account_id=b))
        e3 = next(e for e in events if e.google_id == "e3")
        hidden = await uow.google.event(one[1][0].id, ann)
        visible = await uow.google.event(e3.id, ann)
    assert count == 4  # e1 of account a updated, not duplicated
    assert [(e.account_id, e.google_id) for e in events] == [
        (a, "e2"),
        (a, "e1"),
        (b, "e1"),
        (a, "e3"),
    ]
    assert [e.google_id for e in mine[1]] == ["e2", "e1", "e3"]
    assert [e.summary for e in found[1]] == ["Moved interview"]
    # ends after 02:30 and starts before 04:00: e1 (02:00-03:00) and b's e1 (03:00-04:00)
    assert [(e.account_id, e.google_id) for e in windowed[1]] == [(a, "e1"), (b, "e1")]
    assert [e.account_id for e in one[1]] == [b]
    assert hidden is None
    assert visible is not None
    assert visible.attendees == ({"email": "c@x.io"},)


async def test_files_upsert_by_google_id_and_filter(uow_factory: UowFactory) -> None:
    ann, _bob, a, b = await given_two_users_with_accounts(uow_factory)
    async with uow_factory() as uow:
        await uow.google.upsert_files(
            [
                create_file(a, "f1", 1),
                create_file(a, "f2", 3, name="Notes", mime_type="text/plain", size=12),
                create_file(b, "f1", 2, owners=("bob@gmail.com",)),
            ]
        )
        await uow.commit()
    async with uow_factory() as uow:
        await uow.google.upsert_files([create_file(a, "f1", 5, name="CV renamed.pdf")])
        await uow.commit()
    async with uow_factory() as uow:
        count, files = await uow.google.files(FileQuery(None))
        mine = await uow.google.files(FileQuery(ann))
        pdf = await uow.google.files(FileQuery(None, mime_type="application/pdf"))
        found = await uow.google.files(FileQuery(None, search="renamed"))
        page = await uow.google.files(FileQuery(None, offset=2, limit=5))
        theirs = next(f for f in files if f.account_id == b)
        hidden = await uow.google.file(theirs.id, ann)
        shown = await uow.google.file(theirs.id, None)
    assert count == 3
    assert [(f.account_id, f.google_id) for f in files] == [(a, "f1"), (a, "f2"), (b, "f1")]
    assert [f.name for f in mine[1]] == ["CV renamed.pdf", "Notes"]
    assert {f.google_id for f in pdf[1]} == {"f1"}
    assert pdf[0] == 2
    assert [f.name for f in found[1]] == ["CV renamed.pdf"]
    assert (page[0], [f.account_id for f in page[1]]) == (3, [b])
    assert hidden is None
    assert shown is not None
    assert shown.owners == ("bob@gmail.com",)


async def test_events_google_no_longer_lists_are_removed_from_the_window_only(
    uow_factory: UowFactory,
) -> None:
    _ann, _bob, a, b = await given_two_users_with_accounts(uow_factory)
    async with uow_factory() as uow:
        await uow.google.upsert_events(
            [
                create_event(a, "before", -30),
                create_event(a, "kept", 1),
                create_event(a, "deleted", 2),
                create_event(a, "after", 50),
                create_event(b, "deleted", 2),  # another account's event
            ]
        )
        await uow.commit()
    async with uow_factory() as uow:
        removed = await uow.google.remove_events_except(
            a, NOW - timedelta(hours=1), NOW + timedelta(hours=24), {"kept"}
        )
        await uow.commit()
    async with uow_factory() as uow:
        _count, events = await uow.google.events(EventQuery(None))
    assert removed == 1
    assert [(e.account_id, e.google_id) for e in events] == [
        (a, "before"),
        (a, "kept"),
        (b, "deleted"),
        (a, "after"),
    ]


async def test_files_drive_no_longer_lists_are_removed_from_their_account_only(
    uow_factory: UowFactory,
) -> None:
    _ann, _bob, a, b = await given_two_users_with_accounts(uow_factory)
    async with uow_factory() as uow:
        await uow.google.upsert_files(
            [
                create_file(a, "old-gone", 1),
                create_file(a, "kept", 5),
                create_file(a, "new-gone", 9),
                create_file(b, "new-gone", 9),  # another account's file
            ]
        )
        await uow.commit()
    # A cut listing speaks only for files changed after its oldest one
    async with uow_factory() as uow:
        cut = await uow.google.remove_files_except(a, {"kept"}, NOW + timedelta(hours=5))
        await uow.commit()
    async with uow_factory() as uow:
        after_cut = {
            (f.account_id, f.google_id) for f in (await uow.google.files(FileQuery(None)))[1]
        }
    # A complete listing speaks for all of them
    async with uow_factory() as uow:
        complete = await uow.google.remove_files_except(a, {"kept"}, None)
        await uow.commit()
    async with uow_factory() as uow:
        after_all = {
            (f.account_id, f.google_id) for f in (await uow.google.files(FileQuery(None)))[1]
        }
    assert (cut, complete) == (1, 1)
    assert after_cut == {(a, "old-gone"), (a, "kept"), (b, "new-gone")}
    assert after_all == {(a, "kept"), (b, "new-gone")}
