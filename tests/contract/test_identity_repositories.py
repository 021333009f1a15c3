"""The identity repositories' contract (users, profiles, credentials, refresh tokens and
sessions), run on memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from hrhelper.adapters.persistence.memory import MemoryStore, MemoryUnitOfWork
from hrhelper.adapters.persistence.memory.identity import MemoryPrincipalDirectory
from hrhelper.adapters.persistence.sqlalchemy import SqlUnitOfWork
from hrhelper.adapters.persistence.sqlalchemy.identity import SqlPrincipalDirectory
from hrhelper.domain.identity.model import (
    AuthType,
    CandidateProfile,
    CredentialKind,
    HrProfile,
    Role,
    User,
)
from hrhelper.ports.identity import PrincipalDirectory, StoredCredential, UserQuery
from hrhelper.ports.persistence import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
NOW = datetime(2026, 1, 15, 10, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def create_user(email: str, role: Role = Role.USER, **fields: object) -> User:
    values: dict[str, object] = {
        "first_name": "Ann",
        "last_name": "Lee",
        "created_at": NOW,
        "updated_at": NOW,
        **fields,
    }
    return User(email=email, role=role, **values)  # type: ignore[arg-type]


async def add_users(uow_factory: UowFactory, *users: User) -> list[int]:
    async with uow_factory() as uow:
        ids = [(await uow.users.add(user)).pk for user in users]
        await uow.commit()
    return ids


# --- users ------------------------------------------------------------------------------------


async def test_a_user_is_kept_only_after_commit_and_read_back_intact(
    uow_factory: UowFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.users.add(create_user("lost@example.com"))
    [user_id] = await add_users(
        uow_factory,
        create_user(
            "ann@example.com",
            Role.HR,
            first_name="Анна",
            username="ann.lee",
            password_hash="$argon2id$hash",
            is_verified=True,
            auth_type=AuthType.GOOGLE,
            last_login=LATER,
            huntflow_prod_url="https://api.huntflow.ru/v2",
        ),
    )
    async with uow_factory() as uow:
        assert await uow.users.get_by_email("lost@example.com") is None
        user = await uow.users.get(user_id)
        assert await uow.users.get(user_id + 1000) is None
    assert user is not None
    assert (user.email, user.username, user.first_name, user.role) == (
        "ann@example.com",
        "ann.lee",
        "Анна",
        Role.HR,
    )
    assert (user.password_hash, user.is_active, user.is_verified, user.auth_type) == (
        "$argon2id$hash",
        True,
        True,
        AuthType.GOOGLE,
    )
    assert (user.last_login, user.created_at) == (LATER, NOW)
    assert user.huntflow_prod_url == "https://api.huntflow.ru/v2"


async def test_changes_to_a_user_are_saved_on_commit_only(uow_factory: UowFactory) -> None:
    [user_id] = await add_users(uow_factory, create_user("ann@example.com"))
    async with uow_factory() as uow:
        user = await uow.users.get(user_id)
        assert user is not None
        user.first_name = "Lost"
    async with uow_factory() as uow:
        user = await uow.users.get(user_id)
        assert user is not None
        assert user.first_name == "Ann"
        user.first_name, user.is_active, user.last_login = "Kept", False, LATER
        await uow.commit()
    async with uow_factory() as uow:
        user = await uow.users.get(user_id)
    assert user is not None
    assert (user.first_name, user.is_active, user.last_login) == ("Kept", False, LATER)


async def test_get_by_email_finds_an_email_or_a_username_in_any_case(
    uow_factory: UowFactory,
) -> None:
    ann, bob = await add_users(
        uow_factory,
        create_user("ann@example.com"),
        create_user("bob@example.com", username="bobby"),
    )
    async with uow_factory() as uow:
        found = {
            login: (user.pk if (user := await uow.users.get_by_email(login)) else None)
            for login in (" ANN@example.com ", "bobby", "BOBBY", "bob@example.com", "nobody")
        }
    assert found == {
        " ANN@example.com ": ann,
        "bobby": bob,
        "BOBBY": bob,
        "bob@example.com": bob,
        "nobody": None,
    }


async def test_list_searches_names_and_addresses_filters_and_pages(
    uow_factory: UowFactory,
) -> None:
    ids = await add_users(
        uow_factory,
        create_user("admin@example.com", Role.ADMIN, first_name="Ada"),
        create_user("maria@example.com", Role.HR, first_name="Мария", last_name="Петрова"),
        create_user("ivan@example.com", Role.USER, first_name="Иван", is_active=False),
        create_user("ann_lee@example.com", Role.USER, username="ann_lee"),
        create_user("annlee@example.com", Role.USER, username="annlee"),
    )

    async def search(**query: object) -> tuple[int, list[int]]:
        async with uow_factory() as uow:
            count, users = await uow.users.list(UserQuery(**query))  # type: ignore[arg-type]
        return count, [u.pk for u in users]

    assert await search() == (5, ids)
    assert await search(search="мАР") == (1, [ids[1]])  # Cyrillic, any case
    assert await search(search="ПЕТРОВ") == (1, [ids[1]])
    assert await search(search="IVAN@") == (1, [ids[2]])
    assert await search(search="_") == (1, [ids[3]])  # a literal underscore, not a wildcard
    assert await search(search="%") == (0, [])
    assert await search(role=Role.USER) == (3, ids[2:])
    assert await search(role=Role.USER, is_active=True) == (2, ids[3:])
    assert await search(is_active=False) == (1, [ids[2]])
    assert await search(offset=1, limit=2) == (5, ids[1:3])
    assert await search(search="example", offset=4, limit=2) == (5, ids[4:])


async def test_names_are_display_names_of_many_users_at_once(uow_factory: UowFactory) -> None:
    ann, nameless = await add_users(
        uow_factory,
        create_user("ann@example.com", first_name="Анна", last_name="Ли"),
        create_user("x@example.com", first_name="", last_name=""),
    )
    async with uow_factory() as uow:
        assert await uow.users.names([ann, nameless, ann, 999_999]) == {
            ann: "Анна Ли",
            nameless: "x@example.com",
        }
        assert await uow.users.names([]) == {}


async def test_deleting_a_user_takes_their_rows_with_them(uow_factory: UowFactory) -> None:
    admin, hr, other = await add_users(
        uow_factory,
        create_user("admin@example.com", Role.ADMIN),
        create_user("hr@example.com", Role.HR),
        create_user("other@example.com", Role.HR),
    )
    credential = StoredCredential(CredentialKind.GEMINI_API_KEY, "sealed", "••••abcd", NOW)
    async with uow_factory() as uow:
        await uow.profiles.add_hr(HrProfile(hr, NOW, NOW, created_by=admin))
        await uow.profiles.add_hr(HrProfile(other, NOW, NOW, created_by=admin))
        for user_id in (hr, other):
            await uow.credentials.put(user_id, credential)
            await uow.refresh_tokens.add(f"jti-{user_id}", user_id, LATER)
            await uow.sessions.add(f"digest-{user_id}", user_id, LATER)
        await uow.commit()
    # When the HR user and then the admin who created the other are deleted
    async with uow_factory() as uow:
        for user_id in (hr, admin):
            user = await uow.users.get(user_id)
            assert user is not None
            await uow.users.delete(user)
        await uow.commit()
    # Then the HR user's profile, credentials, tokens and sessions are gone
    async with uow_factory() as uow:
        assert await uow.users.get(hr) is None
        assert await uow.profiles.hr_of(hr) is None
        assert await uow.credentials.of([hr, other]) == {other: {credential.kind: credential}}
        assert await uow.refresh_tokens.revoke(f"jti-{hr}", NOW) is False
        assert await uow.sessions.user_of(f"digest-{hr}", NOW) is None
        # and the other's remain, no longer pointing at a deleted creator
        profile = await uow.profiles.hr_of(other)
        assert profile is not None
        assert profile.created_by is None
        assert await uow.refresh_tokens.revoke(f"jti-{other}", NOW) is True
        assert await uow.sessions.user_of(f"digest-{other}", NOW) == other


# --- profiles ---------------------------------------------------------------------------------


async def test_a_candidate_profile_is_found_by_its_user_and_changes_are_saved(
    uow_factory: UowFactory,
) -> None:
    ann, bob = await add_users(
        uow_factory, create_user("ann@example.com"), create_user("bob@example.com")
    )
    async with uow_factory() as uow:
        added = await uow.profiles.add_candidate(CandidateProfile(ann, NOW, NOW, bio="О себе"))
        await uow.commit()
    assert added.id is not None
    async with uow_factory() as uow:
        profile = await uow.profiles.candidate_of(ann)
        assert await uow.profiles.candidate_of(bob) is None
        assert profile is not None
        assert (profile.id, profile.bio, profile.resume) == (added.id, "О себе", None)
        profile.resume_key, profile.resume_name = "resumes/1/x.pdf", "cv.pdf"
        profile.resume_type, profile.resume_size = "application/pdf", 1234
        await uow.commit()
    async with uow_factory() as uow:
        profile = await uow.profiles.candidate_of(ann)
    assert profile is not None
    assert profile.resume is not None
    assert (profile.resume.key, profile.resume.size) == ("resumes/1/x.pdf", 1234)


async def test_hr_profiles_by_id_by_user_newest_first_and_deleted(
    uow_factory: UowFactory,
) -> None:
    ids = await add_users(
        uow_factory, *(create_user(f"hr{n}@example.com", Role.HR) for n in range(3))
    )
    async with uow_factory() as uow:
        profiles = [
            await uow.profiles.add_hr(HrProfile(user_id, NOW, NOW, company=f"Co {n}"))
            for n, user_id in enumerate(ids)
        ]
        await uow.commit()
    async with uow_factory() as uow:
        first = await uow.profiles.hr(profiles[0].id or 0)
        assert first is not None
        assert (first.user_id, first.company) == (ids[0], "Co 0")
        by_user = await uow.profiles.hr_of(ids[1])
        assert by_user is not None
        assert by_user.id == profiles[1].id
        assert await uow.profiles.hr(999_999) is None
        count, page = await uow.profiles.list_hr(offset=0, limit=2)
        assert (count, [(p.company, u.email) for p, u in page]) == (
            3,
            [("Co 2", "hr2@example.com"), ("Co 1", "hr1@example.com")],
        )
        count, page = await uow.profiles.list_hr(offset=2, limit=2)
        assert (count, [p.company for p, _ in page]) == (3, ["Co 0"])
        await uow.profiles.delete_hr(first)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.profiles.hr(profiles[0].id or 0) is None
        assert (await uow.profiles.list_hr(0, 10))[0] == 2
        assert await uow.users.get(ids[0]) is not None  # the user stays


# --- credentials ------------------------------------------------------------------------------


async def test_credentials_are_put_replaced_removed_and_read_for_many(
    uow_factory: UowFactory,
) -> None:
    ann, bob, cid = await add_users(
        uow_factory, *(create_user(f"{n}@example.com", Role.HR) for n in ("ann", "bob", "cid"))
    )
    huntflow = StoredCredential(CredentialKind.HUNTFLOW_API_KEY, "sealed-1", "••••1111", NOW)
    replaced = StoredCredential(CredentialKind.HUNTFLOW_API_KEY, "sealed-2", "••••2222", LATER)
    notion = StoredCredential(CredentialKind.NOTION_INTEGRATION_TOKEN, "sealed-3", "••••", NOW)
    async with uow_factory() as uow:
        await uow.credentials.put(ann, huntflow)
        await uow.credentials.put(ann, notion)
        await uow.credentials.put(bob, huntflow)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.credentials.put(ann, replaced)
        await uow.credentials.remove(bob, CredentialKind.HUNTFLOW_API_KEY)
        await uow.credentials.remove(cid, CredentialKind.GEMINI_API_KEY)  # nothing to remove
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.credentials.of([ann, bob, cid]) == {
            ann: {replaced.kind: replaced, notion.kind: notion}
        }
        assert await uow.credentials.of([]) == {}


# --- refresh tokens ---------------------------------------------------------------------------


async def test_a_refresh_token_is_revoked_once_and_never_after_expiry(
    uow_factory: UowFactory,
) -> None:
    [ann] = await add_users(uow_factory, create_user("ann@example.com"))
    async with uow_factory() as uow:
        await uow.refresh_tokens.add("live", ann, LATER)
        await uow.refresh_tokens.add("expiring", ann, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.refresh_tokens.revoke("live", NOW) is True
        assert await uow.refresh_tokens.revoke("live", NOW) is False
        assert await uow.refresh_tokens.revoke("expiring", NOW) is False  # expires_at <= at
        assert await uow.refresh_tokens.revoke("unknown", NOW) is False
        # not committed: the revocation is rolled back
    async with uow_factory() as uow:
        assert await uow.refresh_tokens.revoke("live", NOW) is True
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.refresh_tokens.revoke("live", NOW) is False


async def test_revoke_all_ends_every_live_token_of_one_user(uow_factory: UowFactory) -> None:
    ann, bob = await add_users(
        uow_factory, create_user("ann@example.com"), create_user("bob@example.com")
    )
    async with uow_factory() as uow:
        for jti in ("a1", "a2", "a3"):
            await uow.refresh_tokens.add(jti, ann, LATER)
        await uow.refresh_tokens.add("b1", bob, LATER)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.refresh_tokens.revoke("a1", NOW) is True
        assert await uow.refresh_tokens.revoke_all(ann, NOW) == 2
        assert await uow.refresh_tokens.revoke_all(ann, NOW) == 0
        await uow.commit()
    async with uow_factory() as uow:
        assert [await uow.refresh_tokens.revoke(j, NOW) for j in ("a2", "a3", "b1")] == [
            False,
            False,
            True,
        ]


# --- sessions ---------------------------------------------------------------------------------


async def test_sessions_live_until_they_expire_or_end(uow_factory: UowFactory) -> None:
    ann, bob = await add_users(
        uow_factory, create_user("ann@example.com"), create_user("bob@example.com")
    )
    async with uow_factory() as uow:
        await uow.sessions.add("ann-1", ann, LATER)
        await uow.sessions.add("ann-2", ann, LATER)
        await uow.sessions.add("bob-1", bob, LATER)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sessions.user_of("ann-1", NOW) == ann
        assert await uow.sessions.user_of("ann-1", LATER) is None  # expired at LATER
        assert await uow.sessions.user_of("unknown", NOW) is None
        await uow.sessions.end("ann-1")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sessions.user_of("ann-1", NOW) is None
        assert await uow.sessions.user_of("ann-2", NOW) == ann
        await uow.sessions.end_all(ann)
        await uow.commit()
    async with uow_factory() as uow:
        assert [await uow.sessions.user_of(d, NOW) for d in ("ann-2", "bob-1")] == [None, bob]


# --- the principal directory (read outside any unit of work) ----------------------------------


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def directory(request: pytest.FixtureRequest) -> tuple[UowFactory, PrincipalDirectory]:
    """A unit-of-work factory and the directory that reads what it commits."""
    if request.param == "memory":
        store = MemoryStore()
        return (lambda: MemoryUnitOfWork(store)), MemoryPrincipalDirectory(store)
    engine: AsyncEngine = request.getfixturevalue(f"{request.param}_engine")
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    return (lambda: SqlUnitOfWork(sessions)), SqlPrincipalDirectory(engine)


async def test_the_directory_knows_only_active_users_and_live_sessions(
    directory: tuple[UowFactory, PrincipalDirectory],
) -> None:
    uow_factory, sut = directory
    ann, off = await add_users(
        uow_factory,
        create_user("ann@example.com", Role.HR, first_name="Анна"),
        create_user("off@example.com", is_active=False),
    )
    async with uow_factory() as uow:
        await uow.sessions.add("ann", ann, LATER)
        await uow.sessions.add("off", off, LATER)
        await uow.commit()
    user = await sut.active_user(ann)
    assert user is not None
    assert (user.pk, user.email, user.role, user.first_name) == (
        ann,
        "ann@example.com",
        Role.HR,
        "Анна",
    )
    assert await sut.active_user(off) is None
    assert await sut.active_user(999_999) is None
    session_user = await sut.session_user("ann", NOW)
    assert session_user is not None
    assert session_user.pk == ann
    assert await sut.session_user("ann", LATER) is None  # expired
    assert await sut.session_user("off", NOW) is None  # an inactive user's session
    assert await sut.session_user("unknown", NOW) is None
