"""A bulk import meeting an outage of Huntflow or of its source: the item stays pending, the
run pauses (saying why) with a growing wait and tries the same item again; a stop is
honoured while it waits; an outage longer than the give-up bound ends the import failed with
its items pending. Over in-memory adapters and a fake clock whose sleeps move time."""

from __future__ import annotations

from datetime import datetime, timedelta

from hrhelper.domain.errors import OutsideServiceError, OutsideServiceUnavailable
from hrhelper.domain.recruiting.bulk_import import ImportRequest
from hrhelper.domain.recruiting.bulk_import_model import BulkImport, ImportStatus, ItemStatus
from tests.support.ats import Fault, Outages, Step
from tests.support.bulk import ACCOUNT, PACING, USER, VACANCY, World, create_world, run_queued

HOUR = timedelta(hours=1)


def given_outage(world: World, service: str, start_s: float, end_s: float) -> None:
    """``service`` (``huntflow`` or ``clickup``) is out of reach from ``start_s`` to ``end_s``
    seconds from now."""
    now = world.clock.now()
    span = (now + timedelta(seconds=start_s), now + timedelta(seconds=end_s))
    if service == "huntflow":
        world.ats.outages = Outages("Huntflow", world.clock.now, [span])
    else:
        world.source.outages = Outages("ClickUp", world.clock.now, [span])


def record_pauses(world: World) -> list[tuple[datetime, str, datetime]]:
    """(when, reason, until) of every pause the run stores."""
    pauses: list[tuple[datetime, str, datetime]] = []
    pause = world.store.pause

    async def recording(
        import_id: int, owner: str, now: datetime, reason: str, until: datetime
    ) -> BulkImport | None:
        pauses.append((now, reason, until))
        return await pause(import_id, owner, now, reason, until)

    world.store.pause = recording  # type: ignore[method-assign]
    return pauses


async def start(world: World, delay_s: float = 0.0) -> int:
    job = await world.sut.start(USER, "clickup", ImportRequest(ACCOUNT, VACANCY, delay_s=delay_s))
    return job.id or 0


async def test_an_outage_pauses_the_item_and_the_import_goes_on_once_huntflow_is_back() -> None:
    # Given three cards and Huntflow out of reach for the first 70 s of the import
    world = create_world(["a", "b", "c"], [], {})
    pauses = record_pauses(world)
    given_outage(world, "huntflow", 0, 70)
    seen: list[tuple[str | None, ItemStatus]] = []

    async def look(_: int) -> None:  # what the progress answers show while it waits
        job = await world.sut.get(USER, "clickup", import_id)
        items = await world.sut.items(USER, "clickup", import_id)
        seen.append((job.pause_reason, items[0].status))

    world.clock.on_sleep = look
    import_id = await start(world)
    # When it runs
    await run_queued(world)
    # Then it waited 5, 10, 20, 40 s, tried the first card again then, and went on
    waits = [(until - now).total_seconds() for now, _, until in pauses]
    assert waits == [5.0, 10.0, 20.0, 40.0]
    assert all("Huntflow cannot be reached" in reason for _, reason, _ in pauses)
    assert world.ats.outages.hits == 4  # one refused try per pause; the fifth went through
    # and while it waited the import said why and the card stayed pending
    assert seen
    assert all(reason is not None and "Huntflow" in reason for reason, _ in seen)
    assert {status for _, status in seen} == {ItemStatus.PENDING}
    # and it ended with every card in Huntflow once and the pause cleared
    done = await world.sut.get(USER, "clickup", import_id)
    assert (done.status, done.succeeded, done.failed) == (ImportStatus.COMPLETED, 3, 0)
    assert (done.pause_reason, done.paused_until, done.error) == (None, None, None)
    for item_id in "abc":
        assert len(world.ats.applicants_named(f"Last{item_id}")) == 1


async def test_the_wait_grows_to_its_cap_and_honours_a_longer_retry_after() -> None:
    world = create_world(["a"], [], {})
    pauses = record_pauses(world)
    given_outage(world, "huntflow", 0, 400)
    await start(world)
    await run_queued(world)
    waits = [(until - now).total_seconds() for now, _, until in pauses]
    assert waits == [5.0, 10.0, 20.0, 40.0, 60.0, 60.0, 60.0, 60.0, 60.0, 60.0]
    # the wait a service asks for counts, within the cap
    world = create_world(["a"], [], {})
    pauses = record_pauses(world)
    original = world.ats.vacancy

    async def throttled(account_id: int, vacancy_id: int) -> object:
        if not pauses:
            raise OutsideServiceUnavailable("Huntflow keeps rate-limiting.", {"retry_after": 30})
        return await original(account_id, vacancy_id)

    world.ats.vacancy = throttled  # type: ignore[assignment,method-assign]
    await start(world)
    await run_queued(world)
    assert [(until - now).total_seconds() for now, _, until in pauses] == [30.0]


