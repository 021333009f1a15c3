"""AuthService on memory adapters: sign-up, sign-in, tokens, account links, limits, Google."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from hrhelper.adapters.security.argon2_hasher import Argon2PasswordHasher
from hrhelper.adapters.security.blocking import BlockingPool
from hrhelper.container import create_container
from hrhelper.domain.errors import Conflict, InvalidInput, RateLimited, Unauthenticated
from hrhelper.domain.identity.auth import Limits, session_digest
from hrhelper.domain.identity.model import AuthType, Role
from hrhelper.domain.identity.one_time import LinkPurpose
from hrhelper.domain.mail.outbox import DELIVER_MAIL_JOB
from hrhelper.ports.security import ExternalIdentity
from hrhelper.settings import Settings
from tests.support.identity_fakes import (
    LINK_LIFETIMES,
    PASSWORD,
    PUBLIC_URL,
    IdentitySystem,
    Sha256PasswordHasher,
    create_identity_system,
    create_registration,
)

CLIENT = "203.0.113.7"
NEW_PASSWORD = "N3w-password-here"


def live_refresh_tokens(system: IdentitySystem, user_id: int) -> list[str]:
    return [
        jti
        for jti, row in system.store.refresh_tokens.items()
        if row.user_id == user_id and row.revoked_at is None
    ]


# --- registration ---------------------------------------------------------------------------


async def test_register_creates_an_unverified_candidate_and_mails_a_verification_link() -> None:
    sut = create_identity_system()
    # When a candidate signs up with a mixed-case address
    result = await sut.auth.register(create_registration("Ann@Example.COM"), CLIENT)
    # Then the user is a stored, unverified candidate with a candidate profile
    user = sut.user(result.user.pk)
    assert (user.email, user.first_name, user.role) == ("ann@example.com", "Анна", Role.USER)
    assert (user.is_verified, user.is_active, user.auth_type) == (False, True, AuthType.LOCAL)
    assert user.password_hash is not None
    assert PASSWORD not in user.password_hash
    assert [p.user_id for p in sut.store.candidate_profiles.values()] == [user.pk]
    # and a verification mail waits in the outbox with a PUBLIC_URL link and a delivery job
    [mail] = sut.mails_to("ann@example.com")
    path, uid, token = sut.last_link_to("ann@example.com")
    assert f"{PUBLIC_URL.rstrip('/')}/api/auth/verify-email/?" in mail.body
    assert path == "/api/auth/verify-email/"
    assert uid
    assert token
    assert sut.jobs.enqueued == [(DELIVER_MAIL_JOB, {"mail_id": mail.id})]
    # and the tokens it answers work
    assert sut.tokens.access_user_id(result.tokens.access, sut.clock.now()) == user.pk
    assert live_refresh_tokens(sut, user.pk)


async def test_register_refuses_a_known_email_whatever_its_case() -> None:
    sut = create_identity_system()
    await sut.auth.register(create_registration("ann@example.com"), CLIENT)
    # When the same address registers again in another case
    with pytest.raises(Conflict) as raised:
        await sut.auth.register(create_registration(" ANN@example.com "), CLIENT)
    # Then the field is named and nothing more was stored
    assert "email" in raised.value.details
    assert len(sut.store.users) == 1
    assert len(sut.store.outbox) == 1


@pytest.mark.parametrize(
    ("password", "confirm", "field"),
    [
        ("short1", "short1", "password"),
        ("onlyletters", "onlyletters", "password"),
        ("1234567890", "1234567890", "password"),
        (PASSWORD, PASSWORD + "x", "password_confirm"),
    ],
)
async def test_register_refuses_a_bad_password_naming_the_field(
    password: str, confirm: str, field: str
) -> None:
    sut = create_identity_system()
    with pytest.raises(InvalidInput) as raised:
        await sut.auth.register(create_registration(password=password, confirm=confirm), CLIENT)
    assert list(raised.value.details) == [field]
    assert sut.store.users == {}
    assert sut.store.outbox == {}


async def test_register_refuses_an_invalid_email() -> None:
    sut = create_identity_system()
    with pytest.raises(InvalidInput) as raised:
        await sut.auth.register(create_registration("not-an-address"), CLIENT)
    assert list(raised.value.details) == ["email"]


# --- login ------------------------------------------------------------------------------------


async def test_login_by_email_or_username_in_any_case() -> None:
    sut = create_identity_system()
    user = await sut.create_user("ann@example.com")
    async with sut.uow() as uow:
        stored = await uow.users.get(user.pk)
        assert stored is not None
        stored.username = "ann.lee"
        await uow.commit()
    for login in ("ann@example.com", " ANN@Example.com ", "ann.lee", "Ann.Lee"):
        # When the user signs in with that login
        result = await sut.auth.login(login, PASSWORD, CLIENT)
        # Then it is the same account, and the last login is recorded
        assert result.user.pk == user.pk
    assert sut.user(user.pk).last_login == sut.clock.now()


async def test_bad_credentials_get_one_answer() -> None:
    hasher = Sha256PasswordHasher()
    sut = create_identity_system(hasher=hasher)
    await sut.create_user("ann@example.com")
    await sut.create_user("off@example.com", is_active=False)
    await sut.create_user("hr@example.com", Role.HR, password=None)
    messages = set()
    for login, password in [
        ("ann@example.com", "Wr0ng-password"),  # wrong password
        ("nobody@example.com", PASSWORD),  # unknown user
        ("off@example.com", PASSWORD),  # inactive, right password
        ("hr@example.com", PASSWORD),  # invited, no password yet
        ("", PASSWORD),
    ]:
        with pytest.raises(Unauthenticated) as raised:
            await sut.auth.login(login, password, CLIENT)
        messages.add(raised.value.message)
    # Then the caller cannot tell the cases apart, and each paid for a hash verification
    assert len(messages) == 1
    assert hasher.verifications == 5
    assert sut.store.refresh_tokens == {}


async def test_the_eleventh_attempt_on_one_account_is_rate_limited() -> None:
    sut = create_identity_system(limits=Limits())
    await sut.create_user("ann@example.com")
    # Given ten failed attempts on one account from different addresses
    for attempt in range(10):
        with pytest.raises(Unauthenticated):
            await sut.auth.login("ann@example.com", "Wr0ng-password", f"198.51.100.{attempt}")
    # When the eleventh comes, even with the right password
    with pytest.raises(RateLimited) as raised:
        await sut.auth.login("ANN@example.com", PASSWORD, "198.51.100.99")
    # Then it is refused with a time to wait
    assert raised.value.retry_after > 0
    assert raised.value.details == {"retry_after": raised.value.retry_after}
    # and other accounts are not affected
    await sut.create_user("bob@example.com")
    assert (await sut.auth.login("bob@example.com", PASSWORD, CLIENT)).user.email == (
        "bob@example.com"
    )


async def test_registrations_from_one_address_are_rate_limited() -> None:
    sut = create_identity_system(limits=Limits(register_per_ip=(2, 3600)))
    for n in range(2):
        await sut.auth.register(create_registration(f"user{n}@example.com"), CLIENT)
    with pytest.raises(RateLimited):
        await sut.auth.register(create_registration("user3@example.com"), CLIENT)
    await sut.auth.register(create_registration("user4@example.com"), "192.0.2.1")
    assert len(sut.store.users) == 3


# --- tokens -----------------------------------------------------------------------------------


async def test_refresh_rotates_and_the_old_refresh_token_is_spent() -> None:
    sut = create_identity_system()
    await sut.create_user()
    first = (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens
    # When the refresh token is used
    second = (await sut.auth.refresh(first.refresh)).tokens
    # Then a new pair works and the old refresh token does not
    assert second.refresh != first.refresh
    assert (await sut.auth.refresh(second.refresh)).user.email == "ann@example.com"
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(first.refresh)


async def test_reuse_of_a_spent_refresh_token_revokes_every_token_of_the_user() -> None:
    sut = create_identity_system()
    user = await sut.create_user()
    other = await sut.create_user("bob@example.com")
    stolen = (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens.refresh
    newest = (await sut.auth.refresh(stolen)).tokens.refresh
    bobs = (await sut.auth.login("bob@example.com", PASSWORD, CLIENT)).tokens.refresh
    # When the spent token is replayed
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(stolen)
    # Then even the newest token of that user is dead, and other users keep theirs
    assert live_refresh_tokens(sut, user.pk) == []
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(newest)
    assert live_refresh_tokens(sut, other.pk)
    assert (await sut.auth.refresh(bobs)).user.pk == other.pk


async def test_refresh_fails_after_seven_days_and_for_a_deactivated_user() -> None:
    sut = create_identity_system()
    user = await sut.create_user()
    old = (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens
    sut.clock.advance(timedelta(days=7))
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(old.refresh)
    fresh = (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens
    async with sut.uow() as uow:
        stored = await uow.users.get(user.pk)
        assert stored is not None
        stored.is_active = False
        await uow.commit()
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(fresh.refresh)


async def test_access_token_authenticates_for_an_hour_and_only_an_active_user() -> None:
    sut = create_identity_system()
    user = await sut.create_user()
    tokens = (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens
    # Then the access token names the user, the refresh token is no access token
    found = await sut.auth.authenticate("bearer", tokens.access)
    assert found is not None
    assert found.pk == user.pk
    assert await sut.auth.authenticate("bearer", tokens.refresh) is None
    # and after an hour it is worthless
    sut.clock.advance(timedelta(hours=1))
    assert await sut.auth.authenticate("bearer", tokens.access) is None


async def test_logout_revokes_the_given_refresh_token_and_ends_the_session() -> None:
    sut = create_identity_system()
    user = await sut.create_user()
    login = await sut.auth.login("ann@example.com", PASSWORD, CLIENT)
    kept = (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens.refresh
    session = await sut.auth.open_session(login.user)
    assert await sut.auth.authenticate("session", session_digest(session)) is not None
    # When the user logs out with one refresh token and the session
    await sut.auth.logout(user.pk, login.tokens.refresh, session)
    # Then that token and the session are dead, the other device's token lives
    assert len(live_refresh_tokens(sut, user.pk)) == 1
    assert await sut.auth.authenticate("session", session_digest(session)) is None
    assert (await sut.auth.refresh(kept)).user.pk == user.pk
    # and a replay of the logged-out token counts as theft: every token of the user dies
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(login.tokens.refresh)
    assert live_refresh_tokens(sut, user.pk) == []


async def test_logout_with_someone_elses_refresh_token_is_refused() -> None:
    sut = create_identity_system()
    ann = await sut.create_user()
    await sut.create_user("bob@example.com")
    bobs = (await sut.auth.login("bob@example.com", PASSWORD, CLIENT)).tokens.refresh
    with pytest.raises(Unauthenticated):
        await sut.auth.logout(ann.pk, bobs, None)
    assert (await sut.auth.refresh(bobs)).user.email == "bob@example.com"


# --- email verification -----------------------------------------------------------------------


async def test_verification_link_works_once() -> None:
    sut = create_identity_system()
    user = (await sut.auth.register(create_registration(), CLIENT)).user
    _, uid, token = sut.last_link_to("ann@example.com")
    # When the link is followed
    verified = await sut.auth.verify_email(uid, token)
    # Then the user is verified, and the same link is refused afterwards
    assert verified.is_verified
    assert sut.user(user.pk).is_verified
    with pytest.raises(InvalidInput) as raised:
        await sut.auth.verify_email(uid, token)
    assert list(raised.value.details) == ["token"]


async def test_verification_link_expires_after_its_lifetime() -> None:
    sut = create_identity_system()
    await sut.auth.register(create_registration(), CLIENT)
    _, uid, token = sut.last_link_to("ann@example.com")
    sut.clock.advance(LINK_LIFETIMES[LinkPurpose.VERIFY_EMAIL] + timedelta(seconds=1))
    with pytest.raises(InvalidInput):
        await sut.auth.verify_email(uid, token)


@pytest.mark.parametrize("uid", ["", "!!!", "bm90LWEtbnVtYmVy", "OTk5"])
async def test_a_link_with_a_broken_or_unknown_uid_is_refused(uid: str) -> None:
    sut = create_identity_system()
    await sut.auth.register(create_registration(), CLIENT)
    _, _, token = sut.last_link_to("ann@example.com")
    with pytest.raises(InvalidInput):
        await sut.auth.verify_email(uid, token)


async def test_verification_link_survives_a_later_sign_in() -> None:
    sut = create_identity_system()
    await sut.auth.register(create_registration(), CLIENT)
    _, uid, token = sut.last_link_to("ann@example.com")
    # Given the candidate signs in again (another device) before opening the mail
    sut.clock.advance(timedelta(minutes=5))
    await sut.auth.login("ann@example.com", PASSWORD, CLIENT)
    # When the verification link is followed
    verified = await sut.auth.verify_email(uid, token)
    # Then the address is verified
    assert verified.is_verified


async def test_verification_link_dies_when_the_address_changes() -> None:
    sut = create_identity_system()
    result = await sut.auth.register(create_registration(), CLIENT)
    _, uid, token = sut.last_link_to("ann@example.com")
    # Given the address is changed before the link is followed
    sut.user(result.user.pk).email = "other@example.com"
    # Then the link mailed to the old address proves nothing about the new one
    with pytest.raises(InvalidInput):
        await sut.auth.verify_email(uid, token)
    assert not sut.user(result.user.pk).is_verified


# --- password reset ---------------------------------------------------------------------------


async def test_reset_request_for_an_unknown_or_inactive_address_is_silent() -> None:
    sut = create_identity_system()
    await sut.create_user("off@example.com", is_active=False)
    await sut.auth.request_password_reset("nobody@example.com", CLIENT)
    await sut.auth.request_password_reset("off@example.com", CLIENT)
    assert sut.store.outbox == {}


async def test_password_reset_sets_the_password_and_revokes_every_refresh_token() -> None:
    sut = create_identity_system()
    user = await sut.create_user(is_verified=False)
    devices = [
        (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens.refresh for _ in range(2)
    ]
    old_access = (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).tokens.access
    assert await sut.auth.authenticate("bearer", old_access) is not None
    # When a reset is requested and confirmed
    await sut.auth.request_password_reset(" Ann@Example.com", CLIENT)
    path, uid, token = sut.last_link_to("ann@example.com")
    assert path == "/auth/reset-password/"
    await sut.auth.set_password(
        uid, token, NEW_PASSWORD, NEW_PASSWORD, CLIENT, LinkPurpose.RESET_PASSWORD
    )
    # Then only the new password works, no refresh token survives, the address is verified
    assert (await sut.auth.login("ann@example.com", NEW_PASSWORD, CLIENT)).user.pk == user.pk
    with pytest.raises(Unauthenticated):
        await sut.auth.login("ann@example.com", PASSWORD, CLIENT)
    for refresh in devices:
        with pytest.raises(Unauthenticated):
            await sut.auth.refresh(refresh)
    assert sut.user(user.pk).is_verified
    # and access tokens issued before the reset stop at once; a new sign-in's work
    assert await sut.auth.authenticate("bearer", old_access) is None
    fresh = await sut.auth.login("ann@example.com", NEW_PASSWORD, CLIENT)
    found = await sut.auth.authenticate("bearer", fresh.tokens.access)
    assert found is not None
    assert found.pk == user.pk
    # and the mail never carried a password
    assert all(
        NEW_PASSWORD not in m.body and PASSWORD not in m.body
        for m in sut.mails_to("ann@example.com")
    )


async def test_a_reset_link_cannot_be_used_twice() -> None:
    sut = create_identity_system()
    await sut.create_user()
    await sut.auth.request_password_reset("ann@example.com", CLIENT)
    _, uid, token = sut.last_link_to("ann@example.com")
    purpose = LinkPurpose.RESET_PASSWORD
    await sut.auth.set_password(uid, token, NEW_PASSWORD, NEW_PASSWORD, CLIENT, purpose)
    with pytest.raises(InvalidInput):
        await sut.auth.set_password(
            uid, token, "An0ther-password", "An0ther-password", CLIENT, purpose
        )
    assert (await sut.auth.login("ann@example.com", NEW_PASSWORD, CLIENT)).user.email


async def test_a_reset_link_survives_a_sign_in_and_still_works_once() -> None:
    sut = create_identity_system()
    await sut.create_user()
    await sut.auth.request_password_reset("ann@example.com", CLIENT)
    _, uid, token = sut.last_link_to("ann@example.com")
    purpose = LinkPurpose.RESET_PASSWORD
    # Given the user signs in on another device before opening the mail
    sut.clock.advance(timedelta(minutes=5))
    await sut.auth.login("ann@example.com", PASSWORD, CLIENT)
    # When the link is followed, it works, and only once
    await sut.auth.set_password(uid, token, NEW_PASSWORD, NEW_PASSWORD, CLIENT, purpose)
    with pytest.raises(InvalidInput):
        await sut.auth.set_password(uid, token, PASSWORD, PASSWORD, CLIENT, purpose)
    assert (await sut.auth.login("ann@example.com", NEW_PASSWORD, CLIENT)).user.email


async def test_a_reset_link_expires_after_two_hours() -> None:
    sut = create_identity_system()
    await sut.create_user()
    await sut.auth.request_password_reset("ann@example.com", CLIENT)
    _, uid, token = sut.last_link_to("ann@example.com")
    # Given the lifetime the container uses
    assert LINK_LIFETIMES[LinkPurpose.RESET_PASSWORD] == timedelta(hours=2)
    sut.clock.advance(timedelta(hours=2, seconds=1))
    with pytest.raises(InvalidInput):
        await sut.auth.set_password(
            uid, token, NEW_PASSWORD, NEW_PASSWORD, CLIENT, LinkPurpose.RESET_PASSWORD
        )
    assert (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).user.email


async def test_a_reset_link_is_no_verification_or_invitation_link() -> None:
    sut = create_identity_system()
    await sut.create_user(is_verified=False)
    await sut.auth.request_password_reset("ann@example.com", CLIENT)
    _, uid, token = sut.last_link_to("ann@example.com")
    with pytest.raises(InvalidInput):
        await sut.auth.verify_email(uid, token)
    with pytest.raises(InvalidInput):
        await sut.auth.set_password(
            uid, token, NEW_PASSWORD, NEW_PASSWORD, CLIENT, LinkPurpose.SET_PASSWORD
        )


async def test_set_password_checks_the_new_password_first() -> None:
    sut = create_identity_system()
    await sut.create_user()
    await sut.auth.request_password_reset("ann@example.com", CLIENT)
    _, uid, token = sut.last_link_to("ann@example.com")
    with pytest.raises(InvalidInput) as raised:
        await sut.auth.set_password(uid, token, "weak", "weak", CLIENT, LinkPurpose.RESET_PASSWORD)
    assert list(raised.value.details) == ["password"]
    # the link is still good
    await sut.auth.set_password(
        uid, token, NEW_PASSWORD, NEW_PASSWORD, CLIENT, LinkPurpose.RESET_PASSWORD
    )


async def test_reset_requests_per_account_are_rate_limited() -> None:
    sut = create_identity_system(limits=Limits(reset_per_account=(3, 3600)))
    await sut.create_user()
    for _ in range(3):
        await sut.auth.request_password_reset("ann@example.com", CLIENT)
    with pytest.raises(RateLimited):
        await sut.auth.request_password_reset("ANN@example.com", CLIENT)
    assert len(sut.mails_to("ann@example.com")) == 3


# --- Google -----------------------------------------------------------------------------------


def create_google_identity(
    email: str = "gina@gmail.com", verified: bool = True
) -> ExternalIdentity:
    return ExternalIdentity(
        subject="1234567890",
        email=email,
        email_verified=verified,
        first_name="Gina",
        last_name="Google",
    )


async def test_google_login_creates_a_verified_google_candidate() -> None:
    sut = create_identity_system()
    sut.google.identities["id-token"] = create_google_identity("Gina@Gmail.com")
    result = await sut.auth.login_with_google("id-token")
    user = sut.user(result.user.pk)
    assert (user.email, user.auth_type, user.role) == ("gina@gmail.com", AuthType.GOOGLE, Role.USER)
    assert (user.is_verified, user.password_hash, user.last_login) == (True, None, sut.clock.now())
    assert [p.user_id for p in sut.store.candidate_profiles.values()] == [user.pk]
    # the second time it is the same account
    assert (await sut.auth.login_with_google("id-token")).user.pk == user.pk
    assert len(sut.store.users) == 1


async def test_google_login_links_an_existing_account_and_verifies_it() -> None:
    sut = create_identity_system()
    user = await sut.create_user("gina@gmail.com", is_verified=False)
    sut.google.identities["id-token"] = create_google_identity()
    result = await sut.auth.login_with_google("id-token")
    assert result.user.pk == user.pk
    assert sut.user(user.pk).is_verified
    assert len(sut.store.users) == 1


async def test_google_login_refuses_unverified_addresses_inactive_users_and_bad_tokens() -> None:
    sut = create_identity_system()
    await sut.create_user("off@gmail.com", is_active=False)
    sut.google.identities["unverified"] = create_google_identity(verified=False)
    sut.google.identities["inactive"] = create_google_identity("off@gmail.com")
    for token in ("unverified", "inactive", "forged"):
        with pytest.raises(Unauthenticated):
            await sut.auth.login_with_google(token)
    assert [u.email for u in sut.store.users.values()] == ["off@gmail.com"]


async def test_google_login_to_a_squatted_unverified_account_evicts_the_squatter() -> None:
    sut = create_identity_system()
    # Given an attacker registered the victim's address with the attacker's password
    squatter = await sut.auth.register(create_registration("gina@gmail.com"), "192.0.2.66")
    # When the owner of the address signs in with Google
    sut.google.identities["id-token"] = create_google_identity()
    await sut.auth.login_with_google("id-token")
    # Then the attacker's password and tokens no longer open the account: the access token
    # stops at once, not at the end of its hour
    assert await sut.auth.authenticate("bearer", squatter.tokens.access) is None
    with pytest.raises(Unauthenticated):
        await sut.auth.refresh(squatter.tokens.refresh)
    with pytest.raises(Unauthenticated):
        await sut.auth.login("gina@gmail.com", PASSWORD, "192.0.2.66")


async def test_google_login_ends_the_squatters_sessions_and_makes_a_google_account() -> None:
    sut = create_identity_system()
    squatter = await sut.auth.register(
        create_registration("gina@gmail.com", first_name="Mallory"), "192.0.2.66"
    )
    cookie = await sut.auth.open_session(squatter.user)
    assert await sut.auth.authenticate("session", session_digest(cookie)) is not None
    sut.google.identities["id-token"] = create_google_identity()
    # When the owner of the address signs in with Google
    result = await sut.auth.login_with_google("id-token")
    # Then the squatter's browser session is over; the owner's own tokens work
    assert await sut.auth.authenticate("session", session_digest(cookie)) is None
    assert (await sut.auth.refresh(result.tokens.refresh)).user.pk == squatter.user.pk
    # and the account is a verified Google account in the owner's name, with no password
    user = sut.user(squatter.user.pk)
    assert (user.auth_type, user.password_hash, user.is_verified) == (AuthType.GOOGLE, None, True)
    assert (user.first_name, user.last_name) == ("Gina", "Google")


async def test_google_login_to_a_verified_account_keeps_its_password_and_devices() -> None:
    sut = create_identity_system()
    user = await sut.create_user("gina@gmail.com", is_verified=True)
    device = (await sut.auth.login("gina@gmail.com", PASSWORD, CLIENT)).tokens.refresh
    sut.google.identities["id-token"] = create_google_identity()
    await sut.auth.login_with_google("id-token")
    # The owner proved the address before: nothing of theirs is taken away
    assert (await sut.auth.login("gina@gmail.com", PASSWORD, CLIENT)).user.pk == user.pk
    assert (await sut.auth.refresh(device)).user.pk == user.pk
    assert sut.user(user.pk).auth_type is AuthType.LOCAL


# --- the real argon2 hasher ---------------------------------------------------------------------


async def test_argon2_hasher_hashes_off_the_loop_and_verifies() -> None:
    pool = BlockingPool("argon2-test", workers=2, queue_timeout_s=5.0)
    sut = Argon2PasswordHasher(pool, time_cost=1, memory_cost=1024)
    try:
        hashed = await sut.hash(PASSWORD)
        assert hashed.startswith("$argon2id$")
        assert hashed != await sut.hash(PASSWORD)  # salted
        assert await sut.verify(hashed, PASSWORD)
        assert not await sut.verify(hashed, PASSWORD + "!")
        assert not await sut.verify("not-a-hash", PASSWORD)
        await sut.verify_dummy(PASSWORD)
    finally:
        pool.shutdown()


async def test_login_works_with_the_argon2_hasher() -> None:
    pool = BlockingPool("argon2-test", workers=2, queue_timeout_s=5.0)
    hasher = Argon2PasswordHasher(pool, time_cost=1, memory_cost=1024)
    sut = create_identity_system(hasher=hasher)
    try:
        await sut.auth.register(create_registration(), CLIENT)
        assert sut.by_email("ann@example.com").password_hash.startswith("$argon2id$")  # type: ignore[union-attr]
        assert (await sut.auth.login("ann@example.com", PASSWORD, CLIENT)).user.email
        with pytest.raises(Unauthenticated):
            await sut.auth.login("ann@example.com", "Wr0ng-password", CLIENT)
    finally:
        pool.shutdown()


async def test_the_service_hashes_with_the_rfc_9106_low_memory_profile(
    make_settings: Callable[..., Settings],
) -> None:
    # API tests swap in a cheap hasher for speed; the real container must not be cheap
    container = create_container(make_settings())
    try:
        hashed = await container.password_hasher().hash(PASSWORD)
    finally:
        container.blocking_pool().shutdown()
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
