"""Huntflow credentials through UserService: the active system, the token pair per system,
sealed at rest and answered masked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hrhelper.domain.errors import InvalidInput, NotPermitted
from hrhelper.domain.identity.model import HuntflowSystem, Role
from hrhelper.domain.identity.users import UserChanges
from tests.support.identity_fakes import IdentitySystem, create_identity_system

ACCESS = "hf-access-0123456789abcdef"
REFRESH = "hf-refresh-fedcba9876543210"


async def create_hr(system: IdentitySystem) -> int:
    return (await system.create_user("hr@example.com", Role.HR)).pk


async def test_the_key_and_refresh_token_go_to_the_active_system_sealed() -> None:
    sut = create_identity_system()
    hr_id = await create_hr(sut)
    hr = sut.user(hr_id)
    # When an HR saves a token pair without choosing a system
    view = await sut.users.update(
        hr, hr_id, UserChanges({"huntflow_api_key": ACCESS, "huntflow_refresh_token": REFRESH})
    )
    # Then it belongs to the sandbox, shown masked, with the lifetimes of a fresh pair
    assert view.huntflow.active_system is HuntflowSystem.SANDBOX
    assert (view.huntflow.access_set, view.huntflow.refresh_set) == (True, True)
    assert view.huntflow.access_masked == "••••cdef"
    assert view.huntflow.access_expires_at == sut.clock.now() + timedelta(days=7)
    stored = sut.store.huntflow_tokens[(hr_id, HuntflowSystem.SANDBOX)]
    assert ACCESS not in stored.access_token
    assert stored.refresh_token is not None
    assert REFRESH not in stored.refresh_token
    assert (sut.box.open(stored.access_token), sut.box.open(stored.refresh_token)) == (
        ACCESS,
        REFRESH,
    )
    assert stored.refresh_expires_at == sut.clock.now() + timedelta(days=14)
    assert list(sut.store.huntflow_tokens) == [(hr_id, HuntflowSystem.SANDBOX)]


async def test_switching_the_system_shows_that_systems_pair_and_keeps_the_other() -> None:
    sut = create_identity_system()
    hr_id = await create_hr(sut)
    await sut.users.update(sut.user(hr_id), hr_id, UserChanges({"huntflow_api_key": ACCESS}))
    # When the HR switches to prod and saves another key in the same change
    view = await sut.users.update(
        sut.user(hr_id),
        hr_id,
        UserChanges({"huntflow_active_system": "prod", "huntflow_api_key": "prod-key-99998888"}),
    )
    # Then the key shown is prod's; the sandbox pair is still there
    assert view.huntflow.active_system is HuntflowSystem.PROD
    assert view.huntflow.access_masked == "••••8888"
    assert not view.huntflow.refresh_set
    assert set(sut.store.huntflow_tokens) == {
        (hr_id, HuntflowSystem.SANDBOX),
        (hr_id, HuntflowSystem.PROD),
    }
    # and switching back shows the sandbox key again
    back = await sut.users.update(
        sut.user(hr_id), hr_id, UserChanges({"huntflow_active_system": "sandbox"})
    )
    assert back.huntflow.access_masked == "••••cdef"
    assert sut.user(hr_id).huntflow_active_system is HuntflowSystem.SANDBOX


async def test_a_new_access_token_keeps_the_refresh_token_and_an_empty_key_removes_the_pair() -> (
    None
):
    sut = create_identity_system()
    hr_id = await create_hr(sut)
    changes = {"huntflow_api_key": ACCESS, "huntflow_refresh_token": REFRESH}
    await sut.users.update(sut.user(hr_id), hr_id, UserChanges(changes))
    sut.clock.advance(timedelta(days=1))
    view = await sut.users.update(
        sut.user(hr_id), hr_id, UserChanges({"huntflow_api_key": "another-access-1111"})
    )
    assert (view.huntflow.access_masked, view.huntflow.refresh_set) == ("••••1111", True)
    stored = sut.store.huntflow_tokens[(hr_id, HuntflowSystem.SANDBOX)]
    assert stored.refresh_token is not None
    assert sut.box.open(stored.refresh_token) == REFRESH
    # When the key is cleared
    cleared = await sut.users.update(sut.user(hr_id), hr_id, UserChanges({"huntflow_api_key": ""}))
    # Then the whole pair of the active system is gone
    assert not cleared.huntflow.access_set
    assert not any(status.is_set for status in cleared.credentials.values())
    assert sut.store.huntflow_tokens == {}


async def test_a_refresh_token_alone_needs_an_access_token_and_nothing_is_half_stored() -> None:
    sut = create_identity_system()
    hr_id = await create_hr(sut)
    with pytest.raises(InvalidInput) as raised:
        await sut.users.update(
            sut.user(hr_id),
            hr_id,
            UserChanges({"first_name": "Changed", "huntflow_refresh_token": REFRESH}),
        )
    assert list(raised.value.details) == ["huntflow_refresh_token"]
    assert sut.store.huntflow_tokens == {}
    assert sut.user(hr_id).first_name == "Ann"


async def test_an_unknown_system_is_refused() -> None:
    sut = create_identity_system()
    hr_id = await create_hr(sut)
    with pytest.raises(InvalidInput) as raised:
        await sut.users.update(
            sut.user(hr_id), hr_id, UserChanges({"huntflow_active_system": "staging"})
        )
    assert list(raised.value.details) == ["huntflow_active_system"]


@pytest.mark.parametrize("field", ["huntflow_refresh_token", "huntflow_active_system"])
async def test_candidates_may_not_set_huntflow_fields(field: str) -> None:
    sut = create_identity_system()
    candidate = await sut.create_user("ann@example.com", Role.USER)
    with pytest.raises(NotPermitted) as raised:
        await sut.users.update(candidate, candidate.pk, UserChanges({field: "prod"}))
    assert list(raised.value.details) == [field]
