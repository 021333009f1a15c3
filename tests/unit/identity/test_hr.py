"""HrService on memory adapters: invitation by link, management by admins."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hrhelper.domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from hrhelper.domain.identity.hr import HrView, NewHr
from hrhelper.domain.identity.model import Role, User
from hrhelper.domain.identity.one_time import LinkPurpose
from tests.support.identity_fakes import (
    LINK_LIFETIMES,
    IdentitySystem,
    create_identity_system,
)

CLIENT = "203.0.113.7"
HR_PASSWORD = "HRPassw0rd-123"


def create_new_hr(email: str = "maria@company.test", **profile: str) -> NewHr:
    return NewHr(
        email=email,
        first_name=" Мария ",
        last_name="Петрова",
        profile={"company": "Tech Company", "department": "HR Department", **profile},
    )


async def create_admin(system: IdentitySystem) -> User:
    return await system.create_user(
        "admin@company.test", Role.ADMIN, first_name="Ada", last_name="Admin"
    )


async def invite(system: IdentitySystem, admin: User, email: str = "maria@company.test") -> HrView:
    return await system.hr.create(admin, create_new_hr(email))


async def accept_invitation(system: IdentitySystem, email: str = "maria@company.test") -> User:
    path, uid, token = system.last_link_to(email)
    assert path == "/auth/set-password/"
    return await system.auth.set_password(
        uid, token, HR_PASSWORD, HR_PASSWORD, CLIENT, LinkPurpose.SET_PASSWORD
    )


async def test_admin_creates_an_hr_without_password_and_mails_a_set_password_link() -> None:
    sut = create_identity_system()
    admin = await create_admin(sut)
    # When an admin creates an HR
    view = await sut.hr.create(admin, create_new_hr("Maria@Company.test", phone="+996555999888"))
    # Then an unverified HR user without password and a profile exist
    user = sut.user(view.user.pk)
    assert (user.email, user.first_name, user.role) == ("maria@company.test", "Мария", Role.HR)
    assert (user.password_hash, user.is_verified, user.is_active) == (None, False, True)
    profile = sut.store.hr_profiles[view.profile.id or 0]
    assert (profile.user_id, profile.company, profile.phone, profile.created_by) == (
        user.pk,
        "Tech Company",
        "+996555999888",
        admin.pk,
    )
    assert view.created_by_name == "Ada Admin"
    # and the invitation names the login and carries a link, not a password
    [mail] = sut.mails_to("maria@company.test")
    assert "maria@company.test" in mail.body
    assert "Пароль:" not in mail.body
    assert sut.last_link_to("maria@company.test")[0] == "/auth/set-password/"


async def test_the_invited_hr_sets_a_password_and_can_log_in() -> None:
    sut = create_identity_system()
    view = await invite(sut, await create_admin(sut))
    with pytest.raises(Unauthenticated):
        await sut.auth.login("maria@company.test", HR_PASSWORD, CLIENT)
    # When the HR follows the link and sets a password
    user = await accept_invitation(sut)
    # Then the HR is verified and signs in with it
    assert user.pk == view.user.pk
    assert sut.user(user.pk).is_verified
    result = await sut.auth.login("maria@company.test", HR_PASSWORD, CLIENT)
    assert result.user.role is Role.HR
    # and no mail ever carried the password
    assert all(HR_PASSWORD not in mail.body for mail in sut.store.outbox.values())


async def test_an_invitation_link_works_once_and_only_for_setting_the_password() -> None:
    sut = create_identity_system()
    await invite(sut, await create_admin(sut))
    _, uid, token = sut.last_link_to("maria@company.test")
    with pytest.raises(InvalidInput):
        await sut.auth.verify_email(uid, token)
    with pytest.raises(InvalidInput):
        await sut.auth.set_password(
            uid, token, HR_PASSWORD, HR_PASSWORD, CLIENT, LinkPurpose.RESET_PASSWORD
        )
    await accept_invitation(sut)
    with pytest.raises(InvalidInput):
        await accept_invitation(sut)


async def test_an_invitation_link_expires_with_the_container_lifetime() -> None:
    sut = create_identity_system()
    await invite(sut, await create_admin(sut))
    sut.clock.advance(LINK_LIFETIMES[LinkPurpose.SET_PASSWORD] + timedelta(seconds=1))
    with pytest.raises(InvalidInput):
        await accept_invitation(sut)


async def test_creating_an_hr_with_a_known_email_is_a_conflict() -> None:
    sut = create_identity_system()
    admin = await create_admin(sut)
    await sut.create_user("maria@company.test")
    with pytest.raises(Conflict) as raised:
        await invite(sut, admin, "MARIA@company.test")
    assert "email" in raised.value.details
    assert sut.store.hr_profiles == {}
    assert sut.store.outbox == {}


async def test_deactivation_revokes_refresh_tokens_and_sessions() -> None:
    sut = create_identity_system()
    view = await invite(sut, await create_admin(sut))
    user = await accept_invitation(sut)
    refresh = (await sut.auth.login("maria@company.test", HR_PASSWORD, CLIENT)).tokens.refresh
    await sut.auth.open_session(user)
    # When the admin toggles the HR off
    assert await sut.hr.toggle_active(view.profile.id or 0) is False
    # Then the HR cannot refresh nor log in, and no session is left
    assert all(row.revoked_at is not None for row in sut.store.refresh_tokens.values())
    assert sut.store.sessions == {}
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(refresh)
    with pytest.raises(Unauthenticated):
        await sut.auth.login("maria@company.test", HR_PASSWORD, CLIENT)
    # and toggling again lets them in
    assert await sut.hr.toggle_active(view.profile.id or 0) is True
    assert (await sut.auth.login("maria@company.test", HR_PASSWORD, CLIENT)).user.pk == user.pk


async def test_send_reset_link_mails_a_one_time_reset_link() -> None:
    sut = create_identity_system()
    view = await invite(sut, await create_admin(sut))
    await accept_invitation(sut)
    # When the admin sends a reset
    await sut.hr.send_reset_link(view.profile.id or 0)
    # Then the HR gets a reset link (no password) that sets a new password
    path, uid, token = sut.last_link_to("maria@company.test")
    assert path == "/auth/reset-password/"
    new = "Brand-n3w-secret"
    await sut.auth.set_password(uid, token, new, new, CLIENT, LinkPurpose.RESET_PASSWORD)
    assert (await sut.auth.login("maria@company.test", new, CLIENT)).user.pk == view.user.pk
    assert all(new not in m.body and HR_PASSWORD not in m.body for m in sut.store.outbox.values())


async def test_update_changes_profile_fields_and_names_only() -> None:
    sut = create_identity_system()
    view = await invite(sut, await create_admin(sut))
    profile_id = view.profile.id or 0
    sut.clock.advance(timedelta(minutes=1))
    # When an admin sends profile, name and forbidden fields
    updated = await sut.hr.update(
        profile_id,
        view.user,
        {
            "department": " Senior Recruitment ",
            "bio": "Обновленная биография",
            "last_name": "Петрова-Сидорова",
            "role": "admin",
            "is_active": "",
            "email": "evil@example.com",
            "created_by": "99",
        },
    )
    # Then only the profile fields and names changed
    user, profile = sut.user(view.user.pk), sut.store.hr_profiles[profile_id]
    assert (profile.department, profile.bio, profile.company) == (
        "Senior Recruitment",
        "Обновленная биография",
        "Tech Company",
    )
    assert (user.last_name, user.role, user.is_active, user.email) == (
        "Петрова-Сидорова",
        Role.HR,
        True,
        "maria@company.test",
    )
    assert profile.created_by == view.profile.created_by
    assert profile.updated_at == user.updated_at == sut.clock.now()
    assert updated.user.last_name == "Петрова-Сидорова"


async def test_an_hr_updates_their_own_profile_without_an_id() -> None:
    sut = create_identity_system()
    view = await invite(sut, await create_admin(sut))
    hr_user = await accept_invitation(sut)
    await sut.hr.update(None, hr_user, {"contacts": "Telegram: @petrova_hr"})
    assert sut.store.hr_profiles[view.profile.id or 0].contacts == "Telegram: @petrova_hr"
    candidate = await sut.create_user()
    with pytest.raises(NotFound):
        await sut.hr.update(None, candidate, {"bio": "x"})


async def test_list_is_newest_first_with_creator_names() -> None:
    sut = create_identity_system()
    admin = await create_admin(sut)
    for n in range(3):
        await invite(sut, admin, f"hr{n}@company.test")
    # When the admin lists a page
    count, page = await sut.hr.list(offset=0, limit=2)
    # Then the total and the newest two come back with their users and creator
    assert count == 3
    assert [v.user.email for v in page] == ["hr2@company.test", "hr1@company.test"]
    assert {v.created_by_name for v in page} == {"Ada Admin"}
    _, rest = await sut.hr.list(offset=2, limit=2)
    assert [v.user.email for v in rest] == ["hr0@company.test"]


async def test_get_and_delete() -> None:
    sut = create_identity_system()
    view = await invite(sut, await create_admin(sut))
    profile_id = view.profile.id or 0
    assert (await sut.hr.get(profile_id)).user.email == "maria@company.test"
    # When the admin deletes the HR
    await sut.hr.delete(profile_id)
    # Then profile and user are gone, and the id is unknown from now on
    assert sut.store.hr_profiles == {}
    assert view.user.pk not in sut.store.users
    for action in (sut.hr.get, sut.hr.delete, sut.hr.toggle_active, sut.hr.send_reset_link):
        with pytest.raises(NotFound):
            await action(profile_id)


async def test_the_creator_name_goes_when_the_admin_is_deleted() -> None:
    sut = create_identity_system()
    admin = await create_admin(sut)
    root = await sut.create_user("root@company.test", Role.ADMIN)
    view = await invite(sut, admin)
    await sut.users.delete(root, admin.pk)
    got = await sut.hr.get(view.profile.id or 0)
    assert (got.profile.created_by, got.created_by_name) == (None, "")


async def test_mine_gives_staff_without_a_profile_an_empty_one() -> None:
    sut = create_identity_system()
    admin = await create_admin(sut)
    first = await sut.hr.mine(admin)
    again = await sut.hr.mine(admin)
    assert first.profile.id == again.profile.id
    assert len(sut.store.hr_profiles) == 1