async def test_a_source_outage_pauses_too_and_a_refused_card_fails_alone() -> None:
    # Given ClickUp out of reach while listing and for a while after, and a card it refuses
    world = create_world(["a", "b"], [], {"b": 99})
    pauses = record_pauses(world)
    given_outage(world, "clickup", 0, 30)
    import_id = await start(world)
    await run_queued(world)
    # Then the listing and the first card waited out the outage, and only b failed
    assert pauses
    assert all("ClickUp" in reason for _, reason, _ in pauses)
    done = await world.sut.get(USER, "clickup", import_id)
    assert (done.status, done.succeeded, done.failed) == (ImportStatus.COMPLETED, 1, 1)
    items = {i.source_id: i for i in await world.sut.items(USER, "clickup", import_id)}
    assert items["b"].status is ItemStatus.FAILED
    assert items["b"].reason == "The task b cannot be read."
    assert world.clock.now() - pauses[0][0] >= timedelta(seconds=30)


async def test_an_outage_beyond_the_give_up_bound_fails_the_import_with_its_items_pending() -> None:
    # Given Huntflow out of reach for two hours
    world = create_world(["a", "b"], [], {})
    given_outage(world, "huntflow", 0, 2 * 3600)
    import_id = await start(world)
    began = world.clock.now()
    # When the import runs
    await run_queued(world)
    # Then it gave up after an hour, failed, saying why, with its cards still pending
    job = await world.sut.get(USER, "clickup", import_id)
    assert job.status is ImportStatus.FAILED
    assert job.error is not None
    assert "Huntflow cannot be reached" in job.error
    assert "waited 60 min" in job.error
    assert "retry-failed" in job.error
    assert world.clock.now() - began == PACING.outage_give_up
    assert (job.failed, job.pause_reason) == (0, None)
    items = await world.sut.items(USER, "clickup", import_id)
    assert {i.status for i in items} == {ItemStatus.PENDING}
    # and once Huntflow is back, retry-failed goes on from there
    world.clock.advance(HOUR)
    await world.sut.retry_failed(USER, "clickup", import_id)
    await run_queued(world)
    done = await world.sut.get(USER, "clickup", import_id)
    assert (done.status, done.succeeded, done.failed, done.error) == (
        ImportStatus.COMPLETED,
        2,
        0,
        None,
    )


async def test_a_stop_is_honoured_while_the_import_waits_out_an_outage() -> None:
    world = create_world(["a", "b"], [], {})
    given_outage(world, "huntflow", 0, 3600)
    import_id = -1

    async def stop(sleeps: int) -> None:
        if sleeps == 3:
            await world.sut.stop(USER, "clickup", import_id)

    world.clock.on_sleep = stop
    import_id = await start(world)
    began = world.clock.now()
    await run_queued(world)
    # the run stopped within a beat of the request, its cards pending
    job = await world.sut.get(USER, "clickup", import_id)
    assert (job.status, job.pause_reason, job.failed) == (ImportStatus.STOPPED, None, 0)
    assert world.clock.now() - began <= timedelta(seconds=4)
    items = await world.sut.items(USER, "clickup", import_id)
    assert {i.status for i in items} == {ItemStatus.PENDING}
    assert world.ats.applicants == {}


async def test_a_create_huntflow_did_but_never_answered_keeps_one_applicant() -> None:
    # Given Huntflow creating the applicant but the answer never arriving (the vacancy, the
    # stages and the search go through first)
    plan = [Step(), Step(), Step(), Step(fault=Fault.FAIL_AFTER)]
    world = create_world(["a"], plan, {})
    pauses = record_pauses(world)
    import_id = await start(world)
    # When the import runs
    await run_queued(world)
    # Then it paused once, found the applicant on the next try and linked it
    assert len(pauses) == 1
    assert "change may be applied" in pauses[0][1]
    [item] = await world.sut.items(USER, "clickup", import_id)
    assert (item.status, item.created) == (ItemStatus.DONE, False)
    assert world.ats.applicants_named("Lasta") == [item.applicant_id]
    assert item.applicant_id is not None
    assert VACANCY in world.ats.links[item.applicant_id]


async def test_an_error_of_one_item_fails_it_without_a_pause() -> None:
    error = OutsideServiceError("Huntflow failed on the request (HTTP 500).")
    world = create_world(["a", "b"], [], {})
    pauses = record_pauses(world)
    calls = 0
    original = world.ats.vacancy

    async def failing_once(account_id: int, vacancy_id: int) -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise error
        return await original(account_id, vacancy_id)

    world.ats.vacancy = failing_once  # type: ignore[assignment,method-assign]
    import_id = await start(world)
    await run_queued(world)
    assert pauses == []
    items = {i.source_id: i for i in await world.sut.items(USER, "clickup", import_id)}
    assert (items["a"].status, items["a"].reason) == (ItemStatus.FAILED, error.message)
    assert items["b"].status is ItemStatus.DONE
