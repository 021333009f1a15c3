"""UserService on memory adapters: who sees and changes whom, and credentials at rest."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrhelper.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted, Unauthenticated
from hrhelper.domain.identity.model import CredentialKind, HuntflowSystem, Role, User
from hrhelper.domain.identity.users import UserChanges
from hrhelper.ports.identity import UserQuery
from tests.support.identity_fakes import PASSWORD, IdentitySystem, create_identity_system

CLIENT = "203.0.113.7"
HUNTFLOW_KEY = "hf-live-0123456789abcdef"


async def create_people(system: IdentitySystem) -> tuple[User, User, User]:
    admin = await system.create_user("admin@example.com", Role.ADMIN, first_name="Ada")
    hr = await system.create_user("hr@example.com", Role.HR, first_name="Мария")
    candidate = await system.create_user("ann@example.com", Role.USER)
    return admin, hr, candidate


async def test_candidates_may_not_list_users_staff_may() -> None:
    sut = create_identity_system()
    admin, hr, candidate = await create_people(sut)
    with pytest.raises(NotPermitted):
        await sut.users.list(candidate, UserQuery())
    count, views = await sut.users.list(hr, UserQuery(search="мар"))
    assert (count, [v.user.pk for v in views]) == (1, [hr.pk])
    count, views = await sut.users.list(admin, UserQuery(role=Role.USER))
    assert (count, [v.user.pk for v in views]) == (1, [candidate.pk])


async def test_a_candidate_sees_only_themselves() -> None:
    sut = create_identity_system()
    _, hr, candidate = await create_people(sut)
    assert (await sut.users.get(candidate, candidate.pk)).user.email == "ann@example.com"
    with pytest.raises(NotFound):
        await sut.users.get(candidate, hr.pk)
    with pytest.raises(NotFound):
        await sut.users.update(candidate, hr.pk, UserChanges({"first_name": "X"}))
    assert (await sut.users.get(hr, candidate.pk)).user.pk == candidate.pk
    with pytest.raises(NotFound):
        await sut.users.get(hr, 999)


async def test_staff_store_their_own_integration_keys_encrypted_and_see_them_masked() -> None:
    sut = create_identity_system()
    _, hr, _ = await create_people(sut)
    # When an HR stores a Huntflow key
    view = await sut.users.update(
        hr, hr.pk, UserChanges({"huntflow_api_key": f"  {HUNTFLOW_KEY} "})
    )
    # Then the answer shows it masked, the others unset
    assert view.credentials[CredentialKind.HUNTFLOW_API_KEY].is_set
    assert view.credentials[CredentialKind.HUNTFLOW_API_KEY].masked == "••••" + HUNTFLOW_KEY[-4:]
    assert not view.credentials[CredentialKind.NOTION_INTEGRATION_TOKEN].is_set
    # and the store has only ciphertext (the sandbox system's access token), which opens to
    # the clear text
    stored = sut.store.huntflow_tokens[(hr.pk, HuntflowSystem.SANDBOX)]
    assert HUNTFLOW_KEY not in stored.access_token
    assert sut.box.open(stored.access_token) == HUNTFLOW_KEY
    assert await sut.users.secret(hr.pk, CredentialKind.GEMINI_API_KEY) is None
    # and reading the user again shows the same mask, never the key
    again = await sut.users.get(hr, hr.pk)
    assert again.credentials[CredentialKind.HUNTFLOW_API_KEY].masked.endswith("cdef")


async def test_a_short_key_is_masked_entirely() -> None:
    sut = create_identity_system()
    _, hr, _ = await create_people(sut)
    view = await sut.users.update(hr, hr.pk, UserChanges({"gemini_api_key": "abc123"}))
    assert view.credentials[CredentialKind.GEMINI_API_KEY].masked == "••••"


async def test_an_empty_string_removes_a_credential() -> None:
    sut = create_identity_system()
    _, hr, _ = await create_people(sut)
    await sut.users.update(hr, hr.pk, UserChanges({"clickup_api_key": HUNTFLOW_KEY}))
    view = await sut.users.update(hr, hr.pk, UserChanges({"clickup_api_key": ""}))
    assert not view.credentials[CredentialKind.CLICKUP_API_KEY].is_set
    assert sut.store.credentials == {}


@pytest.mark.parametrize(
    "values",
    [
        {"role": "admin"},
        {"is_active": False},
        {"is_verified": True, "first_name": "ok"},
        {"role": "hr", "is_active": True, "is_verified": True},
        {"huntflow_api_key": HUNTFLOW_KEY},
        {"email": "new@example.com"},
    ],
)
async def test_a_candidate_asking_for_forbidden_fields_is_refused_naming_them(
    values: dict[str, object],
) -> None:
    sut = create_identity_system()
    _, _, candidate = await create_people(sut)
    forbidden = sorted(set(values) - {"first_name"})
    with pytest.raises(NotPermitted) as raised:
        await sut.users.update(candidate, candidate.pk, UserChanges(values))
    assert sorted(raised.value.details) == forbidden
    stored = sut.user(candidate.pk)
    assert (stored.role, stored.is_active, stored.first_name) == (Role.USER, True, "Ann")
    assert sut.store.credentials == {}


async def test_a_candidate_changes_their_own_name() -> None:
    sut = create_identity_system()
    _, _, candidate = await create_people(sut)
    await sut.users.update(candidate, candidate.pk, UserChanges({"first_name": " Анна "}))
    assert sut.user(candidate.pk).first_name == "Анна"


async def test_hr_may_not_change_roles_or_passwords() -> None:
    sut = create_identity_system()
    _, hr, _ = await create_people(sut)
    with pytest.raises(NotPermitted) as raised:
        await sut.users.update(hr, hr.pk, UserChanges({"role": "admin"}, password="N3w-password"))
    assert sorted(raised.value.details) == ["password", "role"]
    assert sut.user(hr.pk).role is Role.HR


async def test_admin_changes_role_and_an_unknown_role_is_invalid() -> None:
    sut = create_identity_system()
    admin, _, candidate = await create_people(sut)
    view = await sut.users.update(admin, candidate.pk, UserChanges({"role": "hr"}))
    assert view.user.role is Role.HR
    assert sut.user(candidate.pk).role is Role.HR
    with pytest.raises(InvalidInput) as raised:
        await sut.users.update(admin, candidate.pk, UserChanges({"role": "superhero"}))
    assert list(raised.value.details) == ["role"]


async def test_admin_sets_a_password_which_ends_every_token() -> None:
    sut = create_identity_system()
    admin, _, candidate = await create_people(sut)
    refresh = (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens.refresh
    await sut.users.update(admin, candidate.pk, UserChanges(password="Adm1n-chosen"))
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(refresh)
    assert (await sut.auth.login("ann@example.com", "Adm1n-chosen", CLIENT)).user.pk == (
        candidate.pk
    )
    with pytest.raises(InvalidInput):
        await sut.users.update(admin, candidate.pk, UserChanges(password="short"))


async def test_admin_deactivating_a_user_ends_their_tokens() -> None:
    sut = create_identity_system()
    admin, _, candidate = await create_people(sut)
    refresh = (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens.refresh
    await sut.users.update(admin, candidate.pk, UserChanges({"is_active": False}))
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(refresh)


async def test_admin_may_not_take_an_email_in_use() -> None:
    sut = create_identity_system()
    admin, hr, candidate = await create_people(sut)
    with pytest.raises(Conflict) as raised:
        await sut.users.update(admin, candidate.pk, UserChanges({"email": "HR@example.com"}))
    assert "email" in raised.value.details
    assert sut.user(candidate.pk).email == "ann@example.com"
    assert sut.user(hr.pk).email == "hr@example.com"


async def test_admin_cannot_delete_themselves_others_can_be_deleted() -> None:
    sut = create_identity_system()
    admin, hr, candidate = await create_people(sut)
    with pytest.raises(Conflict):
        await sut.users.delete(admin, admin.pk)
    with pytest.raises(NotPermitted):
        await sut.users.delete(hr, candidate.pk)
    await sut.users.delete(admin, candidate.pk)
    assert candidate.pk not in sut.store.users
    with pytest.raises(NotFound):
        await sut.users.delete(admin, candidate.pk)


async def test_only_admins_create_users_and_candidates_get_a_profile() -> None:
    sut = create_identity_system()
    admin, hr, _ = await create_people(sut)
    values = {"email": "New@Example.com", "role": "user", "gemini_api_key": HUNTFLOW_KEY}
    with pytest.raises(NotPermitted):
        await sut.users.create(hr, values, PASSWORD)
    view = await sut.users.create(admin, values, PASSWORD)
    assert (view.user.email, view.user.username) == ("new@example.com", "new@example.com")
    assert view.credentials[CredentialKind.GEMINI_API_KEY].is_set
    assert await sut.users.secret(view.user.pk, CredentialKind.GEMINI_API_KEY) == HUNTFLOW_KEY
    assert [p.user_id for p in sut.store.candidate_profiles.values()] == [view.user.pk]
    with pytest.raises(Conflict):
        await sut.users.create(admin, {"email": "new@example.com"}, PASSWORD)


async def test_create_superuser_makes_a_verified_admin_once() -> None:
    sut = create_identity_system()
    user = await sut.users.create_superuser("Root@Example.com", PASSWORD, "Ada")
    assert (user.role, user.is_verified, user.email) == (Role.ADMIN, True, "root@example.com")
    with pytest.raises(Conflict):
        await sut.users.create_superuser("root@example.com", PASSWORD)


async def test_a_username_set_by_an_admin_can_be_used_to_log_in() -> None:
    sut = create_identity_system()
    admin, _, candidate = await create_people(sut)
    # When an admin gives the candidate a mixed-case username
    await sut.users.update(admin, candidate.pk, UserChanges({"username": "Ann.Lee"}))
    # Then the candidate signs in with it
    assert (await sut.auth.login("Ann.Lee", PASSWORD, CLIENT)).user.pk == candidate.pk


async def test_a_username_may_not_be_another_users_email() -> None:
    sut = create_identity_system()
    admin, _, candidate = await create_people(sut)
    zed = await sut.create_user("zed@example.com")
    # When an admin gives the candidate Zed's email as username, in another case
    with pytest.raises(Conflict) as raised:
        await sut.users.update(admin, candidate.pk, UserChanges({"username": "Zed@Example.com"}))
    # Then it is refused naming the field, and "zed@example.com" still means Zed's account
    assert list(raised.value.details) == ["username"]
    assert sut.user(candidate.pk).username == "ann@example.com"
    assert (await sut.auth.login("zed@example.com", PASSWORD, CLIENT)).user.pk == zed.pk


async def test_usernames_and_emails_share_one_namespace() -> None:
    sut = create_identity_system()
    admin, hr, candidate = await create_people(sut)
    await sut.users.update(admin, hr.pk, UserChanges({"username": "maria"}))
    with pytest.raises(Conflict) as raised:
        await sut.users.update(admin, candidate.pk, UserChanges({"username": "MARIA"}))
    assert list(raised.value.details) == ["username"]
    # an email that is someone's username is taken too
    await sut.users.update(admin, hr.pk, UserChanges({"username": "maria@example.com"}))
    with pytest.raises(Conflict) as raised:
        await sut.users.update(admin, candidate.pk, UserChanges({"email": "maria@example.com"}))
    assert list(raised.value.details) == ["email"]
    # and one's own email is a fine username
    view = await sut.users.update(admin, candidate.pk, UserChanges({"username": "Ann@Example.com"}))
    assert view.user.username == "ann@example.com"


async def test_create_refuses_a_username_in_use_and_stores_it_lowercased() -> None:
    sut = create_identity_system()
    admin, _, _ = await create_people(sut)
    with pytest.raises(Conflict) as raised:
        await sut.users.create(
            admin, {"email": "new@example.com", "username": "HR@example.com"}, PASSWORD
        )
    assert list(raised.value.details) == ["username"]
    view = await sut.users.create(
        admin, {"email": "new@example.com", "username": "New.One"}, PASSWORD
    )
    assert view.user.username == "new.one"
    assert (await sut.auth.login("NEW.ONE", PASSWORD, CLIENT)).user.pk == view.user.pk


@pytest.mark.parametrize("username", ["", "   ", "ann lee", "ann/lee", "a" * 255])
async def test_a_malformed_username_is_invalid_input(username: str) -> None:
    sut = create_identity_system()
    admin, _, candidate = await create_people(sut)
    with pytest.raises(InvalidInput) as raised:
        await sut.users.update(admin, candidate.pk, UserChanges({"username": username}))
    assert list(raised.value.details) == ["username"]
    assert sut.user(candidate.pk).username == "ann@example.com"


LOGIN_NAMES = ("ann@example.com", "Ann@Example.com", "zed@example.com", "zed", "ZED", "lee")


@settings(max_examples=60, deadline=None)
@given(
    changes=st.lists(
        st.tuples(
            st.integers(0, 2), st.sampled_from(["email", "username"]), st.sampled_from(LOGIN_NAMES)
        ),
        max_size=12,
    )
)
def test_every_sign_in_name_opens_at_most_one_account(
    changes: list[tuple[int, str, str]],
) -> None:
    async def scenario() -> None:
        sut = create_identity_system()
        people = await create_people(sut)
        admin = people[0]
        # Given any admin edits of emails and usernames (refused ones are skipped)
        for who, field_name, value in changes:
            with contextlib.suppress(Conflict, InvalidInput):
                await sut.users.update(admin, people[who].pk, UserChanges({field_name: value}))
        # Then names are stored lowercased, and no name belongs to two accounts
        owners: dict[str, int] = {}
        for user in sut.store.users.values():
            for name in {user.email, user.username}:
                assert name == name.lower()
                assert owners.setdefault(name, user.pk) == user.pk, name
        # and each name signs in to its owner
        for name, owner in owners.items():
            assert (await sut.auth.login(name.upper(), PASSWORD, CLIENT)).user.pk == owner

    asyncio.run(scenario())
