"""Grades, vacancies and interviewers over HTTP on PostgreSQL, as each role uses them, with bad
input answered by a clear 4xx in the ``{error, message, details}`` format.

Who may call which route is checked in test_authorization_table.py; here the roles matter for
what they see (candidates: active vacancies only) and for the rules (recruiters, grades)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hrhelper.adapters.persistence.sqlalchemy.migrate import upgrade
from hrhelper.adapters.security.argon2_hasher import Argon2PasswordHasher
from hrhelper.adapters.security.blocking import BlockingPool
from hrhelper.settings import Settings
from tests.api.conftest import Api, create_api
from tests.support.services import fresh_postgres_database

pytestmark = pytest.mark.postgres

GRADES = "/api/v1/finance/grades/"
VACANCIES = "/api/vacancies/"
INTERVIEWERS = "/api/interviewers/"


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings],
    postgres_url: str,
    postgres_engine: AsyncEngine,  # empties the database (seeded grades included) after the test
) -> AsyncIterator[Api]:
    # Signing the three users in is most of the set-up: a cheap argon2 keeps it short.
    pool = BlockingPool("argon2", workers=2, queue_timeout_s=10.0)
    hasher = Argon2PasswordHasher(pool, time_cost=1, memory_cost=1024)
    try:
        async for value in create_api(
            make_settings(DATABASE_URL=postgres_url), password_hasher=hasher
        ):
            yield value
    finally:
        pool.shutdown()


def error(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    """Assert the status and the error format; answer the body."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "message", "details"}, body
    assert body["error"] == kind
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


