"""Properties of the token service: what a refresh or access token may still do, whatever
happened before (rotation, replay, logout, time)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hrhelper.adapters.security.jwt_signer import JwtSigner
from hrhelper.domain.errors import Unauthenticated
from hrhelper.domain.identity.tokens import ACCESS, REFRESH
from tests.support.identity_fakes import PASSWORD, IdentitySystem, create_identity_system

ACCESS_LIFETIME = 3600
REFRESH_LIFETIME = 7 * 86400
EMAILS = ("ann@example.com", "bob@example.com")
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

clock_moves = st.one_of(
    st.integers(min_value=0, max_value=600),
    st.sampled_from(
        [ACCESS_LIFETIME - 1, ACCESS_LIFETIME, REFRESH_LIFETIME - 1, REFRESH_LIFETIME, 86400]
    ),
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("login"), st.integers(0, len(EMAILS) - 1)),
        st.tuples(st.just("refresh"), st.integers(0, 20)),
        st.tuples(st.just("logout"), st.integers(0, 20)),
        st.tuples(st.just("advance"), clock_moves),
    ),
    min_size=1,
    max_size=25,
)


@dataclass
class IssuedPair:
    """The model's view of one issued pair."""

    user_id: int
    access: str
    refresh: str
    issued: int  # whole seconds, as the JWT counts
    live: bool = True

    def refresh_unexpired(self, now: int) -> bool:
        return now < self.issued + REFRESH_LIFETIME

    def access_unexpired(self, now: int) -> bool:
        return now < self.issued + ACCESS_LIFETIME


class TokenModel:
    def __init__(self, system: IdentitySystem, user_ids: list[int]) -> None:
        self.system = system
        self.user_ids = user_ids
        self.pairs: list[IssuedPair] = []

    @property
    def now(self) -> int:
        return int(self.system.clock.now().timestamp())

    def remember(self, user_id: int, access: str, refresh: str) -> None:
        self.pairs.append(IssuedPair(user_id, access, refresh, self.now))

    async def login(self, who: int) -> None:
        result = await self.system.auth.login(EMAILS[who], PASSWORD, "192.0.2.1")
        self.remember(result.user.pk, result.tokens.access, result.tokens.refresh)

    async def refresh(self, index: int) -> None:
        pair = self.pairs[index % len(self.pairs)]
        expected = pair.live and pair.refresh_unexpired(self.now)
        try:
            result = await self.system.auth.refresh(pair.refresh)
        except Unauthenticated:
            succeeded = False
        else:
            succeeded = True
            assert result.user.pk == pair.user_id
            self.remember(pair.user_id, result.tokens.access, result.tokens.refresh)
        # Then a refresh token works iff it was never rotated, revoked or expired
        assert succeeded == expected, (pair, self.now)
        if succeeded:
            pair.live = False
        elif pair.refresh_unexpired(self.now):
            # a replayed (spent or revoked) token kills every token of its user
            for other in self.pairs:
                if other.user_id == pair.user_id:
                    other.live = False

    async def logout(self, index: int) -> None:
        pair = self.pairs[index % len(self.pairs)]
        try:
            await self.system.auth.logout(pair.user_id, pair.refresh, None)
        except Unauthenticated:
            assert not pair.refresh_unexpired(self.now)
        else:
            assert pair.refresh_unexpired(self.now)
            pair.live = False

    def check_access_tokens(self) -> None:
        now = self.system.clock.now()
        for pair in self.pairs:
            found = self.system.tokens.access_user_id(pair.access, now)
            # Then an access token names its user until it expires, and never after
            assert found == (pair.user_id if pair.access_unexpired(self.now) else None)
            assert self.system.tokens.access_user_id(pair.refresh, now) is None


@settings(max_examples=60, deadline=None)
@given(ops=operations)
def test_refresh_and_access_tokens_never_outlive_rotation_revocation_or_expiry(
    ops: list[tuple[str, int]],
) -> None:
    async def scenario() -> None:
        system = create_identity_system()
        user_ids = [(await system.create_user(email)).pk for email in EMAILS]
        model = TokenModel(system, user_ids)
        for op, arg in ops:
            if op == "login":
                await model.login(arg)
            elif op == "advance":
                system.clock.advance(timedelta(seconds=arg))
            elif model.pairs:
                await (model.refresh if op == "refresh" else model.logout)(arg)
            model.check_access_tokens()
        # and the store agrees: no refresh token the model calls dead is live there
        live_jtis = {j for j, row in system.store.refresh_tokens.items() if row.revoked_at is None}
        assert len(live_jtis) >= sum(p.live for p in model.pairs)

    asyncio.run(scenario())


NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
SIGNER = JwtSigner("a-secret-key-long-enough-for-hs256-0123456789")


@settings(max_examples=150, deadline=None)
@given(
    user_id=st.integers(min_value=1, max_value=2**31 - 1),
    token_type=st.sampled_from([ACCESS, REFRESH]),
    jti=st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
    lifetime=st.integers(min_value=1, max_value=REFRESH_LIFETIME),
    position=st.integers(min_value=0),
    replacement=st.sampled_from(BASE64URL + ".=!"),
)
def test_a_token_with_any_one_character_changed_never_validates(
    user_id: int, token_type: str, jti: str, lifetime: int, position: int, replacement: str
) -> None:
    # Given a valid token
    token = SIGNER.sign(user_id, token_type, jti, lifetime, NOW)
    claims = SIGNER.verify(token, token_type, NOW)
    assert claims is not None
    assert (claims.user_id, claims.jti) == (user_id, jti)
    # When one character is changed
    index = position % len(token)
    assume(token[index] != replacement)
    tampered = token[:index] + replacement + token[index + 1 :]
    # Then it validates for no type at all
    assert SIGNER.verify(tampered, token_type, NOW) is None
    assert SIGNER.verify(tampered, ACCESS if token_type == REFRESH else REFRESH, NOW) is None


@settings(max_examples=60, deadline=None)
@given(
    token_type=st.sampled_from([ACCESS, REFRESH]),
    lifetime=st.integers(min_value=1, max_value=REFRESH_LIFETIME),
    age=st.integers(min_value=0, max_value=2 * REFRESH_LIFETIME),
)
def test_a_token_validates_exactly_until_it_expires_and_only_for_its_type(
    token_type: str, lifetime: int, age: int
) -> None:
    token = SIGNER.sign(7, token_type, "jti", lifetime, NOW)
    claims = SIGNER.verify(token, token_type, NOW + timedelta(seconds=age))
    assert (claims is not None) == (age < lifetime)
    other = ACCESS if token_type == REFRESH else REFRESH
    assert SIGNER.verify(token, other, NOW) is None
    assert (
        JwtSigner("another-secret-key-0123456789-0123456789").verify(token, token_type, NOW) is None
    )
