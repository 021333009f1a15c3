"""The OAuth state names the user who started connecting, for ten minutes, and cannot be
altered or made with another secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hrhelper.domain.google.state import ConnectStates

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


def test_a_state_names_its_user_until_it_expires() -> None:
    sut = ConnectStates("secret-one", timedelta(minutes=10))
    state = sut.make(42, NOW)
    assert sut.check(state, NOW) == 42
    assert sut.check(state, NOW + timedelta(minutes=10)) == 42
    assert sut.check(state, NOW + timedelta(minutes=10, seconds=1)) is None
    assert sut.check(state, NOW - timedelta(seconds=1)) is None  # issued in the future
    assert sut.make(42, NOW) != state  # each carries its own nonce


def test_another_secret_does_not_accept_it() -> None:
    state = ConnectStates("secret-one").make(7, NOW)
    assert ConnectStates("secret-two").check(state, NOW) is None


@given(position=st.integers(min_value=0), replacement=st.characters(codec="ascii"))
def test_any_change_to_a_state_is_refused(position: int, replacement: str) -> None:
    sut = ConnectStates("secret-one")
    state = sut.make(7, NOW)
    index = position % len(state)
    changed = state[:index] + replacement + state[index + 1 :]
    if changed != state:
        assert sut.check(changed, NOW) is None


def test_garbage_is_refused() -> None:
    sut = ConnectStates("secret-one")
    for state in ("", ".", "7", "7.1.x", "a.b.c.d", "7.1.x.y.z"):
        assert sut.check(state, NOW) is None