async def create_grade(api: Api, name: str, **fields: object) -> dict[str, Any]:
    response = await api.client.post(
        GRADES, json={"name": name, **fields}, headers=api.auth("admin")
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def create_vacancy(api: Api, name: str, role: str = "hr", **fields: object) -> dict[str, Any]:
    response = await api.client.post(
        VACANCIES, json={"name": name, **fields}, headers=api.auth(role)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["name"] for row in response.json()["results"]]


# --- grades -----------------------------------------------------------------------------------


async def test_a_migrated_database_offers_the_grade_ladder_in_order(
    make_settings: Callable[..., Settings],
) -> None:
    with fresh_postgres_database() as url:
        upgrade(url)
        async for api in create_api(make_settings(DATABASE_URL=url)):
            response = await api.client.get(GRADES, headers=api.auth("user"))
            assert names(response) == [
                "Junior", "Junior+", "Middle", "Middle+", "Senior", "Senior+", "Lead", "Head"
            ]  # fmt: skip
            assert all(row["is_active"] for row in response.json()["results"])


async def test_admin_manages_grades_and_every_signed_in_role_reads_them(api: Api) -> None:
    # Given two grades, one inactive
    trainee = await create_grade(api, "Trainee", description="Первые шаги", position=1)
    principal = await create_grade(api, "Principal", is_active=False, position=2)
    assert set(trainee) == {
        "id", "name", "description", "is_active", "position", "created_at", "updated_at"
    }  # fmt: skip
    assert (trainee["description"], trainee["is_active"]) == ("Первые шаги", True)

    # Then every signed-in role reads them, filtered by activity
    for role in ("user", "hr", "admin"):
        active = await api.client.get(GRADES, params={"is_active": "true"}, headers=api.auth(role))
        assert "Trainee" in names(active)
        assert "Principal" not in names(active)
    inactive = await api.client.get(GRADES, params={"is_active": False}, headers=api.auth("user"))
    assert names(inactive) == ["Principal"]
    detail = await api.client.get(f"{GRADES}{principal['id']}/", headers=api.auth("hr"))
    assert detail.json()["name"] == "Principal"

    # When the admin replaces one and patches the other
    put = await api.client.put(
        f"{GRADES}{trainee['id']}/",
        json={"name": "Intern", "description": "", "is_active": False},
        headers=api.auth("admin"),
    )
    patch = await api.client.patch(
        f"{GRADES}{principal['id']}/", json={"is_active": True}, headers=api.auth("admin")
    )

    # Then the changes show, and PATCH left the other fields alone
    assert (put.status_code, put.json()["name"], put.json()["is_active"]) == (200, "Intern", False)
    assert (patch.json()["name"], patch.json()["is_active"]) == ("Principal", True)
    assert patch.json()["updated_at"] >= patch.json()["created_at"]

    # When the admin deletes an unused grade, it is gone
    deleted = await api.client.delete(f"{GRADES}{trainee['id']}/", headers=api.auth("admin"))
    assert deleted.status_code == 204
    gone = await api.client.get(f"{GRADES}{trainee['id']}/", headers=api.auth("admin"))
    error(gone, 404, "NotFound")


@pytest.mark.parametrize(
    ("first", "second"), [("Staff", "sTAFF"), ("Старший", "СТАРШИЙ"), ("Lead ", " lead")]
)
async def test_grade_names_are_unique_whatever_their_case(
    api: Api, first: str, second: str
) -> None:
    await create_grade(api, first)
    response = await api.client.post(GRADES, json={"name": second}, headers=api.auth("admin"))
    body = error(response, 409, "Conflict")
    assert "name" in body["details"]


async def test_renaming_a_grade_to_another_grades_name_is_a_409_and_changes_nothing(
    api: Api,
) -> None:
    await create_grade(api, "Architect")
    other = await create_grade(api, "Expert")
    response = await api.client.patch(
        f"{GRADES}{other['id']}/", json={"name": "ARCHITECT"}, headers=api.auth("admin")
    )
    error(response, 409, "Conflict")
    replaced = await api.client.put(
        f"{GRADES}{other['id']}/", json={"name": "architect"}, headers=api.auth("admin")
    )
    error(replaced, 409, "Conflict")
    after = await api.client.get(f"{GRADES}{other['id']}/", headers=api.auth("admin"))
    assert after.json()["name"] == "Expert"
    # renaming a grade to its own name in another case is allowed
    same = await api.client.patch(
        f"{GRADES}{other['id']}/", json={"name": "EXPERT"}, headers=api.auth("admin")
    )
    assert (same.status_code, same.json()["name"]) == (200, "EXPERT")


async def test_deleting_a_grade_in_use_is_a_409_naming_how_many_vacancies_use_it(
    api: Api,
) -> None:
    grade = await create_grade(api, "Specialist")
    for name in ("Один", "Два"):
        await create_vacancy(api, name, available_grades=[grade["id"]])
    response = await api.client.delete(f"{GRADES}{grade['id']}/", headers=api.auth("admin"))
    body = error(response, 409, "Conflict")
    assert "2 vacancies" in body["message"]
    assert body["details"] == {"vacancies": 2}
    still = await api.client.get(f"{GRADES}{grade['id']}/", headers=api.auth("admin"))
    assert still.status_code == 200


async def test_bad_grade_bodies_are_a_400_naming_the_field(api: Api) -> None:
    target = await create_grade(api, "Target")
    cases: list[tuple[str, dict[str, object]]] = [
        ("POST", {}),  # name is required
        ("POST", {"name": ""}),
        ("POST", {"name": "   "}),
        ("POST", {"name": 42}),
        ("POST", {"name": "X", "is_active": "perhaps"}),
        ("POST", {"name": "X", "position": -1}),
        ("POST", {"name": "X", "colour": "red"}),  # unknown field
        ("PUT", {"description": "no name"}),
        ("PATCH", {"name": None}),
        ("PATCH", {"is_active": [True]}),
    ]
    for method, body in cases:
        url = GRADES if method == "POST" else f"{GRADES}{target['id']}/"
        response = await api.client.request(method, url, json=body, headers=api.auth("admin"))
        answer = error(response, 400, "ValidationError")
        assert answer["details"], (method, body, answer)
    after = await api.client.get(f"{GRADES}{target['id']}/", headers=api.auth("admin"))
    assert after.json() == target
    listed = await api.client.get(GRADES, headers=api.auth("admin"))
    assert names(listed) == ["Target"]


async def test_bad_list_parameters_are_a_4xx(api: Api) -> None:
    cases: list[tuple[dict[str, object], int]] = [
        ({"page": 0}, 400),
        ({"page": -1}, 400),
        ({"page": "first"}, 400),
        ({"page_size": 0}, 400),
        ({"page_size": 101}, 400),
        ({"is_active": "perhaps"}, 400),
        ({"page": 50}, 404),
    ]
    for params, status in cases:
        for url in (GRADES, VACANCIES, INTERVIEWERS):
            response = await api.client.get(url, params=params, headers=api.auth("admin"))
            error(response, status, "ValidationError" if status == 400 else "NotFound")


async def test_unknown_ids_are_a_404_on_every_item_route(api: Api) -> None:
    bodies = {
        GRADES: {"name": "Nobody"},
        VACANCIES: {"name": "Nobody"},
        INTERVIEWERS: {"user": api.users["user"].id},
    }
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        for base, body in bodies.items():
            json = body if method in ("PUT", "PATCH") else None
            response = await api.client.request(
                method, f"{base}987654/", json=json, headers=api.auth("admin")
            )
            error(response, 404, "NotFound")
    for action in ("toggle-active", "assign-grades"):
        json = {"grade_ids": []} if action == "assign-grades" else None
        response = await api.client.post(
            f"{VACANCIES}987654/{action}/", json=json, headers=api.auth("hr")
        )
        error(response, 404, "NotFound")


# --- vacancies --------------------------------------------------------------------------------


async def test_hr_creates_a_vacancy_with_a_recruiter_and_grades_in_the_spec_shape(
    api: Api,
) -> None:
    middle = await create_grade(api, "Mid", position=2)
    junior = await create_grade(api, "Jun", position=1)
    hr = api.users["hr"]
    response = await api.client.post(
        VACANCIES,
        json={
            "name": "Python Developer",
            "external_id": "HF-101",
            "recruiter": hr.id,
            "invite_title": "Приглашение на собеседование",
            "invite_text": "Приглашаем вас",
            "scorecard_title": "Оценка кандидата",
            "scorecard_text": "Критерии",
            "available_grades": [middle["id"], junior["id"], middle["id"]],
            "is_active": True,
        },
        headers=api.auth("hr"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {
        "id", "name", "external_id", "recruiter", "recruiter_name", "invite_title",
        "invite_text", "scorecard_title", "scorecard_text", "available_grades",
        "available_grades_names", "is_active", "created_at", "updated_at",
    }  # fmt: skip
    assert body["recruiter"] == hr.id
    assert body["recruiter_name"] == "Hr Тестов"
    # grades deduplicated and in ladder order, with their names
    assert body["available_grades"] == [junior["id"], middle["id"]]
    assert body["available_grades_names"] == ["Jun", "Mid"]
    # and the detail answers the same
    detail = await api.client.get(f"{VACANCIES}{body['id']}/", headers=api.auth("user"))
    assert detail.json() == body


@pytest.mark.parametrize("recruiter", ["user", "unknown"])
async def test_the_recruiter_must_be_an_existing_hr_or_admin(api: Api, recruiter: str) -> None:
    recruiter_id = api.users["user"].id if recruiter == "user" else 987654
    response = await api.client.post(
        VACANCIES, json={"name": "QA", "recruiter": recruiter_id}, headers=api.auth("hr")
    )
    body = error(response, 400, "ValidationError")
    assert list(body["details"]) == ["recruiter"]
    # an admin may recruit
    admin = await create_vacancy(api, "QA", recruiter=api.users["admin"].id)
    assert admin["recruiter_name"] == "Ada Admin"


async def test_grades_must_exist_and_be_active_and_nothing_is_half_applied(api: Api) -> None:
    active = await create_grade(api, "Active one")
    retired = await create_grade(api, "Retired", is_active=False)
    vacancy = await create_vacancy(api, "Go Developer", available_grades=[active["id"]])
    url = f"{VACANCIES}{vacancy['id']}/"
    for grade_ids in ([retired["id"]], [active["id"], 987654]):
        # on create
        created = await api.client.post(
            VACANCIES, json={"name": "X", "available_grades": grade_ids}, headers=api.auth("hr")
        )
        body = error(created, 400, "ValidationError")
        assert list(body["details"]) == ["available_grades"]
        # on assign-grades and on a PATCH that also renames
        assigned = await api.client.post(
            f"{url}assign-grades/", json={"grade_ids": grade_ids}, headers=api.auth("hr")
        )
        error(assigned, 400, "ValidationError")
        patched = await api.client.patch(
            url, json={"name": "Renamed", "available_grades": grade_ids}, headers=api.auth("hr")
        )
        error(patched, 400, "ValidationError")
    after = await api.client.get(url, headers=api.auth("hr"))
    assert (after.json()["name"], after.json()["available_grades"]) == (
        "Go Developer",
        [active["id"]],
    )
    listed = await api.client.get(VACANCIES, headers=api.auth("hr"))
    assert listed.json()["count"] == 1


async def test_bad_vacancy_bodies_are_a_400_and_change_nothing(api: Api) -> None:
    vacancy = await create_vacancy(api, "Kept")
    bodies: list[dict[str, object]] = [
        {},
        {"name": ""},
        {"name": "X", "recruiter": "one"},
        {"name": "X", "recruiter": 0},
        {"name": "X", "available_grades": "1"},
        {"name": "X", "available_grades": [0]},
        {"name": "X", "is_active": "perhaps"},
        {"name": "X", "salary": 1000},
        {"name": "X" * 301},
    ]
    for body in bodies:
        for method, url in (("POST", VACANCIES), ("PUT", f"{VACANCIES}{vacancy['id']}/")):
            response = await api.client.request(method, url, json=body, headers=api.auth("hr"))
            error(response, 400, "ValidationError")
    patch = await api.client.patch(
        f"{VACANCIES}{vacancy['id']}/", json={"name": "   "}, headers=api.auth("hr")
    )
    error(patch, 400, "ValidationError")
    listed = await api.client.get(VACANCIES, headers=api.auth("hr"))
    assert names(listed) == ["Kept"]


async def test_a_body_that_is_not_json_is_a_400(api: Api) -> None:
    response = await api.client.post(
        VACANCIES,
        content=b"name=X",
        headers={**api.auth("hr"), "Content-Type": "application/json"},
    )
    error(response, 400, "ValidationError")
    response = await api.client.post(
        f"{VACANCIES}1/assign-grades/", json={"grade_ids": "all"}, headers=api.auth("hr")
    )
    error(response, 400, "ValidationError")


async def test_the_external_id_is_unique(api: Api) -> None:
    await create_vacancy(api, "First", external_id="HF-7")
    second = await create_vacancy(api, "Second")
    duplicate = await api.client.post(
        VACANCIES, json={"name": "Again", "external_id": "HF-7"}, headers=api.auth("hr")
    )
    error(duplicate, 409, "Conflict")
    patched = await api.client.patch(
        f"{VACANCIES}{second['id']}/", json={"external_id": "HF-7"}, headers=api.auth("hr")
    )
    error(patched, 409, "Conflict")
    replaced = await api.client.put(
        f"{VACANCIES}{second['id']}/",
        json={"name": "Second", "external_id": "HF-7"},
        headers=api.auth("hr"),
    )
    error(replaced, 409, "Conflict")


async def test_candidates_see_and_read_active_vacancies_only(api: Api) -> None:
    shown = await create_vacancy(api, "Открытая")
    hidden = await create_vacancy(api, "Закрытая", is_active=False)
    # the candidate's list holds the active one only, whatever the filters ask
    cases: list[tuple[dict[str, str], list[str]]] = [
        ({}, ["Открытая"]),
        ({"is_active": "true"}, ["Открытая"]),
        ({"is_active": "false"}, []),
        ({"search": "закрыт"}, []),
    ]
    for params, expected in cases:
        response = await api.client.get(VACANCIES, params=params, headers=api.auth("user"))
        assert names(response) == expected, params
    # the inactive one does not exist for the candidate, but does for staff
    error(
        await api.client.get(f"{VACANCIES}{hidden['id']}/", headers=api.auth("user")),
        404,
        "NotFound",
    )
    for role in ("hr", "admin"):
        staff = await api.client.get(f"{VACANCIES}{hidden['id']}/", headers=api.auth(role))
        assert staff.status_code == 200
        everything = await api.client.get(VACANCIES, headers=api.auth(role))
        assert sorted(names(everything)) == ["Закрытая", "Открытая"]
    shown_detail = await api.client.get(f"{VACANCIES}{shown['id']}/", headers=api.auth("user"))
    assert shown_detail.status_code == 200


async def test_search_is_case_insensitive_over_names_ids_and_titles_cyrillic_included(
    api: Api,
) -> None:
    await create_vacancy(api, "Python-разработчик", external_id="HF-555")
    await create_vacancy(api, "Тестировщик", invite_title="Ёлка и Щука")
    await create_vacancy(api, "Designer", scorecard_title="Оценка ДИЗАЙНА")
    await create_vacancy(api, "Analyst 100%")
    cases = {
        "РАЗРАБОТЧИК": ["Python-разработчик"],
        "python": ["Python-разработчик"],
        "hf-555": ["Python-разработчик"],
        "ёлка": ["Тестировщик"],
        "щУКА": ["Тестировщик"],
        "дизайна": ["Designer"],
        "100%": ["Analyst 100%"],
        "%": ["Analyst 100%"],  # a literal percent, not a wildcard
        "_": [],
        "нет такого": [],
    }
    for term, expected in cases.items():
        response = await api.client.get(VACANCIES, params={"search": term}, headers=api.auth("hr"))
        assert names(response) == expected, term


async def test_filters_by_recruiter_and_activity_and_pages_with_links(api: Api) -> None:
    hr, admin = api.users["hr"].id, api.users["admin"].id
    for index in range(5):
        await create_vacancy(api, f"HR {index}", recruiter=hr, is_active=index % 2 == 0)
    await create_vacancy(api, "Admin's", recruiter=admin)

    mine = await api.client.get(VACANCIES, params={"recruiter": hr}, headers=api.auth("hr"))
    assert mine.json()["count"] == 5
    active = await api.client.get(
        VACANCIES, params={"recruiter": hr, "is_active": "true"}, headers=api.auth("hr")
    )
    assert names(active) == ["HR 4", "HR 2", "HR 0"]  # newest first
    error(
        await api.client.get(VACANCIES, params={"recruiter": "hr"}, headers=api.auth("hr")),
        400,
        "ValidationError",
    )

    first = await api.client.get(
        VACANCIES, params={"page_size": 4, "recruiter": hr}, headers=api.auth("hr")
    )
    body = first.json()
    assert (body["count"], len(body["results"]), body["previous"]) == (5, 4, None)
    link = urlsplit(body["next"])
    assert (link.netloc, link.path) == ("testserver.local", "/api/vacancies/")
    assert parse_qs(link.query) == {"page_size": ["4"], "recruiter": [str(hr)], "page": ["2"]}
    second = await api.client.get(body["next"], headers=api.auth("hr"))
    assert names(second) == ["HR 0"]
    assert second.json()["next"] is None
    assert second.json()["previous"] is not None


async def test_toggle_active_flips_and_assign_grades_replaces_the_set(api: Api) -> None:
    a = await create_grade(api, "A", position=1)
    b = await create_grade(api, "B", position=2)
    vacancy = await create_vacancy(api, "Toggled", available_grades=[a["id"]])
    url = f"{VACANCIES}{vacancy['id']}/"

    off = await api.client.post(f"{url}toggle-active/", headers=api.auth("hr"))
    assert (off.status_code, off.json()["is_active"], off.json()["name"]) == (200, False, "Toggled")
    on = await api.client.post(f"{url}toggle-active/", headers=api.auth("admin"))
    assert on.json()["is_active"] is True

    assigned = await api.client.post(
        f"{url}assign-grades/", json={"grade_ids": [b["id"]]}, headers=api.auth("hr")
    )
    assert (assigned.json()["available_grades"], assigned.json()["available_grades_names"]) == (
        [b["id"]],
        ["B"],
    )
    cleared = await api.client.post(
        f"{url}assign-grades/", json={"grade_ids": []}, headers=api.auth("hr")
    )
    assert cleared.json()["available_grades"] == []
    error(await api.client.post(f"{url}assign-grades/", json={}, headers=api.auth("hr")), 400,
          "ValidationError")  # fmt: skip


async def test_put_replaces_every_field_and_delete_removes_the_vacancy(api: Api) -> None:
    grade = await create_grade(api, "G")
    vacancy = await create_vacancy(
        api,
        "Before",
        external_id="HF-1",
        recruiter=api.users["hr"].id,
        invite_title="T",
        available_grades=[grade["id"]],
    )
    url = f"{VACANCIES}{vacancy['id']}/"
    put = await api.client.put(url, json={"name": "After"}, headers=api.auth("admin"))
    assert put.status_code == 200
    body = put.json()
    assert (body["name"], body["external_id"], body["invite_title"]) == ("After", "", "")
    assert (body["recruiter"], body["recruiter_name"], body["available_grades"]) == (None, "", [])
    assert (await api.client.delete(url, headers=api.auth("hr"))).status_code == 204
    error(await api.client.get(url, headers=api.auth("hr")), 404, "NotFound")
    # the grade is free again
    assert (
        await api.client.delete(f"{GRADES}{grade['id']}/", headers=api.auth("admin"))
    ).status_code == 204


async def test_stats_count_in_the_spec_shape(api: Api) -> None:
    junior = await create_grade(api, "J", position=1)
    senior = await create_grade(api, "S", position=2)
    hr, admin = api.users["hr"].id, api.users["admin"].id
    plan = [
        ("V1", hr, True, [junior["id"]]),
        ("V2", hr, False, [junior["id"], senior["id"]]),
        ("V3", admin, True, [senior["id"]]),
        ("V4", None, True, []),
        ("V5", hr, True, [senior["id"]]),
        ("V6", admin, False, []),
    ]
    for name, recruiter, active, grades in plan:
        await create_vacancy(
            api, name, recruiter=recruiter, is_active=active, available_grades=grades
        )

    response = await api.client.get(f"{VACANCIES}stats/", headers=api.auth("hr"))

    assert response.status_code == 200
    body = response.json()
    assert (body["total_vacancies"], body["active_vacancies"], body["inactive_vacancies"]) == (
        6,
        4,
        2,
    )
    assert body["vacancies_by_recruiter"] == {str(hr): 3, str(admin): 2}
    assert body["vacancies_by_grade"] == {"J": 2, "S": 3}
    assert [v["name"] for v in body["recent_vacancies"]] == ["V6", "V5", "V4", "V3", "V2"]
    assert body["recent_vacancies"][3]["available_grades_names"] == ["S"]


async def test_stats_of_no_vacancies_are_zeros(api: Api) -> None:
    response = await api.client.get(f"{VACANCIES}stats/", headers=api.auth("admin"))
    assert response.json() == {
        "total_vacancies": 0,
        "active_vacancies": 0,
        "inactive_vacancies": 0,
        "vacancies_by_recruiter": {},
        "vacancies_by_grade": {},
        "recent_vacancies": [],
    }


# --- interviewers -----------------------------------------------------------------------------


async def test_staff_manage_interviewers_with_user_names_search_and_filters(api: Api) -> None:
    user, hr = api.users["user"], api.users["hr"]
    created = await api.client.post(
        INTERVIEWERS,
        json={"user": user.id, "specialization": "Python Development", "experience_years": 5},
        headers=api.auth("hr"),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert set(body) == {
        "id", "user", "user_name", "specialization", "experience_years", "is_active", "created_at"
    }  # fmt: skip
    assert (body["user"], body["user_name"], body["is_active"]) == (user.id, "User Тестов", True)
    other = await api.client.post(
        INTERVIEWERS,
        json={"user": hr.id, "specialization": "Аналитика данных", "is_active": False},
        headers=api.auth("admin"),
    )
    assert other.status_code == 201

    async def found(**params: object) -> list[str]:
        response = await api.client.get(INTERVIEWERS, params=params, headers=api.auth("admin"))
        assert response.status_code == 200, response.text
        return [row["specialization"] for row in response.json()["results"]]

    assert await found(search="PYTHON") == ["Python Development"]
    assert await found(search="аналитика") == ["Аналитика данных"]
    assert await found(search="тестов") == ["Python Development", "Аналитика данных"]
    assert await found(is_active="false") == ["Аналитика данных"]
    assert await found(search="python", is_active="false") == []

    patched = await api.client.patch(
        f"{INTERVIEWERS}{body['id']}/", json={"experience_years": 6}, headers=api.auth("hr")
    )
    assert (patched.json()["experience_years"], patched.json()["specialization"]) == (
        6,
        "Python Development",
    )
    removed = await api.client.delete(f"{INTERVIEWERS}{body['id']}/", headers=api.auth("hr"))
    assert removed.status_code == 204
    assert await found() == ["Аналитика данных"]


async def test_one_interviewer_per_user(api: Api) -> None:
    user, hr = api.users["user"], api.users["hr"]
    first = await api.client.post(INTERVIEWERS, json={"user": user.id}, headers=api.auth("hr"))
    second = await api.client.post(INTERVIEWERS, json={"user": hr.id}, headers=api.auth("hr"))
    again = await api.client.post(INTERVIEWERS, json={"user": user.id}, headers=api.auth("admin"))
    body = error(again, 409, "Conflict")
    assert "user" in body["details"]
    moved = await api.client.patch(
        f"{INTERVIEWERS}{second.json()['id']}/", json={"user": user.id}, headers=api.auth("hr")
    )
    error(moved, 409, "Conflict")
    taken = await api.client.put(
        f"{INTERVIEWERS}{second.json()['id']}/", json={"user": user.id}, headers=api.auth("hr")
    )
    error(taken, 409, "Conflict")
    same = await api.client.put(
        f"{INTERVIEWERS}{first.json()['id']}/",
        json={"user": user.id, "specialization": "Go"},
        headers=api.auth("hr"),
    )
    assert (same.status_code, same.json()["specialization"]) == (200, "Go")


async def test_bad_interviewer_bodies_are_a_400(api: Api) -> None:
    user = api.users["user"].id
    bodies: list[dict[str, object]] = [
        {},
        {"user": 987654},
        {"user": "me"},
        {"user": user, "experience_years": -1},
        {"user": user, "experience_years": 81},
        {"user": user, "experience_years": "five"},
        {"user": user, "is_active": "perhaps"},
        {"user": user, "team": "core"},
    ]
    for body in bodies:
        response = await api.client.post(INTERVIEWERS, json=body, headers=api.auth("hr"))
        error(response, 400, "ValidationError")
    listed = await api.client.get(INTERVIEWERS, headers=api.auth("hr"))
    assert listed.json()["count"] == 0
